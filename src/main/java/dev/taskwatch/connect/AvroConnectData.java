package dev.taskwatch.connect;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

/**
 * Translates between Avro and Kafka Connect's data model, both ways, for {@link TaskwatchAvroConverter}.
 *
 * <p>Avro to Connect keeps what a sink (Iceberg, JDBC, S3) needs typed: {@code timestamp-millis}/{@code -micros} become
 * Connect {@code Timestamp}, {@code date} {@code Date}, {@code time-millis} {@code Time}, {@code decimal} {@code Decimal};
 * enums become strings (a sink has no enum type and the symbol is what a reader wants to filter on); a union of
 * {@code null} and one type becomes that type, optional. Other unions have no Connect equivalent and are refused with
 * the schema's name. Connect schemas are cached per Avro schema: the translation runs once per schema id, not per
 * record.
 *
 * <p>Connect to Avro derives a record schema from the Connect schema (optional fields as {@code ["null", T]} with a
 * null default, so the derived schema evolves backward-compatibly as fields are added).
 */
final class AvroConnectData {

    private static final String DEFAULT_RECORD_NAME = "ConnectRecord";
    private static final String NAMESPACE = "dev.taskwatch.connect";

    private final Map<org.apache.avro.Schema, Schema> connectSchemas = new ConcurrentHashMap<>();
    private final Map<Schema, org.apache.avro.Schema> avroSchemas = new ConcurrentHashMap<>();

    // ---- Avro -> Connect -------------------------------------------------------------------------------------------

    Schema toConnectSchema(org.apache.avro.Schema avro) {
        return connectSchemas.computeIfAbsent(avro, s -> toConnectSchema(s, false));
    }

    private Schema toConnectSchema(org.apache.avro.Schema avro, boolean optional) {
        if (avro.getType() == org.apache.avro.Schema.Type.UNION) {
            return toConnectSchema(nonNullBranch(avro), true);
        }
        SchemaBuilder builder = switch (avro.getType()) {
            case RECORD -> {
                SchemaBuilder struct = SchemaBuilder.struct().name(avro.getFullName());
                for (org.apache.avro.Schema.Field field : avro.getFields()) {
                    struct.field(field.name(), toConnectSchema(field.schema(), false));
                }
                yield struct;
            }
            case UNION -> throw new IllegalStateException("unions are unwrapped above");
            case ENUM, STRING -> SchemaBuilder.string();
            case BOOLEAN -> SchemaBuilder.bool();
            case INT -> intSchema(avro.getLogicalType());
            case LONG -> longSchema(avro.getLogicalType());
            case FLOAT -> SchemaBuilder.float32();
            case DOUBLE -> SchemaBuilder.float64();
            case BYTES, FIXED -> avro.getLogicalType() instanceof LogicalTypes.Decimal d
                    ? Decimal.builder(d.getScale()) : SchemaBuilder.bytes();
            case ARRAY -> SchemaBuilder.array(toConnectSchema(avro.getElementType(), false));
            case MAP -> SchemaBuilder.map(Schema.STRING_SCHEMA, toConnectSchema(avro.getValueType(), false));
            case NULL -> throw new DataException("Avro type null alone has no Connect equivalent");
        };
        if (avro.getDoc() != null && avro.getType() == org.apache.avro.Schema.Type.RECORD) {
            builder.doc(avro.getDoc());
        }
        if (optional) {
            builder.optional();
        }
        return builder.build();
    }

    private static SchemaBuilder intSchema(LogicalType logical) {
        if (logical instanceof LogicalTypes.Date) {
            return org.apache.kafka.connect.data.Date.builder();
        }
        if (logical instanceof LogicalTypes.TimeMillis) {
            return org.apache.kafka.connect.data.Time.builder();
        }
        return SchemaBuilder.int32();
    }

    private static SchemaBuilder longSchema(LogicalType logical) {
        if (logical instanceof LogicalTypes.TimestampMillis || logical instanceof LogicalTypes.TimestampMicros) {
            return org.apache.kafka.connect.data.Timestamp.builder();
        }
        return SchemaBuilder.int64();
    }

    private static org.apache.avro.Schema nonNullBranch(org.apache.avro.Schema union) {
        List<org.apache.avro.Schema> branches = union.getTypes().stream()
                .filter(t -> t.getType() != org.apache.avro.Schema.Type.NULL).toList();
        if (branches.size() != 1 || union.getTypes().size() != 2) {
            throw new DataException("Avro union " + union + " has no Connect equivalent (only null and one type)");
        }
        return branches.get(0);
    }

