package dev.taskwatch.deploy;

import static dev.taskwatch.deploy.DeployFiles.ROOT;
import static dev.taskwatch.deploy.DeployFiles.map;
import static dev.taskwatch.deploy.DeployFiles.read;
import static dev.taskwatch.deploy.DeployFiles.yaml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The monitoring files of deploy/monitoring (alert rules, Grafana dashboard) and the metric names their PromQL
 * expressions read, for the tests that compare them with what the process exposes on /metrics.
 */
final class MonitoringFiles {

    static final Path RULES = ROOT.resolve("deploy/monitoring/alert-rules.yaml");
    static final Path DASHBOARD = ROOT.resolve("deploy/monitoring/grafana-dashboard.json");
    static final Path PROMETHEUS_RULE = ROOT.resolve("deploy/components/prometheus-operator/prometheusrule.yaml");

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    private static final Pattern LABEL_LIST = Pattern.compile(
            "\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![$\\w:])[a-zA-Z_:][a-zA-Z0-9_:]*(?![\\w:])");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring",
            "group_left", "group_right", "offset", "bool", "inf", "nan", "atan2");

    private MonitoringFiles() {}

    /** Alert name to expression, from the plain rules file. */
    static Map<String, String> ruleExpressions() {
        Map<String, String> exprs = new LinkedHashMap<>();
        for (Object g : list(yaml(read(RULES)).get("groups"))) {
            for (Object r : list(map(g, "group").get("rules"))) {
                Map<String, Object> rule = map(r, "rule");
                Object name = rule.containsKey("alert") ? rule.get("alert") : rule.get("record");
                exprs.put(String.valueOf(name), String.valueOf(rule.get("expr")));
            }
        }
        return exprs;
    }

    /** "panel title / refId" to expression, from the dashboard (template variable queries included). */
    static Map<String, String> dashboardExpressions() {
        JsonNode dashboard = dashboard();
        Map<String, String> exprs = new LinkedHashMap<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                exprs.put(panel.path("title").asText() + " / " + target.path("refId").asText(),
                        target.path("expr").asText());
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            String query = variable.path("definition").asText("");
            Matcher m = Pattern.compile("label_values\\((\\w+)").matcher(query);
            if (m.find()) {
                exprs.put("variable " + variable.path("name").asText(), m.group(1));
            }
        }
        return exprs;
    }

    static JsonNode dashboard() {
        try {
            return new ObjectMapper().readTree(read(DASHBOARD));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The metric names a PromQL expression reads: identifiers outside strings, label matchers, range selectors and
     * label lists, that are neither functions, keywords nor Grafana variables.
     */
    static Set<String> metricNames(String expr) {
        String s = STRING.matcher(expr).replaceAll("\"\"");
        s = s.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ");
        s = LABEL_LIST.matcher(s).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
            String name = m.group();
            boolean function = s.substring(m.end()).matches("(?s)\\s*\\(.*");
            if (!function && !KEYWORDS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                names.add(name);
            }
        }
        return names;
    }

    /** The sample names of a Prometheus text exposition (what /metrics answers). */
    static Set<String> exposedNames(String exposition) {
        Set<String> names = new TreeSet<>();
        for (String line : exposition.lines().toList()) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = Pattern.compile("^[a-zA-Z_:][a-zA-Z0-9_:]*").matcher(line);
            if (m.find()) {
                names.add(m.group());
            }
        }
        return names;
    }

    /** Every (where, metric) the rules and the dashboard read that {@code exposed} lacks. */
    static List<String> unknownMetrics(Set<String> exposed) {
        List<String> unknown = new ArrayList<>();
        Map<String, String> all = new LinkedHashMap<>();
        ruleExpressions().forEach((k, v) -> all.put("alert-rules.yaml " + k, v));
        dashboardExpressions().forEach((k, v) -> all.put("grafana-dashboard.json " + k, v));
        all.forEach((where, expr) -> metricNames(expr).stream().filter(n -> !exposed.contains(n))
                .forEach(n -> unknown.add(where + ": " + n)));
        return unknown;
    }

    static List<Object> list(Object node) {
        return node instanceof List<?> l ? new ArrayList<>(l) : List.of();
    }
}
