package dev.taskwatch.deploy;

import static dev.taskwatch.deploy.DeployFiles.ROOT;
import static dev.taskwatch.deploy.DeployFiles.documents;
import static dev.taskwatch.deploy.DeployFiles.kustomize;
import static dev.taskwatch.deploy.DeployFiles.map;
import static dev.taskwatch.deploy.DeployFiles.nested;
import static dev.taskwatch.deploy.DeployFiles.onPath;
import static dev.taskwatch.deploy.DeployFiles.read;
import static dev.taskwatch.deploy.DeployFiles.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Least privilege in the Kubernetes files (issue 13): the transitions pods never see a cloud credential (no env var
 * from, no volume of, the Secret taskwatch-credentials; a config file without credentials or targets), while the
 * poller does; prod talks TLS + SASL to Kafka and HTTPS to the registry with every secret from a Kubernetes Secret.
 * Checked on the base and on every rendered overlay.
 */
class LeastPrivilegeDeploymentTest {

    private static final String CLOUD_SECRET = "taskwatch-credentials";

    @Test
    void transitionsPodsShouldGetNoCloudCredentialsWhileThePollerDoes() throws Exception {
        assumeThat(onPath("kubectl")).as("kubectl on PATH (renders the kustomizations)").isTrue();
        Set<String> cloudKeys = cloudSecretKeys();
        for (Path dir : kustomizations()) {
            String where = ROOT.relativize(dir).toString();
            List<Map<String, Object>> objects = documents(kustomize(dir), where);
            Map<String, Object> transitions = workload(objects, "StatefulSet", "taskwatch-transitions", where);
            Map<String, Object> poll = workload(objects, "Deployment", "taskwatch-poll", where);

            String w = where + " StatefulSet/taskwatch-transitions";
            assertThat(secretsReferenced(transitions)).as(w + ": Secrets referenced").doesNotContain(CLOUD_SECRET);
            assertThat(envNames(transitions)).as(w + ": env vars named like cloud credential keys")
                    .doesNotContainAnyElementsOf(cloudKeys);
            Map<String, Object> config = yaml(configFile(objects, transitions, w));
            assertThat(config).as(w + ": config file has no credentials and no targets")
                    .doesNotContainKeys("credentials", "targets");

            // Not vacuous: the poller of the same rendering does get them.
            String p = where + " Deployment/taskwatch-poll";
            assertThat(secretsReferenced(poll)).as(p + ": Secrets referenced").contains(CLOUD_SECRET);
            assertThat(yaml(configFile(objects, poll, p))).as(p + ": config file").containsKeys("credentials",
                    "targets");
        }
    }