    Object toConnectValue(org.apache.avro.Schema avro, Schema connect, Object value) {
        if (value == null) {
            return null;
        }
        return switch (avro.getType()) {
            case RECORD -> {
                IndexedRecord record = (IndexedRecord) value;
                Struct struct = new Struct(connect);
                for (org.apache.avro.Schema.Field field : avro.getFields()) {
                    Field target = connect.field(field.name());
                    struct.put(target, toConnectValue(field.schema(), target.schema(), record.get(field.pos())));
                }
                yield struct;
            }
            case UNION -> toConnectValue(nonNullBranch(avro), connect, value);
            case ENUM, STRING -> value.toString();
            case INT -> avro.getLogicalType() instanceof LogicalTypes.Date
                    ? new Date(TimeUnit.DAYS.toMillis((Integer) value))
                    : avro.getLogicalType() instanceof LogicalTypes.TimeMillis ? new Date((Integer) value) : value;
            case LONG -> avro.getLogicalType() instanceof LogicalTypes.TimestampMillis ? new Date((Long) value)
                    : avro.getLogicalType() instanceof LogicalTypes.TimestampMicros
                            ? new Date(Math.floorDiv((Long) value, 1000L)) : value;
            case BOOLEAN, FLOAT, DOUBLE -> value;
            case BYTES, FIXED -> {
                byte[] bytes = value instanceof ByteBuffer buffer ? bytesOf(buffer) : ((GenericFixed) value).bytes();
                yield avro.getLogicalType() instanceof LogicalTypes.Decimal d
                        ? new BigDecimal(new BigInteger(bytes), d.getScale()) : bytes;
            }
            case ARRAY -> {
                List<Object> out = new ArrayList<>();
                for (Object element : (Collection<?>) value) {
                    out.add(toConnectValue(avro.getElementType(), connect.valueSchema(), element));
                }
                yield out;
            }
            case MAP -> {
                Map<String, Object> out = new LinkedHashMap<>();
                ((Map<?, ?>) value).forEach((k, v) -> out.put(k.toString(),
                        toConnectValue(avro.getValueType(), connect.valueSchema(), v)));
                yield out;
            }
            case NULL -> null;
        };
    }

    private static byte[] bytesOf(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }

    // ---- Connect -> Avro -------------------------------------------------------------------------------------------

    org.apache.avro.Schema toAvroSchema(Schema connect) {
        // Not computeIfAbsent: a struct's fields recurse into this method, and a ConcurrentHashMap refuses an update
        // from inside its own mapping function ("Recursive update") whenever a nested key lands in the same bin,
        // which depends on identity hash codes and so fails in some JVM runs only.
        org.apache.avro.Schema cached = avroSchemas.get(connect);
        if (cached != null) {
            return cached;
        }
        org.apache.avro.Schema plain = toAvroType(connect);
        org.apache.avro.Schema built = connect.isOptional() ? nullable(plain) : plain;
        org.apache.avro.Schema raced = avroSchemas.putIfAbsent(connect, built);
        return raced == null ? built : raced;
    }

