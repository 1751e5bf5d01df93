package dev.taskwatch.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskwatch.testing.SelfSignedHttps;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry client's own trust store ({@code schema.registry.ssl.*}) instead of JVM-wide properties. */
class RestSchemaRegistryClientTlsTest {

    static RestSchemaRegistryClient client(String url, Object... keyValues) {
        Map<String, Object> c = new HashMap<>();
        c.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, url);
        c.put(AvroSerdeConfig.REQUEST_TIMEOUT_MS, 20_000); // TLS set-up on a loaded machine
        c.put(AvroSerdeConfig.MAX_RETRIES, 0);
        for (int i = 0; i < keyValues.length; i += 2) {
            c.put((String) keyValues[i], keyValues[i + 1]);
        }
        return new RestSchemaRegistryClient(new AvroSerdeConfig(c), d -> { });
    }

    @Test
    void shouldReachAnHttpsRegistryCertifiedByItsOwnTrustStore(@TempDir Path dir) throws Exception {
        byte[] body = "{\"schema\":\"\\\"string\\\"\"}".getBytes(StandardCharsets.UTF_8);
        try (SelfSignedHttps registry = new SelfSignedHttps(dir, exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        })) {
            RestSchemaRegistryClient trusting = client(registry.uri().toString(),
                    AvroSerdeConfig.SSL_TRUSTSTORE_LOCATION, registry.trustStore().toString(),
                    AvroSerdeConfig.SSL_TRUSTSTORE_PASSWORD, SelfSignedHttps.PASSWORD);

            assertThat(trusting.getById(1)).isEqualTo(Schema.create(Schema.Type.STRING));
            assertThatThrownBy(() -> client(registry.uri().toString()).getById(1))
                    .as("without its trust store the self-signed registry is not trusted")
                    .isInstanceOf(SchemaRegistryException.class);
        }
    }

    @Test
    void shouldNameTheKeyOfAnUnreadableTrustStoreButNotItsPassword(@TempDir Path dir) {
        assertThatThrownBy(() -> client("https://registry.example", AvroSerdeConfig.SSL_TRUSTSTORE_LOCATION,
                dir.resolve("none.p12").toString(), AvroSerdeConfig.SSL_TRUSTSTORE_PASSWORD, "pw-SECRET"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(AvroSerdeConfig.SSL_TRUSTSTORE_LOCATION)
                .message().doesNotContain("pw-SECRET");
    }
}
