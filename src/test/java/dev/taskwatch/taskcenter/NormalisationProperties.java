package dev.taskwatch.taskcenter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.avro.TaskStatus;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class NormalisationProperties {

    @Property
    void anyStatusTextMapsWithoutErrorAndOnlyKnownWordsAreKnown(@ForAll String raw) {
        TaskStatus status = Normalisation.status(raw);
        String word = raw.trim().toLowerCase(Locale.ROOT);
        boolean known = word.matches("pending|unauthorized|running|completed|failed|canceled|cancelled");
        assertThat(status == TaskStatus.UNKNOWN).isEqualTo(!known);
    }

    @Property
    void everyPercentageFromZeroToHundredParses(@ForAll @IntRange(min = 0, max = 100) int percent,
            @ForAll boolean withSign) {
        assertThat(Normalisation.progressPercent(percent + (withSign ? "%" : ""))).isEqualTo(percent);
    }

    @Property
    void timestampsInAnyOffsetAndStyleGiveTheSameUtcInstant(
            @ForAll @LongRange(min = 0, max = 4_102_444_800L) long epochSecond,
            @ForAll @IntRange(min = -12 * 4, max = 14 * 4) int quarterHours,
            @ForAll @IntRange(min = 0, max = 2) int style) {
        Instant instant = Instant.ofEpochSecond(epochSecond).truncatedTo(ChronoUnit.SECONDS);
        ZoneOffset offset = ZoneOffset.ofTotalSeconds(quarterHours * 15 * 60);
        String pattern = switch (style) {
            case 0 -> "yyyy-MM-dd'T'HH:mm:ssZ";
            case 1 -> "yyyy-MM-dd'T'HH:mm:ssXXX";
            default -> "yyyy-MM-dd'T'HH:mm:ss.SSSXX";
        };
        String text = DateTimeFormatter.ofPattern(pattern, Locale.ROOT).withZone(offset).format(instant);

        assertThat(Normalisation.timestamp(text)).as(text).isEqualTo(instant);
    }

    /**
     * The hand-written fast path agrees with the formatter on every string of the common shape, valid or not (month
     * 13, 30 February, hour 24, offset +1960...): it either gives the formatter's instant or declines (null).
     */
    @Property(tries = 3000)
    void fastPathAgreesWithTheFormatterOnEveryStringOfTheCommonShape(
            @ForAll @IntRange(min = 0, max = 9999) int year, @ForAll @IntRange(min = 0, max = 13) int month,
            @ForAll @IntRange(min = 0, max = 32) int day, @ForAll @IntRange(min = 0, max = 24) int hour,
            @ForAll @IntRange(min = 0, max = 60) int minute, @ForAll @IntRange(min = 0, max = 60) int second,
            @ForAll boolean negative, @ForAll @IntRange(min = 0, max = 19) int offsetHours,
            @ForAll @IntRange(min = 0, max = 60) int offsetMinutes) {
        // Ranges reach just past each field's limit: most strings are valid (the fast path answers), the rest test
        // that it declines rather than guesses.
        String text = String.format(Locale.ROOT, "%04d-%02d-%02dT%02d:%02d:%02d%s%02d%02d", year, month, day, hour,
                minute, second, negative ? "-" : "+", offsetHours, offsetMinutes);
        Instant fast = Normalisation.parseCommonForm(text);
        Instant viaFormatter;
        try {
            viaFormatter = java.time.OffsetDateTime.parse(text, java.time.format.DateTimeFormatter.ofPattern(
                    "uuuu-MM-dd'T'HH:mm:ssXX", Locale.ROOT)).toInstant();
        } catch (java.time.DateTimeException e) {
            viaFormatter = null;
        }
        if (fast != null) {
            assertThat(fast).as(text).isEqualTo(viaFormatter);
            assertThat(Normalisation.timestamp(text)).as(text).isEqualTo(fast);
        }
    }
}
