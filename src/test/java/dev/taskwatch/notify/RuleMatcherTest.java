package dev.taskwatch.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.avro.TaskEvent;
import dev.taskwatch.avro.TaskEventType;
import dev.taskwatch.avro.TaskStatus;
import dev.taskwatch.config.NotifyConfig.NotifyRule;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleMatcherTest {

    private static final NotifyRule ANY = TestRules.to("any", "http://receiver.example/hook");

    private static NotifyRule rule(List<String> types, List<String> services, List<String> regions,
            List<String> projects, List<String> instanceIds, List<String> instanceNames, List<String> taskNames,
            boolean includeBackfill) {
        return new NotifyRule("r", types, services, regions, projects, instanceIds, instanceNames, taskNames,
                includeBackfill, ANY.webhook(), ANY.retry());
    }

    private static RuleMatcher matcher(NotifyRule rule) {
        return RuleMatcher.of(rule);
    }

    static TaskEvent event(TaskEventType type, String taskId, String name, String instanceName, boolean backfill) {
        return TaskEvent.newBuilder().setEventId("id-" + taskId + "-" + type).setType(type).setService("dds")
                .setRegion("eu-de").setProjectId("p1").setTaskId(taskId).setName(name)
                .setStatus(type == TaskEventType.COMPLETED ? TaskStatus.COMPLETED : TaskStatus.RUNNING)
                .setInstanceId("inst-1").setInstanceName(instanceName)
                .setOccurredAt(Instant.parse("2026-12-01T10:00:00Z")).setDetectedAt(Instant.parse("2026-12-01T10:00:05Z"))
                .setBackfill(backfill).build();
    }

    @Test
    void shouldMatchEveryNonBackfillEventWithoutSelectors() {
        assertThat(matcher(ANY).matches(event(TaskEventType.STARTED, "t1", "CreateInstance", "db1", false))).isTrue();
        assertThat(matcher(ANY).matches(event(TaskEventType.COMPLETED, "t1", "CreateInstance", "db1", false)))
                .isTrue();
    }

    @Test
    void shouldExcludeBackfillUnlessTheRuleAsksForIt() {
        TaskEvent history = event(TaskEventType.COMPLETED, "old", "CreateInstance", "db1", true);
        assertThat(matcher(ANY).matches(history)).isFalse();
        assertThat(matcher(rule(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), true))
                .matches(history)).isTrue();
    }

    @Test
    void shouldMatchOnlyTheListedEventTypes() {
        RuleMatcher terminal = matcher(rule(List.of("COMPLETED", "FAILED"), List.of(), List.of(), List.of(),
                List.of(), List.of(), List.of(), false));
        assertThat(terminal.matches(event(TaskEventType.COMPLETED, "t", "X", "db", false))).isTrue();
        assertThat(terminal.matches(event(TaskEventType.STARTED, "t", "X", "db", false))).isFalse();
    }

    @Test
    void shouldMatchTaskAndInstanceNameGlobs() {
        RuleMatcher rule = matcher(rule(List.of(), List.of("dds"), List.of("eu-de"), List.of("p1"), List.of(),
                List.of("prod-*"), List.of("Create*", "Resize?lavor"), false));
        assertThat(rule.matches(event(TaskEventType.STARTED, "t", "CreateInstance", "prod-orders", false))).isTrue();
        assertThat(rule.matches(event(TaskEventType.STARTED, "t", "ResizeFlavor", "prod-1", false))).isTrue();
        assertThat(rule.matches(event(TaskEventType.STARTED, "t", "ResizeVolume", "prod-1", false))).isFalse();
        assertThat(rule.matches(event(TaskEventType.STARTED, "t", "CreateInstance", "test-orders", false))).isFalse();
        assertThat(rule.matches(event(TaskEventType.STARTED, "t", "CreateInstance", null, false))).isFalse();
    }

    @Test
    void shouldRequireEveryListToMatch() {
        TaskEvent e = event(TaskEventType.STARTED, "t", "CreateInstance", "db", false);
        assertThat(matcher(rule(List.of(), List.of("geminidb"), List.of(), List.of(), List.of(), List.of(), List.of(), false))
                .matches(e)).isFalse();
        assertThat(matcher(rule(List.of(), List.of(), List.of("eu-nl"), List.of(), List.of(), List.of(), List.of(), false))
                .matches(e)).isFalse();
        assertThat(matcher(rule(List.of(), List.of(), List.of(), List.of("p2"), List.of(), List.of(), List.of(), false))
                .matches(e)).isFalse();
        assertThat(matcher(rule(List.of(), List.of(), List.of(), List.of(), List.of("inst-2"), List.of(), List.of(), false))
                .matches(e)).isFalse();
        assertThat(matcher(rule(List.of(), List.of("dds"), List.of("eu-de"), List.of("p1"), List.of("inst-1"), List.of(),
                List.of(), false)).matches(e)).isTrue();
    }

    @Test
    void shouldTreatOnlyStarAndQuestionMarkAsSpecialInGlobs() {
        assertThat(Glob.of("a.b[1]").matches("a.b[1]")).isTrue();
        assertThat(Glob.of("a.b[1]").matches("axb1")).isFalse();
        assertThat(Glob.of("*").matches("")).isTrue();
        assertThat(Glob.of("Create?").matches("Create")).isFalse();
    }

    @Test
    void shouldNeverPrintTheSecretOrHeaderValues() {
        NotifyRule rule = new NotifyRule("r", List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of(), false, new dev.taskwatch.config.NotifyConfig.Webhook(ANY.webhook().url(),
                        java.util.Map.of("Authorization", "Bearer tok"), ANY.webhook().timeout(), "s3cr3t"),
                ANY.retry());
        assertThat(rule.webhook().toString()).doesNotContain("s3cr3t").doesNotContain("tok")
                .contains("Authorization");
    }
}
