package dev.taskwatch.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.poller.ResponseOutcome;
import dev.taskwatch.poller.TargetHealth;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TargetTroubleTest {

    static final Instant START = Instant.parse("2026-12-01T10:00:00Z");
    final TargetTrouble trouble = new TargetTrouble(START, Duration.ofMinutes(2));

    @Test
    void shouldReportATargetFailingLongerThanTheThresholdWithItsReason() {
        TargetHealth failing = new TargetHealth("dds", true, START.plusSeconds(10),
                "Server error HTTP 500 from target dds at https://dds/v3/p/jobs", START.plusSeconds(200),
                ResponseOutcome.SERVER_ERROR);

        assertThat(trouble.reasons(List.of(failing), START.plusSeconds(200)))
                .containsExactly("target dds failing for 190 s: Server error HTTP 500 from target dds at "
                        + "https://dds/v3/p/jobs");
    }

    @Test
    void shouldReportATargetThatNeverSucceededCountingFromThePollerStart() {
        TargetHealth unreachable = new TargetHealth("gauss", false, null,
                "Could not connect calling target gauss: connection refused", START.plusSeconds(121),
                ResponseOutcome.CONNECTION);

        assertThat(trouble.reasons(List.of(unreachable), START.plusSeconds(121)))
                .singleElement().asString().contains("gauss", "never succeeded", "connection refused");
    }

    @Test
    void shouldStayQuietForShortTroubleAndHealthyTargets() {
        TargetHealth brief = new TargetHealth("dds", true, START.plusSeconds(100), "Malformed response",
                START.plusSeconds(150), null);
        TargetHealth healthy = new TargetHealth("tdb", true, START, null, null, null);

        assertThat(trouble.reasons(List.of(brief, healthy), START.plusSeconds(219))).isEmpty();
    }
}
