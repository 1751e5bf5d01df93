package dev.taskwatch.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskwatch.avro.TaskEvent;
import dev.taskwatch.avro.TaskEventType;
import dev.taskwatch.avro.TaskStatus;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NotifyRuleTest {

    private static final NotifyRule ANY = NotifyRule.to("any", URI.create("http://receiver.example/hook"));

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
        assertThat(ANY.matches(event(TaskEventType.STARTED, "t1", "CreateInstance", "db1", false))).isTrue();
        assertThat(ANY.matches(event(TaskEventType.COMPLETED, "t1", "CreateInstance", "db1", false))).isTrue();
    }

    @Test
    void shouldExcludeBackfillUnlessTheRuleAsksForIt() {
        TaskEvent history = event(TaskEventType.COMPLETED, "old", "CreateInstance", "db1", true);
        assertThat(ANY.matches(history)).isFalse();
        assertThat(ANY.withIncludeBackfill(true).matches(history)).isTrue();
    }

    @Test
    void shouldMatchOnlyTheListedEventTypes() {
        NotifyRule terminal = ANY.withEventTypes(Set.of(TaskEventType.COMPLETED, TaskEventType.FAILED));
        assertThat(terminal.matches(event(TaskEventType.COMPLETED, "t", "X", "db", false))).isTrue();
        assertThat(terminal.matches(event(TaskEventType.STARTED, "t", "X", "db", false))).isFalse();
    }

    @Test
    void shouldMatchTaskAndInstanceNameGlobs() {
        NotifyRule rule = ANY.withSelectors(Set.of("dds"), Set.of("eu-de"), Set.of("p1"), Set.of(),
                List.of(Glob.of("prod-*")), List.of(Glob.of("Create*"), Glob.of("Resize?lavor")));
        assertThat(rule.matches(event(TaskEventType.STARTED, "t", "CreateInstance", "prod-orders", false))).isTrue();
        assertThat(rule.matches(event(TaskEventType.STARTED, "t", "ResizeFlavor", "prod-1", false))).isTrue();
        assertThat(rule.matches(event(TaskEventType.STARTED, "t", "ResizeVolume", "prod-1", false))).isFalse();
        assertThat(rule.matches(event(TaskEventType.STARTED, "t", "CreateInstance", "test-orders", false))).isFalse();
        assertThat(rule.matches(event(TaskEventType.STARTED, "t", "CreateInstance", null, false))).isFalse();
    }

    @Test
    void shouldRequireEveryListToMatch() {
        TaskEvent e = event(TaskEventType.STARTED, "t", "CreateInstance", "db", false);
        assertThat(ANY.withSelectors(Set.of("geminidb"), Set.of(), Set.of(), Set.of(), List.of(), List.of())
                .matches(e)).isFalse();
        assertThat(ANY.withSelectors(Set.of(), Set.of("eu-nl"), Set.of(), Set.of(), List.of(), List.of())
                .matches(e)).isFalse();
        assertThat(ANY.withSelectors(Set.of(), Set.of(), Set.of("p2"), Set.of(), List.of(), List.of())
                .matches(e)).isFalse();
        assertThat(ANY.withSelectors(Set.of(), Set.of(), Set.of(), Set.of("inst-2"), List.of(), List.of())
                .matches(e)).isFalse();
        assertThat(ANY.withSelectors(Set.of("dds"), Set.of("eu-de"), Set.of("p1"), Set.of("inst-1"), List.of(),
                List.of()).matches(e)).isTrue();
    }

    @Test
    void shouldTreatOnlyStarAndQuestionMarkAsSpecialInGlobs() {
        assertThat(Glob.of("a.b[1]").matches("a.b[1]")).isTrue();
        assertThat(Glob.of("a.b[1]").matches("axb1")).isFalse();
        assertThat(Glob.of("*").matches("")).isTrue();
        assertThat(Glob.of("Create?").matches("Create")).isFalse();
    }

    @Test
    void shouldRejectDuplicateRuleNames() {
        assertThatThrownBy(() -> new NotifySettings("g", List.of(ANY, ANY)))
                .hasMessage("notify.rules: duplicate rule name 'any'");
    }

    @Test
    void shouldNeverPrintTheSecretOrHeaderValues() {
        NotifyRule.Webhook webhook = ANY.webhook().withSecret("s3cr3t")
                .withHeaders(java.util.Map.of("Authorization", "Bearer tok"));
        assertThat(webhook.toString()).doesNotContain("s3cr3t").doesNotContain("tok").contains("Authorization");
    }
}
