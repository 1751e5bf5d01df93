package dev.taskwatch.serde;

import org.apache.avro.Schema;

/** A schema as registered: under which subject, with which global id and subject version. */
public record RegisteredSchema(String subject, int id, int version, Schema schema) {}
