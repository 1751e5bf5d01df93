package dev.taskwatch.taskcenter;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What one service's list API is, as data: everything in which the three list APIs differ. {@link
 * WindowedListDialect} is the one implementation that speaks any of them (a creation-time window read page by page
 * with offset and limit).
 *
 * @param path                   the list path, {@code {project_id}} standing for the target's project
 * @param fixedPageSizes         the only page sizes accepted ({@link Service#fixedPageSizes()}); empty: any from
 *                               {@link Service#MIN_PAGE_SIZE} to {@link Service#MAX_PAGE_SIZE}
 * @param timeFormat             how {@code start_time}/{@code end_time} are written
 * @param firstOffset            how the first page's offset (0) is sent
 * @param endAfterStart          whether the API wants the end time later than the start time at second precision
 * @param offsetReadingUncertain see {@link ListingDialect#offsetReadingUncertain()}
 * @param statusFilter           the query parameter that filters by raw status (sent as {@code Running} for a
 *                               running-only listing)
 * @param array                  the answer's field holding the task array
 * @param shape                  the fields of one task in that array
 */
record ListApi(String path, List<Integer> fixedPageSizes, TimeFormat timeFormat, FirstOffset firstOffset,
        boolean endAfterStart, boolean offsetReadingUncertain, String statusFilter, String array, TaskShape shape) {

    /** GeminiDB {@code GET /v3/{project_id}/jobs}: limit 10, 20 or 50; {@code offset=0} sent. */
    static final ListApi GEMINIDB = new ListApi("/v3/{project_id}/jobs", Service.GEMINIDB.fixedPageSizes(),
            TimeFormat.UTC_SECONDS, FirstOffset.SENT, true, false, "status", "jobs", TaskShape.GEMINIDB_LIST);

    /**
     * openGauss {@code GET /v3/{project_id}/tasks}: window in UNIX milliseconds, which need not be ordered at second
     * precision; its own example and Terraform send page numbers from 1, so the offset reading is uncertain.
     */
    static final ListApi OPENGAUSS = new ListApi("/v3/{project_id}/tasks", List.of(), TimeFormat.EPOCH_MILLIS,
            FirstOffset.SENT, false, true, "status", "tasks", TaskShape.OPENGAUSS_LIST);

    ListApi {
        Objects.requireNonNull(path, "path");
        fixedPageSizes = List.copyOf(fixedPageSizes);
        Objects.requireNonNull(timeFormat, "timeFormat");
        Objects.requireNonNull(firstOffset, "firstOffset");
        Objects.requireNonNull(statusFilter, "statusFilter");
        Objects.requireNonNull(array, "array");
        Objects.requireNonNull(shape, "shape");
    }

    /**
     * DDS {@code GET /<version>/{project_id}/jobs} ({@link CloudProfile#ddsListVersion()}): the offset, "a positive
     * integer" with default 0, is left out for the first page, which every reading of that sentence accepts; it
     * often omits {@code total_count}, so a wrong offset reading would go unnoticed.
     */
    static ListApi dds(CloudProfile cloud) {
        return new ListApi("/" + cloud.ddsListVersion() + "/{project_id}/jobs", List.of(), TimeFormat.UTC_SECONDS,
                FirstOffset.OMITTED, true, true, "status", "jobs", TaskShape.DDS_LIST);
    }

    int maxPageSize() {
        return fixedPageSizes.isEmpty() ? Service.MAX_PAGE_SIZE
                : fixedPageSizes.stream().mapToInt(Integer::intValue).max().orElseThrow();
    }

    /** The accepted page size closest to {@code wanted} (the larger on a tie, fewer requests). */
    int pageSize(int wanted) {
        if (fixedPageSizes.isEmpty()) {
            return Math.max(Service.MIN_PAGE_SIZE, Math.min(Service.MAX_PAGE_SIZE, wanted));
        }
        int best = fixedPageSizes.get(0);
        for (int size : fixedPageSizes) {
            if (Math.abs(size - wanted) <= Math.abs(best - wanted)) {
                best = size;
            }
        }
        return best;
    }

    String path(Target target) {
        return path.replace("{project_id}", target.projectId());
    }

    /** How a list API writes the times of its window. */
    enum TimeFormat {
        /** {@code yyyy-MM-dd'T'HH:mm:ssZ} in UTC ({@code +0000}), seconds precision, as GeminiDB and DDS want it. */
        UTC_SECONDS {
            @Override
            String format(Instant instant) {
                // sub-seconds cut, so the formatted span never exceeds the checked one
                return QUERY_TIME.format(instant.truncatedTo(ChronoUnit.SECONDS));
            }
        },
        /** UNIX milliseconds (openGauss). */
        EPOCH_MILLIS {
            @Override
            String format(Instant instant) {
                return Long.toString(instant.toEpochMilli());
            }
        };

        private static final DateTimeFormatter QUERY_TIME = DateTimeFormatter
                .ofPattern("yyyy-MM-dd'T'HH:mm:ssZ", Locale.ROOT).withZone(ZoneOffset.UTC);

        abstract String format(Instant instant);
    }

    /** How a list API is sent the offset of its first page. */
    enum FirstOffset {
        /** {@code offset=0}, as documented. */
        SENT,
        /** No {@code offset} parameter: the API's default (0). */
        OMITTED
    }
}
