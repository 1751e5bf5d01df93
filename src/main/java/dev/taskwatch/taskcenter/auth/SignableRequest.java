package dev.taskwatch.taskcenter.auth;

import java.net.URI;
import java.util.Map;

/**
 * Everything of an outgoing request that authentication may need to see: AK/SK signing covers the method, the full
 * URI with its query, the headers and a hash of the body.
 */
public record SignableRequest(String method, URI uri, Map<String, String> headers, byte[] body) {}