    @Test
    void prodShouldTalkTlsAndSaslToKafkaAndHttpsToTheRegistryWithSecretsFromKubernetesSecrets() throws Exception {
        assumeThat(onPath("kubectl")).as("kubectl on PATH (renders the kustomizations)").isTrue();
        Path prod = ROOT.resolve("deploy/overlays/prod");
        List<Map<String, Object>> objects = documents(kustomize(prod), "deploy/overlays/prod");
        Map<String, Object> env = configMap(objects, "taskwatch-env");
        assertThat(String.valueOf(env.get("SCHEMA_REGISTRY_URL"))).as("prod registry URL").startsWith("https://");
        for (String name : List.of("taskwatch-poll", "taskwatch-transitions")) {
            Map<String, Object> workload = objects.stream().filter(o -> name.equals(nested(o, "metadata", "name"))
                    && Set.of("Deployment", "StatefulSet").contains(o.get("kind"))).findFirst().orElseThrow();
            String w = "deploy/overlays/prod " + name;
            Map<String, Object> config = yaml(configFile(objects, workload, w));
            Map<String, Object> kafka = map(nested(config, "kafka", "properties"), w + " kafka.properties");
            assertThat(kafka).as(w + " kafka.properties").containsEntry("security.protocol", "SASL_SSL")
                    .containsKeys("sasl.mechanism", "sasl.jaas.config", "ssl.truststore.location");
            assertThat(String.valueOf(nested(config, "schema-registry", "ssl", "trust-store"))).as(w)
                    .startsWith("/");
            // Every secret value is a ${VAR} of the container env, and that var comes from a Secret.
            Map<String, String> secretVars = secretEnv(workload);
            for (String value : List.of(String.valueOf(kafka.get("sasl.jaas.config")),
                    String.valueOf(kafka.get("ssl.truststore.password")),
                    String.valueOf(nested(config, "schema-registry", "basic-auth-user-info")),
                    String.valueOf(nested(config, "schema-registry", "ssl", "trust-store-password")))) {
                List<String> vars = variables(value);
                assertThat(vars).as(w + ": secret value '" + value + "' reads env vars").isNotEmpty();
                assertThat(secretVars).as(w + ": env vars from Secrets").containsKeys(vars.toArray(String[]::new));
            }
            // The trust store file is a Secret volume mounted where the config reads it.
            String trustStore = String.valueOf(kafka.get("ssl.truststore.location"));
            String dir = trustStore.substring(0, trustStore.lastIndexOf('/'));
            Map<String, Object> pod = map(nested(workload, "spec", "template", "spec"), w);
            Map<String, Object> container = map(list(pod.get("containers")).get(0), w);
            String volume = list(container.get("volumeMounts")).stream().map(m -> map(m, w))
                    .filter(m -> dir.equals(m.get("mountPath"))).map(m -> String.valueOf(m.get("name")))
                    .findFirst().orElseThrow(() -> new AssertionError(w + ": nothing mounted at " + dir));
            assertThat(list(pod.get("volumes")).stream().map(v -> map(v, w))
                    .filter(v -> volume.equals(v.get("name"))).findFirst().orElseThrow())
                    .as(w + " volume " + volume).containsKey("secret");
        }
    }

    @Test
    void composeTransitionsShouldGetNoCloudCredentialsWithTheCloudOverride() {
        Set<String> cloudKeys = cloudSecretKeys();
        Map<String, Object> base = map(yaml(read(ROOT.resolve("docker-compose.yml"))).get("services"), "services");
        Map<String, Object> cloud = map(yaml(read(ROOT.resolve("docker-compose.cloud.yml"))).get("services"),
                "docker-compose.cloud.yml services");
        assertThat(cloud).as("the cloud override gives the keys to poll only").doesNotContainKey("transitions")
                .containsKey("poll");
        Map<String, Object> transitions = map(base.get("transitions"), "transitions");
        assertThat(map(transitions.getOrDefault("environment", Map.of()), "environment").keySet())
                .doesNotContainAnyElementsOf(cloudKeys);
        String mount = list(transitions.get("volumes")).stream().map(String::valueOf)
                .filter(v -> v.contains(":/etc/taskwatch/taskwatch.yaml")).findFirst().orElseThrow();
        Map<String, Object> config = yaml(read(ROOT.resolve(mount.substring(0, mount.indexOf(':')))));
        assertThat(config).as(mount + ": no credentials and no targets").doesNotContainKeys("credentials", "targets");
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static List<Path> kustomizations() throws Exception {
        List<Path> dirs = new ArrayList<>(List.of(ROOT.resolve("deploy/base")));
        try (Stream<Path> overlays = Files.list(ROOT.resolve("deploy/overlays"))) {
            overlays.filter(Files::isDirectory).sorted().forEach(dirs::add);
        }
        return dirs;
    }

    private static Set<String> cloudSecretKeys() {
        Map<String, Object> template = yaml(read(ROOT.resolve("deploy/base/secret-credentials.yaml")));
        return new TreeSet<>(map(template.get("stringData"), "secret-credentials.yaml").keySet());
    }

    private static Map<String, Object> workload(List<Map<String, Object>> objects, String kind, String name,
            String where) {
        return objects.stream().filter(o -> kind.equals(o.get("kind")) && name.equals(nested(o, "metadata", "name")))
                .findFirst().orElseThrow(() -> new AssertionError(where + ": no " + kind + "/" + name));
    }

    /** Every Secret a pod can read: env secretKeyRef, envFrom secretRef, secret volumes, projected secrets. */
    private static Set<String> secretsReferenced(Map<String, Object> workload) {
        Set<String> names = new TreeSet<>();
        Map<String, Object> pod = map(nested(workload, "spec", "template", "spec"), "pod");
        for (Object c : list(pod.get("containers")) ) {
            for (Object e : list(nested(c, "env"))) {
                add(names, nested(e, "valueFrom", "secretKeyRef", "name"));
            }
            for (Object e : list(nested(c, "envFrom"))) {
                add(names, nested(e, "secretRef", "name"));
            }
        }
        for (Object v : list(pod.get("volumes"))) {
            add(names, nested(v, "secret", "secretName"));
            for (Object source : list(nested(v, "projected", "sources"))) {
                add(names, nested(source, "secret", "name"));
            }
        }
        return names;
    }

    private static Set<String> envNames(Map<String, Object> workload) {
        Set<String> names = new TreeSet<>();
        for (Object c : list(nested(workload, "spec", "template", "spec", "containers"))) {
            for (Object e : list(nested(c, "env"))) {
                add(names, nested(e, "name"));
            }
        }
        return names;
    }

    /** Env var name to Secret name, for the vars of the first container that come from a Secret. */
    private static Map<String, String> secretEnv(Map<String, Object> workload) {
        Map<String, String> vars = new java.util.TreeMap<>();
        Object container = list(nested(workload, "spec", "template", "spec", "containers")).get(0);
        for (Object e : list(nested(container, "env"))) {
            Object secret = nested(e, "valueFrom", "secretKeyRef", "name");
            if (secret != null) {
                vars.put(String.valueOf(nested(e, "name")), String.valueOf(secret));
            }
        }
        return vars;
    }

    private static List<String> variables(String value) {
        List<String> vars = new ArrayList<>();
        var m = java.util.regex.Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}").matcher(value);
        while (m.find()) {
            vars.add(m.group(1));
        }
        return vars;
    }

