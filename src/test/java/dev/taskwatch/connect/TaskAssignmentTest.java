package dev.taskwatch.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class TaskAssignmentTest {

    /** {@code counts[c]} targets on credential {@code cred<c>}, interleaved like a real list would be. */
    private static Map<String, String> props(int... counts) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("topics.prefix", "taskwatch.");
        props.put("schema-registry.url", "http://registry:8081");
        int index = 0;
        int[] left = counts.clone();
        boolean any = true;
        while (any) {
            any = false;
            for (int c = 0; c < left.length; c++) {
                if (left[c]-- > 0) {
                    any = true;
                    props.put("targets[" + index + "].name", "t" + index);
                    props.put("targets[" + index + "].service", "dds");
                    props.put("targets[" + index + "].credentials", "cred" + c);
                    index++;
                }
            }
        }
        for (int c = 0; c < counts.length; c++) {
            props.put("credentials.cred" + c + ".type", "aksk");
            props.put("credentials.cred" + c + ".secret-key", "secret-of-" + c);
        }
        return props;
    }

    private static Set<String> credentialsOf(Map<String, String> task) {
        return task.entrySet().stream().filter(e -> e.getKey().endsWith("].credentials")).map(Map.Entry::getValue)
                .collect(Collectors.toSet());
    }

    private static int targetCount(Map<String, String> task) {
        return (int) task.keySet().stream().filter(k -> k.endsWith("].name")).count();
    }

    @Test
    void shouldNeverSplitOneCredentialsTargetsAcrossTasks() {
        List<Map<String, String>> tasks = TaskAssignment.split(props(20, 20), 3);

        assertThat(tasks).hasSize(2);
        assertThat(tasks).allSatisfy(task -> assertThat(credentialsOf(task)).hasSize(1));
        assertThat(tasks.stream().map(TaskAssignmentTest::targetCount)).containsExactly(20, 20);
    }

    @Test
    void shouldBalanceCredentialsByTargetCount() {
        List<Map<String, String>> tasks = TaskAssignment.split(props(10, 6, 5, 4, 1), 2);

        assertThat(tasks.stream().map(TaskAssignmentTest::targetCount)).containsExactlyInAnyOrder(14, 12); // the best any split of 10,6,5,4,1 can do
    }

    @Test
    void shouldGiveEachTaskOnlyTheSecretsOfItsOwnCredentials() {
        List<Map<String, String>> tasks = TaskAssignment.split(props(3, 3), 2);

        for (Map<String, String> task : tasks) {
            String own = credentialsOf(task).iterator().next();
            assertThat(task.keySet().stream().filter(k -> k.startsWith("credentials.")))
                    .allSatisfy(k -> assertThat(k).startsWith("credentials." + own + "."));
            assertThat(task).containsEntry("topics.prefix", "taskwatch.")
                    .containsEntry("schema-registry.url", "http://registry:8081");
        }
    }

    @Test
    void shouldRenumberEachTasksTargetsFromZeroInOriginalOrder() {
        Map<String, String> task = TaskAssignment.split(props(2, 2), 2).get(0);

        assertThat(task).containsKeys("targets[0].name", "targets[1].name").doesNotContainKey("targets[2].name");
        assertThat(Integer.parseInt(task.get("targets[0].name").substring(1)))
                .isLessThan(Integer.parseInt(task.get("targets[1].name").substring(1)));
        assertThat(task.get("targets[0].service")).isEqualTo("dds");
    }

    @Test
    void shouldStartOneTaskForNoTargetsSoThatValidationCanSpeak() {
        assertThat(TaskAssignment.split(Map.of("topics.prefix", "x."), 4)).hasSize(1);
    }

    @Test
    void shouldRefuseTasksMaxBelowOne() {
        assertThatThrownBy(() -> TaskAssignment.split(props(1), 0)).hasMessageContaining("tasks.max");
    }

    @Property(tries = 200)
    void shouldPlaceEveryTargetExactlyOnceWithItsCredentialInOneTask(
            @ForAll @IntRange(min = 0, max = 12) int a, @ForAll @IntRange(min = 1, max = 12) int b,
            @ForAll @IntRange(min = 0, max = 12) int c, @ForAll @IntRange(min = 1, max = 5) int maxTasks) {
        Map<String, String> props = props(a, b, c);
        List<Map<String, String>> tasks = TaskAssignment.split(props, maxTasks);

        assertThat(tasks.size()).isBetween(1, maxTasks);
        Set<String> names = new HashSet<>();
        Set<String> seenCredentials = new HashSet<>();
        for (Map<String, String> task : tasks) {
            task.forEach((k, v) -> {
                if (k.endsWith("].name")) {
                    assertThat(names.add(v)).as("target %s placed twice", v).isTrue();
                }
            });
            for (String credential : credentialsOf(task)) {
                assertThat(seenCredentials.add(credential)).as("credential %s split", credential).isTrue();
            }
        }
        assertThat(names).hasSize(a + b + c);
        assertThat(TaskAssignment.split(props, maxTasks)).isEqualTo(tasks);
    }

    @Test
    void shouldGiveEachDiscoveryCredentialToOneTaskWithOnlyItsOwnDiscoveryKeys() {
        Map<String, String> props = props(3, 1);
        for (String c : List.of("acctA", "acctB")) {
            props.put("credentials." + c + ".type", "token");
            props.put("credentials." + c + ".token", "secret-" + c);
        }
        props.put("discovery.credentials", "acctA, acctB,cred1");
        props.put("discovery.regions", "eu-de");
        props.put("discovery.refresh-interval", "30m");

        List<Map<String, String>> configs = TaskAssignment.split(props, 3);

        assertThat(configs).hasSize(3);
        Map<String, Integer> owner = new LinkedHashMap<>();
        for (int t = 0; t < configs.size(); t++) {
            Map<String, String> config = configs.get(t);
            String discovering = config.get("discovery.credentials");
            if (discovering == null) {
                assertThat(config.keySet()).noneMatch(k -> k.startsWith("discovery."));
                continue;
            }
            assertThat(config).containsEntry("discovery.regions", "eu-de")
                    .containsEntry("discovery.refresh-interval", "30m");
            for (String c : discovering.split(",")) {
                assertThat(owner.put(c, t)).as(c + " in one task only").isNull();
                assertThat(config).containsKey("credentials." + c + ".type");
            }
        }
        assertThat(owner).containsOnlyKeys("acctA", "acctB", "cred1");
        int cred1Task = owner.get("cred1");
        assertThat(configs.get(cred1Task)).containsValue("cred1").as("cred1's explicit target stays with its discovery")
                .containsEntry("targets[0].credentials", "cred1");
        assertThat(TaskAssignment.split(props, 3)).as("the same split on every worker").isEqualTo(configs);
    }
}
