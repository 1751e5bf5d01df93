package dev.taskwatch.deploy;

import static dev.taskwatch.deploy.DeployFiles.ROOT;
import static dev.taskwatch.deploy.DeployFiles.kustomize;
import static dev.taskwatch.deploy.DeployFiles.nested;
import static dev.taskwatch.deploy.DeployFiles.onPath;
import static dev.taskwatch.deploy.DeployFiles.read;
import static dev.taskwatch.deploy.DeployFiles.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.taskwatch.config.ConfigLoader;
import dev.taskwatch.config.TaskwatchConfig;
import dev.taskwatch.devkit.simulator.SimulatorSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every config file a deployment mounts loads with the real {@link ConfigLoader}, given exactly the environment that
 * deployment gives the container (the image's ENV, the compose service's / workload's variables, Kubernetes service
 * links; secrets as dummy values), with no problems. {@code DeploymentFilesTest} checks the files statically; this
 * one runs the loader, so substitution, overrides, types and validation rules all apply.
 */
class DeploymentConfigsLoadTest {

    /** Compose interpolation: ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}. */
    private static final Pattern COMPOSE_VAR = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}");
    private static final Pattern CONFIG_VAR = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-[^}]*)?}");

    @Test
    void shouldLoadTheExampleConfigWithItsVariablesSet() {
        String yaml = read(ROOT.resolve("taskwatch.example.yaml"));
        Map<String, String> env = new TreeMap<>(imageEnvironment());
        Matcher m = CONFIG_VAR.matcher(yaml);
        while (m.find()) {
            if (m.group(2) == null) {
                env.put(m.group(1), "dummy-" + m.group(1).toLowerCase(Locale.ROOT));
            }
        }
        TaskwatchConfig config = load("taskwatch.example.yaml", yaml, env);
        assertThat(config.targets()).hasSize(4);
        assertThat(config.credentials()).hasSize(3);
    }

    @Test
    void shouldLoadTheMountedConfigOfEveryComposeServiceWithTheServicesEnvironment() {
        Map<String, Object> base = map(yaml(read(ROOT.resolve("docker-compose.yml"))).get("services"));
        Map<String, Object> cloud = map(yaml(read(ROOT.resolve("docker-compose.cloud.yml"))).get("services"));
        int loaded = 0;
        for (Map.Entry<String, Object> e : base.entrySet()) {
            Map<String, Object> service = map(e.getValue());
            if (readsConfig(service)) {
                loadComposeService("docker-compose.yml " + e.getKey(), service);
                loaded++;
            }
            if (cloud.containsKey(e.getKey())) {
                Map<String, Object> override = map(cloud.get(e.getKey()));
                Map<String, Object> merged = new LinkedHashMap<>(service);
                Map<String, String> env = new LinkedHashMap<>(environment(service));
                env.putAll(environment(override));
                merged.put("environment", env);
                List<Object> volumes = new ArrayList<>(list(service.get("volumes")));
                volumes.addAll(list(override.get("volumes")));
                merged.put("volumes", volumes);
                loadComposeService("docker-compose.yml + docker-compose.cloud.yml " + e.getKey(), merged);
                loaded++;
            }
        }
        assertThat(loaded).as("compose services that read a config file").isGreaterThanOrEqualTo(4);
    }

    @Test
    void shouldLoadTheMountedConfigOfEveryKubernetesWorkloadWithItsEnvironment() throws Exception {
        assumeThat(onPath("kubectl")).as("kubectl on PATH (renders the kustomizations)").isTrue();
        List<Path> dirs = new ArrayList<>(List.of(ROOT.resolve("deploy/base")));
        try (var overlays = Files.list(ROOT.resolve("deploy/overlays"))) {
            overlays.filter(Files::isDirectory).sorted().forEach(dirs::add);
        }
        int loaded = 0;
        for (Path dir : dirs) {
            String where = ROOT.relativize(dir).toString();
            List<Map<String, Object>> objects = DeployFiles.documents(kustomize(dir), where);
            Map<String, Map<String, Object>> configMaps = new LinkedHashMap<>();
            Map<String, Map<String, Object>> secrets = new LinkedHashMap<>();
            Map<String, String> serviceLinks = new TreeMap<>();
            for (Map<String, Object> o : objects) {
                String name = String.valueOf(nested(o, "metadata", "name"));
                if ("ConfigMap".equals(o.get("kind"))) {
                    configMaps.put(name, map(o.getOrDefault("data", Map.of())));
                } else if ("Secret".equals(o.get("kind"))) {
                    secrets.put(name, map(o.getOrDefault("stringData", Map.of())));
                } else if ("Service".equals(o.get("kind"))) {
                    serviceLinks.putAll(serviceLinkEnvironment(name, list(nested(o, "spec", "ports"))));
                }
            }
            for (Map<String, Object> o : objects) {
                if (!List.of("Deployment", "StatefulSet").contains(o.get("kind"))) {
                    continue;
                }
                Map<String, Object> pod = map(nested(o, "spec", "template", "spec"));
                for (Object c : list(pod.get("containers"))) {
                    Map<String, Object> container = map(c);
                    String w = where + " " + o.get("kind") + "/" + nested(o, "metadata", "name") + " container "
                            + container.get("name");
                    Map<String, String> env = new TreeMap<>(imageEnvironment());
                    if (!Boolean.FALSE.equals(pod.get("enableServiceLinks"))) {
                        env.putAll(serviceLinks);
                    }
                    for (Object from : list(container.get("envFrom"))) {
                        Object ref = nested(from, "configMapRef", "name");
                        if (ref != null) {
                            map(configMaps.get(String.valueOf(ref))).forEach((k, v) -> env.put(k, String.valueOf(v)));
                        }
                        Object secret = nested(from, "secretRef", "name");
                        assertThat(secret).as(w + " envFrom secretRef is not supported by this test").isNull();
                    }
                    for (Object e : list(container.get("env"))) {
                        Map<String, Object> var = map(e);
                        String name = String.valueOf(var.get("name"));
                        env.put(name, envValue(w + " env " + name, var, configMaps, secrets));
                    }
                    String configPath = env.get("TASKWATCH_CONFIG");
                    if (configPath == null) {
                        List<String> args = list(container.get("args")).stream().map(String::valueOf).toList();
                        assertThat(args).as(w + ": only `simulate` runs without a config file").startsWith("simulate");
                        continue;
                    }
                    String dir0 = configPath.substring(0, configPath.lastIndexOf('/'));
                    String file = configPath.substring(configPath.lastIndexOf('/') + 1);
                    String volume = list(container.get("volumeMounts")).stream().map(DeploymentConfigsLoadTest::map)
                            .filter(m -> dir0.equals(m.get("mountPath"))).map(m -> String.valueOf(m.get("name")))
                            .findFirst().orElseThrow(() -> new AssertionError(w + ": nothing mounted at " + dir0));
                    String configMap = list(pod.get("volumes")).stream().map(DeploymentConfigsLoadTest::map)
                            .filter(v -> volume.equals(v.get("name")))
                            .map(v -> String.valueOf(nested(v, "configMap", "name"))).findFirst().orElseThrow();
                    Object text = map(configMaps.get(configMap)).get(file);
                    assertThat(text).as(w + ": ConfigMap " + configMap + " key " + file).isNotNull();
                    TaskwatchConfig config = load(w + " (" + configMap + "/" + file + ")", String.valueOf(text), env);
                    assertSimulatorTargetsPollItsProject(w, config, env);
                    loaded++;
                }
            }
        }
        assertThat(loaded).as("workloads that read a config file").isGreaterThanOrEqualTo(6);
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static TaskwatchConfig load(String where, String yaml, Map<String, String> env) {
        TaskwatchConfig[] config = new TaskwatchConfig[1];
        assertThatCode(() -> config[0] = ConfigLoader.parse(yaml, Map.copyOf(env)))
                .as("%s loads with the environment %s", where, env.keySet()).doesNotThrowAnyException();
        return config[0];
    }

    private static boolean readsConfig(Map<String, Object> service) {
        return environment(service).containsKey("TASKWATCH_CONFIG") && !list(service.get("command")).isEmpty()
                && !"simulate".equals(String.valueOf(list(service.get("command")).get(0)));
    }

    private static void loadComposeService(String where, Map<String, Object> service) {
        Map<String, String> env = new TreeMap<>(imageEnvironment());
        environment(service).forEach((k, v) -> env.put(k, interpolate(v)));
        String configPath = env.get("TASKWATCH_CONFIG");
        Path source = null;
        for (Object v : list(service.get("volumes"))) {
            String[] parts = String.valueOf(v).split(":");
            if (parts.length >= 2 && parts[1].equals(configPath)) {
                source = ROOT.resolve(parts[0]).normalize();
            }
        }
        assertThat(source).as(where + " mounts TASKWATCH_CONFIG " + configPath).isNotNull();
        TaskwatchConfig config = load(where + " (" + ROOT.relativize(source) + ")", read(source), env);
        assertSimulatorTargetsPollItsProject(where, config, env);
    }

    /**
     * Targets served by the deployed simulator ({@code taskwatch simulate}, default settings) must poll a project it
     * creates tasks in, or they watch an empty task center forever.
     */
    private static void assertSimulatorTargetsPollItsProject(String where, TaskwatchConfig config,
            Map<String, String> env) {
        String simulatorUrl = env.get("TASKWATCH_SIMULATOR_URL");
        if (simulatorUrl == null) {
            return;
        }
        List<String> projects = SimulatorSettings.defaults().projects();
        for (TaskwatchConfig.TargetConfig t : config.targets()) {
            if (t.target().endpoint().toString().startsWith(simulatorUrl)) {
                assertThat(projects).as(where + " target " + t.target().name() + " project-id is one the simulator "
                        + "creates tasks in").contains(t.target().projectId());
            }
        }
    }

    /** Compose's own interpolation of a value from the host / .env: defaults used, required ones get a dummy. */
    private static String interpolate(String value) {
        if (value == null) {
            return "";
        }
        Matcher m = COMPOSE_VAR.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement = m.group(2) != null && m.group(2).endsWith("-") ? m.group(3)
                    : "dummy-" + m.group(1).toLowerCase(Locale.ROOT);
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString().replace("$$", "$");
    }

    /** The variables Kubernetes sets for a Service of the namespace (enableServiceLinks, on by default). */
    private static Map<String, String> serviceLinkEnvironment(String service, List<Object> ports) {
        String prefix = service.toUpperCase(Locale.ROOT).replace('-', '_');
        Map<String, String> env = new TreeMap<>();
        env.put(prefix + "_SERVICE_HOST", "10.96.0.10");
        boolean first = true;
        for (Object p : ports) {
            Map<String, Object> port = map(p);
            String number = String.valueOf(port.get("port"));
            String protocol = String.valueOf(port.getOrDefault("protocol", "TCP"));
            if (first) {
                env.put(prefix + "_SERVICE_PORT", number);
                env.put(prefix + "_PORT", protocol.toLowerCase(Locale.ROOT) + "://10.96.0.10:" + number);
                first = false;
            }
            if (port.get("name") != null) {
                env.put(prefix + "_SERVICE_PORT_" + String.valueOf(port.get("name")).toUpperCase(Locale.ROOT)
                        .replace('-', '_'), number);
            }
            String base = prefix + "_PORT_" + number + "_" + protocol;
            env.put(base, protocol.toLowerCase(Locale.ROOT) + "://10.96.0.10:" + number);
            env.put(base + "_PROTO", protocol.toLowerCase(Locale.ROOT));
            env.put(base + "_PORT", number);
            env.put(base + "_ADDR", "10.96.0.10");
        }
        return env;
    }

    /**
     * A container variable's value: literal, from a rendered ConfigMap, from a rendered Secret's stringData (dev's
     * demo values), or a dummy for a Secret managed outside git.
     */
    private static String envValue(String where, Map<String, Object> var, Map<String, Map<String, Object>> maps,
            Map<String, Map<String, Object>> secrets) {
        if (var.containsKey("value")) {
            return String.valueOf(var.get("value"));
        }
        Object configMapRef = nested(var, "valueFrom", "configMapKeyRef");
        if (configMapRef != null) {
            Map<String, Object> data = maps.get(String.valueOf(nested(configMapRef, "name")));
            assertThat(data).as(where + " ConfigMap").isNotNull();
            Object value = data.get(String.valueOf(nested(configMapRef, "key")));
            assertThat(value).as(where + " ConfigMap key").isNotNull();
            return String.valueOf(value);
        }
        Object secretRef = nested(var, "valueFrom", "secretKeyRef");
        if (secretRef != null) {
            Object known = secrets.getOrDefault(String.valueOf(nested(secretRef, "name")), Map.of())
                    .get(String.valueOf(nested(secretRef, "key")));
            if (known != null) {
                return String.valueOf(known);
            }
            return "dummy-" + String.valueOf(nested(secretRef, "key")).toLowerCase(Locale.ROOT);
        }
        Object fieldRef = nested(var, "valueFrom", "fieldRef", "fieldPath");
        if (fieldRef != null) {
            return "field-" + fieldRef;
        }
        throw new AssertionError(where + ": unsupported env source " + var);
    }

    /** ENV lines of the Dockerfile: every container of the image starts with them. */
    private static Map<String, String> imageEnvironment() {
        Map<String, String> env = new TreeMap<>();
        Matcher m = Pattern.compile("(?m)^ENV\\s+([A-Za-z_][A-Za-z0-9_]*)=(\\S*)").matcher(read(ROOT.resolve(
                "Dockerfile")));
        while (m.find()) {
            env.put(m.group(1), m.group(2).replaceAll("^\"|\"$", ""));
        }
        return env;
    }

    private static Map<String, String> environment(Map<String, Object> service) {
        Object env = service.get("environment");
        Map<String, String> result = new LinkedHashMap<>();
        if (env instanceof Map<?, ?> m) {
            m.forEach((k, v) -> result.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
        } else if (env instanceof List<?> l) {
            l.forEach(item -> {
                String[] kv = String.valueOf(item).split("=", 2);
                result.put(kv[0], kv.length > 1 ? kv[1] : null);
            });
        }
        return result;
    }

    private static Map<String, Object> map(Object node) {
        return DeployFiles.map(node, "deployment file");
    }

    private static List<Object> list(Object node) {
        if (node == null) {
            return List.of();
        }
        if (node instanceof Collection<?> c) {
            return new ArrayList<>(c);
        }
        return List.of(node);
    }
}