    /** The text of the config file the workload's TASKWATCH_CONFIG points at, from its ConfigMap volume. */
    private static String configFile(List<Map<String, Object>> objects, Map<String, Object> workload, String w) {
        Map<String, Object> pod = map(nested(workload, "spec", "template", "spec"), w);
        Map<String, Object> container = map(list(pod.get("containers")).get(0), w);
        String path = list(container.get("env")).stream().map(e -> map(e, w))
                .filter(e -> "TASKWATCH_CONFIG".equals(e.get("name"))).map(e -> String.valueOf(e.get("value")))
                .findFirst().orElseThrow(() -> new AssertionError(w + ": no TASKWATCH_CONFIG"));
        String dir = path.substring(0, path.lastIndexOf('/'));
        String file = path.substring(path.lastIndexOf('/') + 1);
        String volume = list(container.get("volumeMounts")).stream().map(m -> map(m, w))
                .filter(m -> dir.equals(m.get("mountPath"))).map(m -> String.valueOf(m.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError(w + ": nothing mounted at " + dir));
        String configMap = list(pod.get("volumes")).stream().map(v -> map(v, w))
                .filter(v -> volume.equals(v.get("name"))).map(v -> String.valueOf(nested(v, "configMap", "name")))
                .findFirst().orElseThrow();
        Object text = configMap(objects, configMap).get(file);
        assertThat(text).as(w + ": ConfigMap " + configMap + " key " + file).isNotNull();
        return String.valueOf(text);
    }

    /** A ConfigMap's data by name, with or without kustomize's hash suffix. */
    private static Map<String, Object> configMap(List<Map<String, Object>> objects, String name) {
        return objects.stream().filter(o -> "ConfigMap".equals(o.get("kind")))
                .filter(o -> {
                    String n = String.valueOf(nested(o, "metadata", "name"));
                    return n.equals(name) || n.replaceFirst("-[a-z0-9]{10}$", "").equals(name);
                })
                .map(o -> map(o.getOrDefault("data", Map.of()), name)).findFirst()
                .orElseThrow(() -> new AssertionError("no ConfigMap " + name));
    }

    private static void add(Set<String> names, Object value) {
        if (value != null) {
            names.add(String.valueOf(value));
        }
    }

    private static List<Object> list(Object node) {
        return node instanceof Collection<?> c ? new ArrayList<>(c) : List.of();
    }
}
