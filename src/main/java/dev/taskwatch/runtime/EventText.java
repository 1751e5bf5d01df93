package dev.taskwatch.runtime;

import dev.taskwatch.avro.TaskEvent;
import dev.taskwatch.avro.TaskStatus;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A {@link TaskEvent} as one line for people ({@code taskwatch events --format text}). Columns are padded to fixed
 * widths so that lines align:
 *
 * <pre>
 * 2026-05-04 10:15:30Z  PROGRESSED  dds/eu-de        6c1f...  CreateInstance        my-db         RUNNING → RUNNING     [██████░░░░░░░░░░░░░░]  30%
 * 2026-05-04 10:20:02Z  FAILED      taurusdb/eu-de   91ab...  RestoreBackup         prod-1        RUNNING → FAILED      took 4m 32s  reason: disk full
 * </pre>
 *
 * Running tasks get a 20-cell progress bar; terminal events their duration; FAILED the reason; backfilled events a
 * {@code (backfill)} marker. Over-long names are cut with an ellipsis; ids are never cut.
 */
public final class EventText {

    static final int BAR_CELLS = 20;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private static final int TYPE_WIDTH = 10; // PROGRESSED
    private static final int WHERE_WIDTH = 20; // taurusdb/eu-west-101 and alike
    private static final int TASK_ID_WIDTH = 36; // a UUID
    private static final int NAME_WIDTH = 24;
    private static final int INSTANCE_WIDTH = 20;
    private static final int TRANSITION_WIDTH = 21; // COMPLETED → COMPLETED

    private EventText() {}

    public static String format(TaskEvent e) {
        StringBuilder line = new StringBuilder(200);
        column(line, TIME.format(e.getOccurredAt()), 20);
        column(line, e.getType().name(), TYPE_WIDTH);
        column(line, e.getService() + "/" + e.getRegion(), WHERE_WIDTH);
        column(line, e.getTaskId(), TASK_ID_WIDTH);
        column(line, cut(e.getName(), NAME_WIDTH), NAME_WIDTH);
        column(line, cut(instance(e), INSTANCE_WIDTH), INSTANCE_WIDTH);
        column(line, transition(e), TRANSITION_WIDTH);
        line.append(detail(e));
        if (e.getBackfill()) {
            line.append("  (backfill)");
        }
        return line.toString().stripTrailing();
    }

    /** {@code [██████░░░░░░░░░░░░░░]  30%}; one cell per 5 %, rounded down so a full bar means done. */
    public static String progressBar(Integer percent) {
        if (percent == null) {
            return "[" + "░".repeat(BAR_CELLS) + "]    ?";
        }
        int p = Math.max(0, Math.min(100, percent));
        int filled = p * BAR_CELLS / 100;
        return "[" + "█".repeat(filled) + "░".repeat(BAR_CELLS - filled) + "] " + String.format("%3d%%", p);
    }

    /** {@code 850ms}, {@code 12s}, {@code 4m 32s}, {@code 2h 05m 09s}, {@code 3d 04h 00m}. */
    public static String duration(long millis) {
        Duration d = Duration.ofMillis(Math.max(0, millis));
        if (d.toSeconds() < 1) {
            return d.toMillis() + "ms";
        } else if (d.toMinutes() < 1) {
            return d.toSeconds() + "s";
        } else if (d.toHours() < 1) {
            return String.format("%dm %02ds", d.toMinutesPart(), d.toSecondsPart());
        } else if (d.toDays() < 1) {
            return String.format("%dh %02dm %02ds", d.toHoursPart(), d.toMinutesPart(), d.toSecondsPart());
        }
        return String.format("%dd %02dh %02dm", d.toDaysPart(), d.toHoursPart(), d.toMinutesPart());
    }

    private static String instance(TaskEvent e) {
        if (e.getInstanceName() != null && !e.getInstanceName().isBlank()) {
            return e.getInstanceName();
        }
        return e.getInstanceId() != null ? e.getInstanceId() : "-";
    }

    private static String transition(TaskEvent e) {
        String from = e.getPreviousStatus() == null ? "new" : e.getPreviousStatus().name();
        return from + " → " + e.getStatus().name();
    }

    private static String detail(TaskEvent e) {
        TaskStatus status = e.getStatus();
        return switch (status) {
            case RUNNING -> progressBar(e.getProgressPercent());
            case COMPLETED, CANCELED -> took(e);
            case FAILED -> {
                String took = took(e);
                String reason = e.getFailReason() == null ? "reason unknown" : "reason: " + e.getFailReason();
                yield took.isEmpty() ? reason : took + "  " + reason;
            }
            case PENDING, UNKNOWN -> "";
        };
    }

    private static String took(TaskEvent e) {
        return e.getDurationMs() == null ? "" : "took " + duration(e.getDurationMs());
    }

    private static void column(StringBuilder line, String value, int width) {
        line.append(value);
        line.append(" ".repeat(Math.max(0, width - value.length()) + 2));
    }

    private static String cut(String value, int width) {
        return value.length() <= width ? value : value.substring(0, width - 1) + "…";
    }
}
