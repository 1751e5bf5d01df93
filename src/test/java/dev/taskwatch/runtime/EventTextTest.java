package dev.taskwatch.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.avro.TaskEvent;
import dev.taskwatch.avro.TaskEventType;
import dev.taskwatch.avro.TaskStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventTextTest {

    @Test
    void shouldDrawATwentyCellProgressBar() {
        assertThat(EventText.progressBar(30)).isEqualTo("[██████░░░░░░░░░░░░░░]  30%");
        assertThat(EventText.progressBar(0)).isEqualTo("[░░░░░░░░░░░░░░░░░░░░]   0%");
        assertThat(EventText.progressBar(100)).isEqualTo("[████████████████████] 100%");
        assertThat(EventText.progressBar(99)).isEqualTo("[███████████████████░]  99%");
    }

    @Test
    void shouldShowAnEmptyBarWhenProgressIsUnknown() {
        assertThat(EventText.progressBar(null)).isEqualTo("[░░░░░░░░░░░░░░░░░░░░]    ?");
    }

    @Test
    void shouldAlignColumnsAcrossServicesTypesAndStatuses() {
        TaskEvent running = TestEvents.started("dds", "t-1", 30);
        TaskEvent otherService = TestEvents.started("taurusdb", "b3c1e2d4-5f60-4a7b-8c9d-0e1f2a3b4c5d", 75);
        otherService.setType(TaskEventType.PROGRESSED);
        otherService.setPreviousStatus(TaskStatus.RUNNING);
        TaskEvent failed = TestEvents.failed();

        List<String> lines = List.of(EventText.format(running), EventText.format(otherService),
                EventText.format(failed));

        int taskIdColumn = lines.get(0).indexOf("t-1");
        assertThat(lines.get(1).indexOf("b3c1e2d4")).isEqualTo(taskIdColumn);
        assertThat(lines.get(2).indexOf("b3c1e2d4")).isEqualTo(taskIdColumn);
        int nameColumn = lines.get(0).indexOf("ResizeFlavor");
        assertThat(lines.get(1).indexOf("ResizeFlavor")).isEqualTo(nameColumn);
        assertThat(lines.get(2).indexOf("CreateInstance")).isEqualTo(nameColumn);
        int barColumn = lines.get(0).indexOf('[');
        assertThat(lines.get(1).indexOf('[')).isEqualTo(barColumn);
        assertThat(lines.get(2).indexOf("took")).isEqualTo(barColumn);
    }

    @Test
    void shouldPrintTheWholeLineOfAFailedEvent() {
        assertThat(EventText.format(TestEvents.failed())).isEqualTo(
                "2026-05-04 10:04:32Z  FAILED      dds/eu-de             b3c1e2d4-5f60-4a7b-8c9d-0e1f2a3b4c5d  "
                + "CreateInstance            orders-db             RUNNING → FAILED       "
                + "took 4m 32s  reason: Insufficient quota");
    }

    @Test
    void shouldShowProgressForRunningTasksAndNewForFirstSeen() {
        String line = EventText.format(TestEvents.started("dds", "t-1", 30));

        assertThat(line).contains("new → RUNNING").endsWith("[██████░░░░░░░░░░░░░░]  30%");
    }

    @Test
    void shouldMarkBackfillAndShowDurationOfTerminalEvents() {
        TaskEvent completed = TestEvents.failed();
        completed.setType(TaskEventType.COMPLETED);
        completed.setStatus(TaskStatus.COMPLETED);
        completed.setFailReason(null);
        completed.setDurationMs(7_509_000L);
        completed.setBackfill(true);

        assertThat(EventText.format(completed)).endsWith("RUNNING → COMPLETED    took 2h 05m 09s  (backfill)");
    }

    @Test
    void shouldCutLongNamesButNeverIds() {
        TaskEvent event = TestEvents.started("dds", "an-unusually-long-task-identifier-from-some-api-0001", 5);
        event.setName("ModifyInstanceParametersAndRestartAllNodes");

        String line = EventText.format(event);

        assertThat(line).contains("an-unusually-long-task-identifier-from-some-api-0001")
                .contains("ModifyInstanceParameter…").doesNotContain("RestartAllNodes");
    }

    @Test
    void shouldFormatDurationsForPeople() {
        assertThat(EventText.duration(850)).isEqualTo("850ms");
        assertThat(EventText.duration(12_000)).isEqualTo("12s");
        assertThat(EventText.duration(272_250)).isEqualTo("4m 32s");
        assertThat(EventText.duration(3 * 86_400_000L + 4 * 3_600_000L)).isEqualTo("3d 04h 00m");
    }
}
