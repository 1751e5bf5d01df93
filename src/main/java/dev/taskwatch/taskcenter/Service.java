package dev.taskwatch.taskcenter;

import java.net.URI;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The cloud services whose task centers taskwatch reads; {@link #id()} is the value of {@code TaskKey.service}. */
public enum Service {
    GEMINIDB("geminidb", "gaussdb-nosql"),
    OPENGAUSS("opengauss", "gaussdb"),
    DDS("dds", "dds"),
    TAURUSDB("taurusdb", "gaussdb-mysql");

    private final String id;
    private final String endpointHost;

    Service(String id, String endpointHost) {
        this.id = id;
        this.endpointHost = endpointHost;
    }

    /** Lower-case name used in configuration, keys and events. */
    public String id() {
        return id;
    }

    /** The public OTC endpoint of this service in {@code region}; a target's {@code endpoint} overrides it. */
    public URI defaultEndpoint(String region) {
        return URI.create("https://" + endpointHost + "." + region + ".otc.t-systems.com");
    }

    /** @throws IllegalArgumentException listing the known ids when {@code id} is none of them */
    public static Service fromId(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown service '" + id + "', expected one of "
                        + Arrays.stream(values()).map(Service::id).collect(Collectors.joining(", "))));
    }
}
