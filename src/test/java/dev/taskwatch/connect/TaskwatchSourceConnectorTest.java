package dev.taskwatch.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.source.ConnectorTransactionBoundaries;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.junit.jupiter.api.Test;

class TaskwatchSourceConnectorTest {

    private static final String SECRET = "sk-very-secret-0815";

    private static Map<String, String> valid() {
        Map<String, String> props = new HashMap<>();
        props.put("name", "taskwatch-source");
        props.put("connector.class", TaskwatchSourceConnector.class.getName());
        props.put("tasks.max", "2");
        props.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        props.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        props.put("topics.prefix", "team-a.");
        props.put("schema-registry.url", "http://registry:8081");
        props.put("credentials.prod.type", "aksk");
        props.put("credentials.prod.access-key", "AKID");
        props.put("credentials.prod.secret-key", SECRET);
        props.put("targets[0].service", "dds");
        props.put("targets[0].region", "eu-de");
        props.put("targets[0].project-id", "p1");
        props.put("targets[0].credentials", "prod");
        return props;
    }

    private static Map<String, List<String>> errors(Config config) {
        return config.configValues().stream().filter(v -> !v.errorMessages().isEmpty())
                .collect(Collectors.toMap(ConfigValue::name, ConfigValue::errorMessages));
    }

    @Test
    void shouldAcceptAValidConfiguration() {
        assertThat(errors(new TaskwatchSourceConnector().validate(valid()))).isEmpty();
    }

    @Test
    void shouldAnswerEachBadPropertyWithItsKeyAndAOneLineReason() {
        Map<String, String> props = valid();
        props.put("targets[0].service", "mysql");
        props.put("targets[0].interval", "soon");
        props.put("poller.request-timout", "3s");
        props.put("targets[1].service", "dds");
        props.put("targets[1].region", "eu-de");
        props.put("targets[1].project-id", "p2");
        props.put("targets[1].credentials", "nobody");

        Map<String, List<String>> errors = errors(new TaskwatchSourceConnector().validate(props));

        assertThat(errors).containsOnlyKeys("targets[0].service", "targets[0].interval", "poller.request-timout",
                "targets[1].credentials");
        assertThat(errors.values()).allSatisfy(messages -> assertThat(messages).singleElement()
                .satisfies(m -> assertThat(m).isNotBlank().doesNotContain("\n")));
        assertThat(errors.get("targets[0].service").get(0)).contains("mysql");
        assertThat(errors.get("targets[1].credentials").get(0)).contains("nobody");
    }

    @Test
    void shouldRequireTheSchemaRegistryUrl() {
        Map<String, String> props = valid();
        props.remove("schema-registry.url");

        assertThat(errors(new TaskwatchSourceConnector().validate(props))).containsOnlyKeys("schema-registry.url");
    }

    @Test
    void shouldNeverEchoASecret() {
        Map<String, String> props = valid();
        props.put("credentials.prod.secret-key", SECRET + "\n");
        props.put("credentials.prod.type", "token");
        props.put("schema-registry.basic-auth-user-info", "user:" + SECRET);

        Config config = new TaskwatchSourceConnector().validate(props);

        assertThat(errors(config)).isNotEmpty();
        for (ConfigValue v : config.configValues()) {
            assertThat(v.errorMessages()).allSatisfy(m -> assertThat(m).doesNotContain(SECRET));
            assertThat(String.valueOf(v.value())).doesNotContain(SECRET);
        }
    }

    @Test
    void shouldDeclareRegistrySecretsAsPasswords() {
        ConfigDef def = new TaskwatchSourceConnector().config();

        assertThat(def.configKeys().get("schema-registry.basic-auth-user-info").type)
                .isEqualTo(ConfigDef.Type.PASSWORD);
        assertThat(def.configKeys().get("schema-registry.bearer-token").type).isEqualTo(ConfigDef.Type.PASSWORD);
    }

    @Test
    void shouldSupportExactlyOnceWithWorkerDefinedTransactions() {
        TaskwatchSourceConnector connector = new TaskwatchSourceConnector();

        assertThat(connector.exactlyOnceSupport(valid())).isEqualTo(ExactlyOnceSupport.SUPPORTED);
        assertThat(connector.canDefineTransactionBoundaries(valid()))
                .isEqualTo(ConnectorTransactionBoundaries.UNSUPPORTED);
    }

    @Test
    void shouldGiveEachCredentialToOneTask() {
        Map<String, String> props = valid();
        props.put("credentials.dev.type", "token");
        props.put("credentials.dev.token", "tok");
        props.put("targets[1].service", "dds");
        props.put("targets[1].region", "eu-de");
        props.put("targets[1].project-id", "p2");
        props.put("targets[1].credentials", "dev");
        TaskwatchSourceConnector connector = new TaskwatchSourceConnector();
        connector.start(props);

        List<Map<String, String>> tasks = connector.taskConfigs(2);

        assertThat(tasks).hasSize(2);
        assertThat(tasks).allSatisfy(t -> assertThat(t).containsKey("targets[0].credentials")
                .doesNotContainKey("targets[1].credentials"));
    }
}
