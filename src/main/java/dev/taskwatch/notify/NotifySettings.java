package dev.taskwatch.notify;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** The {@code notify} section: the consumer group of the notifier and its rules (none: notify does not run). */
public record NotifySettings(String groupId, List<NotifyRule> rules) {

    public static final String DEFAULT_GROUP_ID = "taskwatch-notify";

    public NotifySettings {
        Objects.requireNonNull(groupId, "groupId");
        rules = List.copyOf(rules);
        Set<String> names = new HashSet<>();
        for (NotifyRule rule : rules) {
            if (!names.add(rule.name())) {
                throw new IllegalArgumentException("notify.rules: duplicate rule name '" + rule.name() + "'");
            }
        }
    }

    public static NotifySettings none() {
        return new NotifySettings(DEFAULT_GROUP_ID, List.of());
    }

    public boolean enabled() {
        return !rules.isEmpty();
    }
}
