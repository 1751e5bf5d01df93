package dev.taskwatch.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import static dev.taskwatch.deploy.DeployFiles.ROOT;
import static dev.taskwatch.deploy.DeployFiles.documents;
import static dev.taskwatch.deploy.DeployFiles.kustomize;
import static dev.taskwatch.deploy.DeployFiles.map;
import static dev.taskwatch.deploy.DeployFiles.nested;
import static dev.taskwatch.deploy.DeployFiles.onPath;
import static dev.taskwatch.deploy.DeployFiles.read;
import static dev.taskwatch.deploy.DeployFiles.yaml;

import dev.taskwatch.model.Topics;
import dev.taskwatch.cli.TaskwatchCommand;
import dev.taskwatch.config.ConfigKeys;
import dev.taskwatch.taskcenter.Service;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The deployment files (docker-compose*.yml, deploy/**) against what the application reads: every config key they set
 * is a key of the config file format, every {@code ${VAR}} a mounted config file needs is set by the service or
 * workload that mounts it (and every variable a workload sets is read), every command is a taskwatch command, and
 * probes use the health paths. A renamed key or variable thus breaks the build, not a deployment.
 *
 * <p>Kubernetes is checked twice: the base from its source files (always), and every overlay as rendered by {@code
 * kubectl kustomize} (skipped when kubectl is not installed; CI has it).
 */
class DeploymentFilesTest {

    /**
     * Leaf key paths of the config file as the application reads them ({@link ConfigKeys#ALL}): maps joined with '.',
     * list elements as "[]", the named entries under {@code credentials} as "*". Paths in {@link #freeFormConfigMaps()}
     * accept anything below them.
     */
    static Set<String> validConfigKeyPaths() {
        return ConfigKeys.ALL.stream().filter(k -> !k.endsWith(".*")).map(k -> k.replace("<name>", "*"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Config maps passed through as they are (Kafka client and Streams properties). */
    static Set<String> freeFormConfigMaps() {
        return Set.of("kafka.properties");
    }

    /** The subcommands of the taskwatch jar (docs/design.md#runtime-and-command-line). */
    static Set<String> cliCommands() {
        return new TreeSet<>(TaskwatchCommand.commandLine().getSubcommands().keySet());
    }

    /** Variables the application (or its JVM) reads itself, not through the config file. */
    static final Set<String> APPLICATION_ENV = Stream.concat(Stream.of("TASKWATCH_CONFIG", "JAVA_TOOL_OPTIONS"),
            ConfigKeys.ENVIRONMENT_OVERRIDES.keySet().stream()).collect(Collectors.toUnmodifiableSet());

    static final Set<String> HEALTH_PATHS = Set.of("/health/live", "/health/ready");
    static final Set<String> CREDENTIAL_TYPES = Set.of("token", "password", "aksk");

    // ---------------------------------------------------------------------------------------------------------------

    private static final Pattern ENV_REF = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-[^}]*)?}");

    @Test
    void shouldUseOnlyKnownConfigKeysAndValuesInEveryShippedConfigFile() throws IOException {
        List<Path> configs;
        try (Stream<Path> files = Files.walk(ROOT.resolve("deploy"))) {
            configs = files.filter(p -> p.getFileName().toString().equals("taskwatch.yaml")
                    || p.getFileName().toString().startsWith("taskwatch-")).filter(p -> p.toString().endsWith(".yaml"))
                    .sorted().toList();
        }
        assertThat(configs).as("config files under deploy/").hasSizeGreaterThanOrEqualTo(4);
        for (Path config : configs) {
            assertValidConfig(ROOT.relativize(config).toString(), read(config));
        }
    }

    @Test
    void composeServicesShouldProvideEveryVariableTheirConfigFileReads() {
        Map<String, Object> compose = yamlMap(ROOT.resolve("docker-compose.yml"));
        Map<String, Object> services = map(compose.get("services"), "docker-compose.yml services");
        int taskwatchServices = 0;
        for (Map.Entry<String, Object> e : services.entrySet()) {
            Map<String, Object> service = map(e.getValue(), e.getKey());
            if (!isTaskwatchImage(service)) {
                continue;
            }
            taskwatchServices++;
            String where = "docker-compose.yml service " + e.getKey();
            assertComposeService(where, service, true);
            Object healthcheck = service.get("healthcheck");
            if (healthcheck != null) {
                String test = String.valueOf(map(healthcheck, where).get("test"));
                assertOnlyHealthPaths(where + " healthcheck", test);
            }
        }
        assertThat(taskwatchServices).as("taskwatch services in docker-compose.yml").isGreaterThanOrEqualTo(4);
        assertThat(services).containsKeys("simulator", "poll", "transitions", "events");
        assertThat(command(map(services.get("transitions"), "transitions"))).startsWith("transitions");
        assertThat(command(map(services.get("poll"), "poll"))).startsWith("poll");
    }

    @Test
    void cloudOverrideShouldProvideEveryVariableOfTheCloudConfig() {
        Map<String, Object> base = map(yamlMap(ROOT.resolve("docker-compose.yml")).get("services"), "services");
        Map<String, Object> cloud = map(yamlMap(ROOT.resolve("docker-compose.cloud.yml")).get("services"),
                "docker-compose.cloud.yml services");
        assertThat(cloud).isNotEmpty();
        for (Map.Entry<String, Object> e : cloud.entrySet()) {
            assertThat(base).as("docker-compose.cloud.yml overrides services of docker-compose.yml").containsKey(e.getKey());
            Map<String, Object> merged = new LinkedHashMap<>(map(base.get(e.getKey()), e.getKey()));
            Map<String, Object> override = map(e.getValue(), e.getKey());
            Map<String, String> env = new LinkedHashMap<>(environment(merged));
            env.putAll(environment(override));
            List<Object> volumes = new ArrayList<>(list(merged.getOrDefault("volumes", List.of())));
            volumes.addAll(list(override.getOrDefault("volumes", List.of())));
            merged.put("environment", env);
            merged.put("volumes", volumes);
            // The base services' variables for the simulator stay set: only "required ones are provided" applies.
            assertComposeService("docker-compose.yml + docker-compose.cloud.yml service " + e.getKey(), merged, false);
            assertThat(env.get("TASKWATCH_CONFIG")).as(e.getKey() + " uses the cloud config").contains("cloud");
        }
    }

    @Test
    void composeTopicInitShouldCreateEveryTopic() {
        Map<String, Object> services = map(yamlMap(ROOT.resolve("docker-compose.yml")).get("services"), "services");
        String script = String.join("\n", command(map(services.get("topics-init"), "topics-init")));
        Topics topics = Topics.defaults();
        for (String topic : topics.all()) {
            String suffix = topic.substring(Topics.DEFAULT_PREFIX.length());
            assertThat(Pattern.compile("(?<![\\w.-])" + Pattern.quote(suffix) + "(?![\\w.-])").matcher(script).find())
                    .as("topics-init creates %s", topic).isTrue();
        }
        assertThat(script).contains("create watch-requests --config cleanup.policy=compact",
                "create poller-positions --config cleanup.policy=compact");
    }

    @Test
    void kubernetesBaseShouldWireConfigEnvSecretsAndProbes() {
        Path base = ROOT.resolve("deploy/base");
        Map<String, Object> kustomization = yamlMap(base.resolve("kustomization.yaml"));
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object resource : list(kustomization.get("resources"))) {
            objects.addAll(yamlDocuments(base.resolve(String.valueOf(resource))));
        }
        // What configMapGenerator would generate, without the hash suffix (the references carry none either).
        for (Object g : list(kustomization.get("configMapGenerator"))) {
            Map<String, Object> generator = map(g, "configMapGenerator");
            Map<String, Object> data = new LinkedHashMap<>();
            for (Object file : list(generator.getOrDefault("files", List.of()))) {
                // `key=file` names the ConfigMap key; a bare file name is its own key.
                String[] keyAndFile = String.valueOf(file).split("=", 2);
                Path path = base.resolve(keyAndFile[keyAndFile.length - 1]);
                data.put(keyAndFile.length == 2 ? keyAndFile[0] : path.getFileName().toString(), read(path));
            }
            for (Object literal : list(generator.getOrDefault("literals", List.of()))) {
                String[] kv = String.valueOf(literal).split("=", 2);
                data.put(kv[0], kv[1]);
            }
            objects.add(Map.of("kind", "ConfigMap", "metadata", Map.of("name", generator.get("name")), "data", data));
        }
        int workloads = assertKubernetesObjects("deploy/base", objects, true);
        assertThat(workloads).isEqualTo(2);
    }

    @Test
    void everyRenderedOverlayShouldWireConfigEnvSecretsAndProbes() throws Exception {
        assumeThat(onPath("kubectl")).as("kubectl on PATH (renders the overlays)").isTrue();
        List<Path> overlays;
        try (Stream<Path> dirs = Files.list(ROOT.resolve("deploy/overlays"))) {
            overlays = dirs.filter(Files::isDirectory).sorted().toList();
        }
        assertThat(overlays).extracting(p -> p.getFileName().toString()).contains("dev", "prod");
        for (Path overlay : overlays) {
            String rendered = kustomize(overlay);
            List<Map<String, Object>> objects = documents(rendered, overlay.toString());
            String where = ROOT.relativize(overlay).toString();
            // Overlays may leave base variables unused (dev replaces the cloud config with the simulator's).
            assertThat(assertKubernetesObjects(where, objects, false)).as(where + " workloads").isGreaterThanOrEqualTo(2);
            objects.stream().filter(o -> "KafkaTopic".equals(o.get("kind"))).findAny()
                    .ifPresent(any -> assertStrimziTopics(where, objects));
        }
    }

    @Test
    void strimziComponentShouldDeclareEveryTopicOnce() {
        List<Map<String, Object>> topics = yamlDocuments(ROOT.resolve("deploy/components/strimzi-topics/kafkatopics.yaml"));
        assertStrimziTopics("deploy/components/strimzi-topics", topics);
    }

    @Test
    void dockerfileShouldCheckLivenessAndRunTheJar() {
        String dockerfile = read(ROOT.resolve("Dockerfile"));
        assertThat(dockerfile).contains("HEALTHCHECK").contains("/health/live").contains("/app/taskwatch.jar")
                .contains("MaxRAMPercentage").containsPattern("(?m)^USER 10001");
        assertOnlyHealthPaths("Dockerfile", dockerfile);
        Matcher cmd = Pattern.compile("(?m)^CMD \\[\"([a-z-]+)\"").matcher(dockerfile);
        assertThat(cmd.find()).as("Dockerfile CMD").isTrue();
        assertThat(cliCommands()).contains(cmd.group(1));
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** Checks a compose service that runs taskwatch; returns nothing, fails with the service and variable named. */
    private static void assertComposeService(String where, Map<String, Object> service, boolean noUnusedVariables) {
        List<String> command = command(service);
        assertThat(command).as(where + " command").isNotEmpty();
        assertThat(cliCommands()).as(where + " command " + command).contains(command.get(0));
        Map<String, String> env = environment(service);
        String configPath = env.get("TASKWATCH_CONFIG");
        assertThat(configPath).as(where + " sets TASKWATCH_CONFIG").isNotBlank();
        Path source = null;
        for (Object v : list(service.getOrDefault("volumes", List.of()))) {
            String[] parts = String.valueOf(v).split(":");
            if (parts.length >= 2 && parts[1].equals(configPath)) {
                source = ROOT.resolve(parts[0]).normalize();
            }
        }
        assertThat(source).as(where + " mounts a file at TASKWATCH_CONFIG " + configPath).isNotNull();
        String config = read(source);
        String configName = ROOT.relativize(source).toString();
        assertValidConfig(configName, config);
        assertVariablesProvided(where, configName, config, env.keySet(), noUnusedVariables);
        if ("transitions".equals(command.get(0))) {
            String stateDir = String.valueOf(nested(yaml(config), "transitions", "state-dir"));
            assertThat(list(service.get("volumes"))).as(where + " mounts a volume at transitions.state-dir")
                    .anyMatch(v -> String.valueOf(v).split(":").length >= 2
                            && String.valueOf(v).split(":")[1].equals(stateDir)
                            && !String.valueOf(v).startsWith("."));
        }
    }

    /**
     * Checks the Deployments and StatefulSets among {@code objects}: commands, env sources (ConfigMap and Secret keys
     * that exist), the mounted config file and its variables, probes. Returns the number of workloads checked.
     */
    private static int assertKubernetesObjects(String where, List<Map<String, Object>> objects, boolean noUnused) {
        Map<String, Map<String, Object>> configMaps = new LinkedHashMap<>();
        Map<String, Set<String>> secretKeys = new LinkedHashMap<>();
        for (Map<String, Object> o : objects) {
            String name = String.valueOf(nested(o, "metadata", "name"));
            if ("ConfigMap".equals(o.get("kind"))) {
                configMaps.put(withoutHash(name), map(o.getOrDefault("data", Map.of()), name));
            } else if ("Secret".equals(o.get("kind"))) {
                Set<String> keys = new TreeSet<>(map(o.getOrDefault("stringData", Map.of()), name).keySet());
                keys.addAll(map(o.getOrDefault("data", Map.of()), name).keySet());
                secretKeys.put(name, keys);
            }
        }
        int workloads = 0;
        Map<String, Set<String>> consumedConfigMapKeys = new LinkedHashMap<>();
        for (Map<String, Object> o : objects) {
            if (!Set.of("Deployment", "StatefulSet").contains(o.get("kind"))) {
                continue;
            }
            String workload = where + " " + o.get("kind") + "/" + nested(o, "metadata", "name");
            Map<String, Object> pod = map(nested(o, "spec", "template", "spec"), workload);
            for (Object c : list(pod.get("containers"))) {
                Map<String, Object> container = map(c, workload);
                String w = workload + " container " + container.get("name");
                List<String> args = list(container.getOrDefault("args", List.of())).stream().map(String::valueOf).toList();
                assertThat(args).as(w + " args").isNotEmpty();
                assertThat(cliCommands()).as(w + " command " + args).contains(args.get(0));
                workloads++;
                if ("simulate".equals(args.get(0))) {
                    continue; // serves no ops port and reads no config file
                }
                Map<String, String> env = new LinkedHashMap<>();
                for (Object e : list(container.getOrDefault("env", List.of()))) {
                    Map<String, Object> var = map(e, w);
                    String name = String.valueOf(var.get("name"));
                    env.put(name, resolveEnv(w + " env " + name, var, configMaps, secretKeys));
                    Object ref = nested(var, "valueFrom", "configMapKeyRef");
                    if (ref != null) {
                        consumedConfigMapKeys.computeIfAbsent(withoutHash(String.valueOf(nested(ref, "name"))),
                                k -> new TreeSet<>()).add(String.valueOf(nested(ref, "key")));
                    }
                }
                // The config file: the ConfigMap volume mounted at TASKWATCH_CONFIG's directory.
                String configPath = env.get("TASKWATCH_CONFIG");
                assertThat(configPath).as(w + " sets TASKWATCH_CONFIG").isNotBlank();
                String dir = configPath.substring(0, configPath.lastIndexOf('/'));
                String file = configPath.substring(configPath.lastIndexOf('/') + 1);
                String volumeName = list(container.get("volumeMounts")).stream().map(m -> map(m, w))
                        .filter(m -> dir.equals(m.get("mountPath"))).map(m -> String.valueOf(m.get("name")))
                        .findFirst().orElseThrow(() -> new AssertionError(w + ": nothing mounted at " + dir));
                Map<String, Object> volume = list(pod.get("volumes")).stream().map(v -> map(v, w))
                        .filter(v -> volumeName.equals(v.get("name"))).findFirst()
                        .orElseThrow(() -> new AssertionError(w + ": no volume " + volumeName));
                String configMapName = withoutHash(String.valueOf(nested(volume, "configMap", "name")));
                assertThat(configMaps).as(w + " config ConfigMap").containsKey(configMapName);
                Object content = configMaps.get(configMapName).get(file);
                assertThat(content).as(w + ": ConfigMap " + configMapName + " has key " + file).isNotNull();
                String config = String.valueOf(content);
                String configName = where + " ConfigMap " + configMapName + "/" + file;
                assertValidConfig(configName, config);
                assertVariablesProvided(w, configName, config, env.keySet(), noUnused);
                assertProbes(w, container, env);
                Map<String, Object> annotations = map(nested(o, "spec", "template", "metadata", "annotations"),
                        w + " pod annotations");
                assertThat(annotations).as(w + " Prometheus scrape annotations")
                        .containsEntry("prometheus.io/scrape", "true").containsEntry("prometheus.io/path", "/metrics")
                        .containsEntry("prometheus.io/port", env.getOrDefault("TASKWATCH_HTTP_PORT", "8080"));
                if ("transitions".equals(args.get(0))) {
                    assertThat(o.get("kind")).as(w + " runs as a StatefulSet").isEqualTo("StatefulSet");
                    // Static membership: the pod name, stable across restarts and unique among the replicas.
                    assertThat(env).as(w + " group instance id").containsEntry(
                            "TASKWATCH_TRANSITIONS_GROUP_INSTANCE_ID", "<metadata.name>");
                    String stateDir = String.valueOf(nested(yaml(config), "transitions", "state-dir"));
                    Set<String> claims = new TreeSet<>();
                    for (Object t : list(nested(o, "spec", "volumeClaimTemplates"))) {
                        claims.add(String.valueOf(nested(map(t, w), "metadata", "name")));
                    }
                    assertThat(list(container.get("volumeMounts"))).as(w + " mounts a PVC at " + stateDir)
                            .anyMatch(m -> stateDir.equals(map(m, w).get("mountPath"))
                                    && claims.contains(String.valueOf(map(m, w).get("name"))));
                }
            }
        }
        // A key set in an env ConfigMap (e.g. by an overlay or component) that no workload reads is a misspelling.
        consumedConfigMapKeys.forEach((name, consumed) -> assertThat(consumed)
                .as(where + " ConfigMap " + name + ": keys no workload reads")
                .containsAll(configMaps.get(name).keySet()));
        return workloads;
    }

    private static String resolveEnv(String where, Map<String, Object> var, Map<String, Map<String, Object>> configMaps,
            Map<String, Set<String>> secretKeys) {
        if (var.containsKey("value")) {
            return String.valueOf(var.get("value"));
        }
        Map<String, Object> from = map(var.get("valueFrom"), where + " valueFrom");
        if (from.containsKey("configMapKeyRef")) {
            Map<String, Object> ref = map(from.get("configMapKeyRef"), where);
            String name = withoutHash(String.valueOf(ref.get("name")));
            assertThat(configMaps).as(where + ": ConfigMap").containsKey(name);
            assertThat(configMaps.get(name)).as(where + ": ConfigMap " + name).containsKey(String.valueOf(ref.get("key")));
            return String.valueOf(configMaps.get(name).get(String.valueOf(ref.get("key"))));
        }
        if (from.containsKey("secretKeyRef")) {
            Map<String, Object> ref = map(from.get("secretKeyRef"), where);
            String name = String.valueOf(ref.get("name"));
            // An overlay may leave the Secret out (managed outside git): then the base template says which keys it has.
            Set<String> keys = secretKeys.containsKey(name) ? secretKeys.get(name) : templateSecretKeys(name);
            assertThat(keys).as(where + ": Secret " + name).contains(String.valueOf(ref.get("key")));
            return "<secret>";
        }
        if (from.containsKey("fieldRef")) {
            String field = String.valueOf(nested(from, "fieldRef", "fieldPath"));
            assertThat(field).as(where + ": a pod field").isIn("metadata.name", "metadata.namespace", "spec.nodeName");
            return "<" + field + ">";
        }
        throw new AssertionError(where + ": unsupported env source " + from.keySet());
    }

    /**
     * The keys of a Secret managed outside git, from its template: deploy/base/secret-credentials.yaml or a
     * {@code secret-templates.yaml} of an overlay (the contract of the Secret).
     */
    private static Set<String> templateSecretKeys(String name) {
        List<Path> templates;
        try (Stream<Path> files = Files.walk(ROOT.resolve("deploy"))) {
            templates = files.filter(p -> p.getFileName().toString().matches("secret-(credentials|templates)\\.yaml"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path template : templates) {
            for (Map<String, Object> doc : yamlDocuments(template)) {
                if ("Secret".equals(doc.get("kind")) && name.equals(nested(doc, "metadata", "name"))) {
                    return new TreeSet<>(map(doc.get("stringData"), ROOT.relativize(template).toString()).keySet());
                }
            }
        }
        throw new AssertionError("Secret " + name + " is neither rendered nor in a template under deploy/");
    }

    private static void assertProbes(String where, Map<String, Object> container, Map<String, String> env) {
        Map<String, Object> liveness = map(container.get("livenessProbe"), where + " livenessProbe");
        Map<String, Object> readiness = map(container.get("readinessProbe"), where + " readinessProbe");
        assertThat(nested(liveness, "httpGet", "path")).as(where + " liveness path").isEqualTo("/health/live");
        assertThat(nested(readiness, "httpGet", "path")).as(where + " readiness path").isEqualTo("/health/ready");
        if (container.get("startupProbe") != null) {
            assertThat(HEALTH_PATHS).contains(String.valueOf(
                    nested(map(container.get("startupProbe"), where), "httpGet", "path")));
        }
        // The probes' named port is the container port the config's http.port resolves to.
        String portName = String.valueOf(nested(liveness, "httpGet", "port"));
        Object containerPort = list(container.get("ports")).stream().map(p -> map(p, where))
                .filter(p -> portName.equals(String.valueOf(p.get("name")))).map(p -> p.get("containerPort"))
                .findFirst().orElseThrow(() -> new AssertionError(where + ": no container port " + portName));
        assertThat(String.valueOf(containerPort)).as(where + " ops port = TASKWATCH_HTTP_PORT")
                .isEqualTo(env.getOrDefault("TASKWATCH_HTTP_PORT", "8080"));
    }

    private static void assertStrimziTopics(String where, List<Map<String, Object>> objects) {
        List<Map<String, Object>> topics = objects.stream().filter(o -> "KafkaTopic".equals(o.get("kind"))).toList();
        List<String> names = topics.stream().map(t -> String.valueOf(nested(t, "spec", "topicName"))).toList();
        assertThat(names).as(where + " KafkaTopic spec.topicName").containsExactlyInAnyOrderElementsOf(
                Topics.defaults().all());
        for (Map<String, Object> t : topics) {
            String name = String.valueOf(nested(t, "spec", "topicName"));
            Object cleanup = nested(t, "spec", "config", "cleanup.policy");
            assertThat(cleanup).as(where + " " + name + " cleanup.policy")
                    .isEqualTo(name.equals(Topics.defaults().watchRequests())
                            || name.equals(Topics.defaults().pollerPositions()) ? "compact" : null);
            assertThat(nested(t, "metadata", "labels", "strimzi.io/cluster")).as(where + " " + name + " cluster label")
                    .isNotNull();
        }
    }

    /** Every key path of the config is a valid one, and the few values that can be checked statically are valid. */
    private static void assertValidConfig(String configName, String text) {
        Map<String, Object> config = yaml(text);
        Set<String> paths = new TreeSet<>();
        collectKeyPaths(config, "", paths);
        Set<String> valid = validConfigKeyPaths();
        List<String> unknown = paths.stream().filter(p -> !valid.contains(p)
                && freeFormConfigMaps().stream().noneMatch(f -> p.equals(f) || p.startsWith(f + "."))).toList();
        assertThat(unknown).as("config keys of " + configName + " the application does not read").isEmpty();

        Map<String, Object> credentials = map(config.getOrDefault("credentials", Map.of()), configName);
        credentials.forEach((name, c) -> assertThat(CREDENTIAL_TYPES)
                .as(configName + " credentials." + name + ".type").contains(String.valueOf(map(c, name).get("type"))));
        for (Object t : list(config.getOrDefault("targets", List.of()))) {
            Map<String, Object> target = map(t, configName + " target");
            String service = String.valueOf(target.get("service"));
            assertThat(Service.fromId(service).id()).isEqualTo(service);
            assertThat(credentials).as(configName + " target " + service + " credentials")
                    .containsKey(String.valueOf(target.get("credentials")));
        }
    }

    /** Required ${VAR}s (those without a default) are provided; optionally, every provided variable is read. */
    private static void assertVariablesProvided(String where, String configName, String config, Set<String> provided,
            boolean noUnused) {
        Set<String> required = new TreeSet<>();
        Set<String> referenced = new TreeSet<>();
        Matcher m = ENV_REF.matcher(config);
        while (m.find()) {
            referenced.add(m.group(1));
            if (m.group(2) == null) {
                required.add(m.group(1));
            }
        }
        assertThat(provided).as(where + " provides the variables " + configName + " requires").containsAll(required);
        if (noUnused) {
            List<String> unused = provided.stream()
                    .filter(v -> !referenced.contains(v) && !APPLICATION_ENV.contains(v)).toList();
            assertThat(unused).as(where + " sets variables that neither " + configName + " nor taskwatch reads")
                    .isEmpty();
        }
    }

    private static void assertOnlyHealthPaths(String where, String text) {
        Matcher m = Pattern.compile("/health/[a-z]+").matcher(text);
        while (m.find()) {
            assertThat(HEALTH_PATHS).as(where + " health path").contains(m.group());
        }
    }

    private static void collectKeyPaths(Object node, String path, Set<String> out) {
        if (node instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String child = path.equals("credentials") ? "credentials.*"
                        : path.isEmpty() ? String.valueOf(e.getKey()) : path + "." + e.getKey();
                if (freeFormConfigMaps().contains(child)) {
                    out.add(child);
                } else {
                    collectKeyPaths(e.getValue(), child, out);
                }
            }
        } else if (node instanceof List<?> items) {
            items.forEach(item -> collectKeyPaths(item, path + "[]", out));
        } else {
            out.add(path);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static boolean isTaskwatchImage(Map<String, Object> service) {
        return service.containsKey("build") || String.valueOf(service.get("image")).contains("taskwatch");
    }

    private static List<String> command(Map<String, Object> service) {
        Object command = service.get("command");
        if (command == null) {
            return List.of();
        }
        return command instanceof List<?> l ? l.stream().map(String::valueOf).toList()
                : List.of(String.valueOf(command).trim().split("\\s+"));
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

    /** A generated ConfigMap's name without the content hash kustomize appends ("taskwatch-env-98889dm9t9"). */
    private static String withoutHash(String name) {
        return name.replaceAll("-[a-z0-9]{10}$", "");
    }

    private static Map<String, Object> yamlMap(Path file) {
        return yaml(read(file));
    }

    private static List<Map<String, Object>> yamlDocuments(Path file) {
        return documents(read(file), ROOT.relativize(file).toString());
    }

    private static List<Object> list(Object node) {
        if (node == null) {
            return List.of();
        }
        if (node instanceof Collection<?> c) {
            return new ArrayList<>(c);
        }
        throw new AssertionError("expected a list, got " + node);
    }

}
