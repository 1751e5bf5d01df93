package dev.taskwatch.notify;

import dev.taskwatch.avro.TaskEvent;
import dev.taskwatch.avro.TaskEventType;
import dev.taskwatch.config.NotifyConfig.NotifyRule;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A {@code notify.rules[]} entry compiled for matching: which events it selects. An empty selector list means "any";
 * the lists of one rule are ANDed, the entries of one list ORed. Backfill events (history replayed on first start or
 * after an outage) are selected only with {@code include-backfill: true}, so automation does not act on tasks that
 * ended long ago.
 */
public record RuleMatcher(NotifyRule rule, Set<TaskEventType> eventTypes, Set<String> services, Set<String> regions,
        Set<String> projects, Set<String> instanceIds, List<Glob> instanceNames, List<Glob> taskNames) {

    public static RuleMatcher of(NotifyRule rule) {
        Set<TaskEventType> types = EnumSet.noneOf(TaskEventType.class);
        rule.eventTypes().forEach(t -> types.add(TaskEventType.valueOf(t)));
        return new RuleMatcher(rule, types, Set.copyOf(rule.services()), Set.copyOf(rule.regions()),
                Set.copyOf(rule.projects()), Set.copyOf(rule.instanceIds()),
                rule.instanceNames().stream().map(Glob::of).toList(), rule.taskNames().stream().map(Glob::of).toList());
    }

    public String name() {
        return rule.name();
    }

    public boolean matches(TaskEvent event) {
        if (event.getBackfill() && !rule.includeBackfill()) {
            return false;
        }
        return (eventTypes.isEmpty() || eventTypes.contains(event.getType()))
                && (services.isEmpty() || services.contains(event.getService()))
                && (regions.isEmpty() || regions.contains(event.getRegion()))
                && (projects.isEmpty() || projects.contains(event.getProjectId()))
                && (instanceIds.isEmpty() || instanceIds.contains(event.getInstanceId()))
                && (instanceNames.isEmpty() || instanceNames.stream().anyMatch(g -> g.matches(event.getInstanceName())))
                && (taskNames.isEmpty() || taskNames.stream().anyMatch(g -> g.matches(event.getName())));
    }
}