    private org.apache.avro.Schema toAvroType(Schema connect) {
        String logical = connect.name();
        if (org.apache.kafka.connect.data.Timestamp.LOGICAL_NAME.equals(logical)) {
            return LogicalTypes.timestampMillis().addToSchema(org.apache.avro.Schema.create(
                    org.apache.avro.Schema.Type.LONG));
        }
        if (org.apache.kafka.connect.data.Date.LOGICAL_NAME.equals(logical)) {
            return LogicalTypes.date().addToSchema(org.apache.avro.Schema.create(org.apache.avro.Schema.Type.INT));
        }
        if (org.apache.kafka.connect.data.Time.LOGICAL_NAME.equals(logical)) {
            return LogicalTypes.timeMillis().addToSchema(org.apache.avro.Schema.create(
                    org.apache.avro.Schema.Type.INT));
        }
        if (Decimal.LOGICAL_NAME.equals(logical)) {
            int scale = Integer.parseInt(connect.parameters().get(Decimal.SCALE_FIELD));
            return LogicalTypes.decimal(38, scale).addToSchema(org.apache.avro.Schema.create(
                    org.apache.avro.Schema.Type.BYTES));
        }
        return switch (connect.type()) {
            case INT8, INT16, INT32 -> org.apache.avro.Schema.create(org.apache.avro.Schema.Type.INT);
            case INT64 -> org.apache.avro.Schema.create(org.apache.avro.Schema.Type.LONG);
            case FLOAT32 -> org.apache.avro.Schema.create(org.apache.avro.Schema.Type.FLOAT);
            case FLOAT64 -> org.apache.avro.Schema.create(org.apache.avro.Schema.Type.DOUBLE);
            case BOOLEAN -> org.apache.avro.Schema.create(org.apache.avro.Schema.Type.BOOLEAN);
            case STRING -> org.apache.avro.Schema.create(org.apache.avro.Schema.Type.STRING);
            case BYTES -> org.apache.avro.Schema.create(org.apache.avro.Schema.Type.BYTES);
            case ARRAY -> org.apache.avro.Schema.createArray(toAvroSchema(connect.valueSchema()));
            case MAP -> {
                if (connect.keySchema().type() != Schema.Type.STRING) {
                    throw new DataException("Connect map with " + connect.keySchema().type()
                            + " keys has no Avro equivalent (Avro map keys are strings)");
                }
                yield org.apache.avro.Schema.createMap(toAvroSchema(connect.valueSchema()));
            }
            case STRUCT -> {
                List<org.apache.avro.Schema.Field> fields = new ArrayList<>();
                for (Field field : connect.fields()) {
                    org.apache.avro.Schema type = toAvroSchema(field.schema());
                    fields.add(field.schema().isOptional()
                            ? new org.apache.avro.Schema.Field(field.name(), type, null,
                                    org.apache.avro.Schema.Field.NULL_DEFAULT_VALUE)
                            : new org.apache.avro.Schema.Field(field.name(), type));
                }
                String name = connect.name() == null ? DEFAULT_RECORD_NAME : connect.name();
                int dot = name.lastIndexOf('.');
                yield dot < 0
                        ? org.apache.avro.Schema.createRecord(name, connect.doc(), NAMESPACE, false, fields)
                        : org.apache.avro.Schema.createRecord(name.substring(dot + 1), connect.doc(),
                                name.substring(0, dot), false, fields);
            }
        };
    }

    private static org.apache.avro.Schema nullable(org.apache.avro.Schema schema) {
        return org.apache.avro.Schema.createUnion(org.apache.avro.Schema.create(org.apache.avro.Schema.Type.NULL),
                schema);
    }

    Object toAvroValue(Schema connect, org.apache.avro.Schema avro, Object value) {
        if (value == null) {
            return null;
        }
        if (avro.getType() == org.apache.avro.Schema.Type.UNION) {
            return toAvroValue(connect, nonNullBranch(avro), value);
        }
        String logical = connect.name();
        if (org.apache.kafka.connect.data.Timestamp.LOGICAL_NAME.equals(logical)) {
            return ((Date) value).getTime();
        }
        if (org.apache.kafka.connect.data.Date.LOGICAL_NAME.equals(logical)) {
            return (int) TimeUnit.MILLISECONDS.toDays(((Date) value).getTime());
        }
        if (org.apache.kafka.connect.data.Time.LOGICAL_NAME.equals(logical)) {
            return (int) ((Date) value).getTime();
        }
        if (Decimal.LOGICAL_NAME.equals(logical)) {
            return ByteBuffer.wrap(((BigDecimal) value).unscaledValue().toByteArray());
        }
        return switch (connect.type()) {
            case INT8 -> ((Byte) value).intValue();
            case INT16 -> ((Short) value).intValue();
            case BYTES -> value instanceof byte[] bytes ? ByteBuffer.wrap(bytes) : value;
            case ARRAY -> {
                List<Object> out = new ArrayList<>();
                for (Object element : (Collection<?>) value) {
                    out.add(toAvroValue(connect.valueSchema(), avro.getElementType(), element));
                }
                yield out;
            }
            case MAP -> {
                Map<String, Object> out = new LinkedHashMap<>();
                ((Map<?, ?>) value).forEach((k, v) -> out.put((String) k,
                        toAvroValue(connect.valueSchema(), avro.getValueType(), v)));
                yield out;
            }
            case STRUCT -> {
                Struct struct = (Struct) value;
                GenericRecord record = new GenericData.Record(avro);
                for (Field field : connect.fields()) {
                    record.put(field.name(), toAvroValue(field.schema(), avro.getField(field.name()).schema(),
                            struct.get(field)));
                }
                yield record;
            }
            default -> value;
        };
    }
}
