package dev.taskwatch.connect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a connector's flat properties ({@code targets[i].*}, {@code credentials.<name>.*} and the rest, the key paths
 * of the YAML) into at most {@code maxTasks} task configurations, never splitting one credential's targets across
 * tasks: a credential's request budget is enforced by the one task that owns all of its targets, so it holds across
 * the whole Connect cluster without any coordination between tasks.
 *
 * <p>Credentials are placed largest first (by target count) onto the task with the fewest targets so far, ties to the
 * lower task number, which balances the work and gives the same split for the same properties on every worker. Each
 * task configuration holds every shared property, only the credentials its targets use (a task never sees another
 * task's secrets) and its targets renumbered from 0 in their original order. Targets without a {@code credentials} key
 * form one group of their own (never dropped), so that the task's validation names them.
 *
 * <p>Discovery: each credential of {@code discovery.credentials} goes to one task like any other, which runs the
 * discovery of that credential itself (IAM calls and instance lists on the credential's lane, so the budget holds for
 * them too) and adds and removes the discovered targets while it runs. The assignment therefore depends on the
 * configuration only, never on what discovery finds: a project appearing or going needs no task reconfiguration. A
 * task receives the {@code discovery.*} keys only when it owns a discovery credential, with
 * {@code discovery.credentials} narrowed to its own. A discovery credential weighs
 * {@value #DISCOVERY_WEIGHT} targets in the balance (what it will find is not known yet).
 */
final class TaskAssignment {

    private static final Pattern TARGET_KEY = Pattern.compile("targets\\[(\\d+)]\\.(.+)");
    private static final String CREDENTIALS_PREFIX = "credentials.";
    private static final String DISCOVERY_PREFIX = "discovery.";
    private static final String DISCOVERY_CREDENTIALS = "discovery.credentials";
    /** How many targets a discovery credential counts for when balancing tasks. */
    static final int DISCOVERY_WEIGHT = 10;

    private TaskAssignment() {}

    static List<Map<String, String>> split(Map<String, String> props, int maxTasks) {
        if (maxTasks < 1) {
            throw new IllegalArgumentException("tasks.max must be at least 1, not " + maxTasks);
        }
        Map<Integer, Map<String, String>> targets = new TreeMap<>();
        Map<String, String> shared = new LinkedHashMap<>();
        Map<String, Map<String, String>> credentials = new TreeMap<>();
        Map<String, String> discovery = new LinkedHashMap<>();
        List<String> discovering = new ArrayList<>();
        props.forEach((key, value) -> {
            if (key.equals(DISCOVERY_CREDENTIALS)) {
                for (String name : value.split(",")) {
                    if (!name.isBlank()) {
                        discovering.add(name.strip());
                    }
                }
                return;
            }
            if (key.startsWith(DISCOVERY_PREFIX)) {
                discovery.put(key, value);
                return;
            }
            Matcher m = TARGET_KEY.matcher(key);
            if (m.matches()) {
                targets.computeIfAbsent(Integer.parseInt(m.group(1)), i -> new LinkedHashMap<>()).put(m.group(2),
                        value);
            } else if (key.startsWith(CREDENTIALS_PREFIX) && key.indexOf('.', CREDENTIALS_PREFIX.length()) > 0) {
                String name = key.substring(CREDENTIALS_PREFIX.length(), key.indexOf('.', CREDENTIALS_PREFIX.length()));
                credentials.computeIfAbsent(name, n -> new LinkedHashMap<>()).put(key, value);
            } else {
                shared.put(key, value);
            }
        });

        Map<String, List<Integer>> byCredential = new LinkedHashMap<>();
        targets.forEach((index, fields) -> byCredential.computeIfAbsent(fields.getOrDefault("credentials", ""),
                c -> new ArrayList<>()).add(index));
        discovering.forEach(c -> byCredential.computeIfAbsent(c, x -> new ArrayList<>()));
        Map<String, Integer> weight = new LinkedHashMap<>();
        byCredential.forEach((c, indices) -> weight.put(c, indices.size()
                + (discovering.contains(c) ? DISCOVERY_WEIGHT : 0)));
        List<String> order = new ArrayList<>(byCredential.keySet());
        order.sort(Comparator.comparingInt((String c) -> -weight.get(c)).thenComparing(c -> c));

        int tasks = Math.max(1, Math.min(maxTasks, byCredential.size()));
        List<List<String>> owned = new ArrayList<>();
        int[] load = new int[tasks];
        for (int t = 0; t < tasks; t++) {
            owned.add(new ArrayList<>());
        }
        for (String credential : order) {
            int lightest = 0;
            for (int t = 1; t < tasks; t++) {
                if (load[t] < load[lightest]) {
                    lightest = t;
                }
            }
            owned.get(lightest).add(credential);
            load[lightest] += weight.get(credential);
        }

        List<Map<String, String>> configs = new ArrayList<>();
        for (List<String> mine : owned) {
            Map<String, String> config = new LinkedHashMap<>(shared);
            List<Integer> indices = new ArrayList<>();
            for (String credential : mine) {
                credentials.getOrDefault(credential, Map.of()).forEach(config::put);
                indices.addAll(byCredential.get(credential));
            }
            List<String> mineDiscovering = discovering.stream().filter(mine::contains).toList();
            if (!mineDiscovering.isEmpty()) {
                config.putAll(discovery);
                config.put(DISCOVERY_CREDENTIALS, String.join(",", mineDiscovering));
            }
            indices.sort(Comparator.naturalOrder());
            int renumbered = 0;
            for (int index : indices) {
                int n = renumbered++;
                targets.get(index).forEach((field, value) -> config.put("targets[" + n + "]." + field, value));
            }
            configs.add(config);
        }
        return configs;
    }
}
