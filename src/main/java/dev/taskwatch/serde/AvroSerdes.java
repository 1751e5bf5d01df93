package dev.taskwatch.serde;

import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** Ready-made Confluent-wire-format Avro serdes, configured with {@link AvroSerdeConfig} keys. */
public final class AvroSerdes {

    private AvroSerdes() {}

    /** A serde for the generated class {@code type}. */
    public static <T extends SpecificRecord> Serde<T> specific(Class<T> type, Map<String, ?> configs, boolean isKey) {
        return Serdes.serdeFrom(new AvroSerializer<T>(configs, isKey), new AvroDeserializer<>(type, configs, isKey));
    }

    /** A serde for generic records in their writer's schema. */
    public static Serde<GenericRecord> generic(Map<String, ?> configs, boolean isKey) {
        return Serdes.serdeFrom(new AvroSerializer<GenericRecord>(configs, isKey),
                new AvroDeserializer<GenericRecord>(null, configs, isKey));
    }
}
