package dev.taskwatch.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The table of settings is consistent with itself: what it shows and what it accepts agree. */
class SettingsTest {

    @Test
    void shouldDeclareEachPathOnce() {
        Set<String> paths = new HashSet<>();
        assertThat(Settings.ALL).allMatch(s -> paths.add(s.path()), "a path declared once");
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    @Test
    void shouldAcceptEachDefaultByItsOwnRule() {
        for (Setting setting : Settings.ALL) {
            if (setting.defaultValue() != null) {
                assertThat(setting.rule().problem(setting.defaultValue())).as(setting.path()).isNull();
            }
        }
    }

    @Test
    void shouldReadEachShownDefaultBackAsTheDefault() throws Exception {
        for (Setting<?> setting : Settings.ALL) {
            String shown = setting.defaultText();
            if (shown == null || setting.secret()) {
                continue;
            }
            // the text form is what environment variables and connector properties give
            assertThat((Object) setting.type().parser().parse(TextNode.valueOf(shown))).as(setting.path())
                    .isEqualTo(setting.defaultValue());
        }
    }

    @Test
    void shouldBindAnEmptyFileToTheDeclaredDefaults() {
        TaskwatchConfig config = ConfigLoader.parse("", java.util.Map.of());

        assertThat(config.topics().partitions()).isEqualTo(Settings.TOPICS_PARTITIONS.defaultValue());
        assertThat(config.poller().jitter()).isEqualTo(Settings.POLLER_JITTER.defaultValue());
        assertThat(config.pollerNetwork().unhealthyAfter()).isEqualTo(Settings.POLLER_UNHEALTHY_AFTER.defaultValue());
        assertThat(config.discovery().activeInterval()).isEqualTo(Settings.DISCOVERY_ACTIVE_INTERVAL.defaultValue());
        assertThat(config.transitions().stateRetention())
                .isEqualTo(Settings.TRANSITIONS_STATE_RETENTION.defaultValue());
        assertThat(config.notifications().groupId()).isEqualTo(Settings.NOTIFY_GROUP_ID.defaultValue());
    }

    @Test
    void shouldNameTheKeyWhenAValueBreaksTheRuleOfItsComponent() {
        assertThat(NewConfigKeysTest.problemsOf("""
                poller: {max-pages-per-cycle: 0, visibility-margin: -1s}
                transitions: {backfill-threshold: -5s, commit-interval: 0s, processing-guarantee: exactly_once}
                """)).containsExactly(
                "poller.max-pages-per-cycle: must be at least 1, got 0",
                "poller.visibility-margin: invalid duration '-1s' (use e.g. 30s, 5m, PT1M)",
                "transitions.backfill-threshold: invalid duration '-5s' (use e.g. 30s, 5m, PT1M)",
                "transitions.processing-guarantee: unknown value 'exactly_once' (one of exactly_once_v2, at_least_once)",
                "transitions.commit-interval: must be more than 0, got PT0S");
    }
}
