package dev.taskwatch.deploy;

import static dev.taskwatch.deploy.DeployFiles.map;
import static dev.taskwatch.deploy.DeployFiles.nested;
import static dev.taskwatch.deploy.DeployFiles.onPath;
import static dev.taskwatch.deploy.DeployFiles.read;
import static dev.taskwatch.deploy.DeployFiles.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The files of deploy/monitoring on their own: the PrometheusRule of the Operator component holds exactly the groups
 * of the plain rules file, promtool accepts the rules, every alert is documented with a runbook line, the dashboard
 * is well formed, and the PromQL name extraction used by {@code MonitoringMetricNamesIT} finds metric names only.
 */
class MonitoringFilesTest {

    @Test
    void prometheusRuleShouldHoldTheSameGroupsAsThePlainRulesFile() {
        Map<String, Object> plain = yaml(read(MonitoringFiles.RULES));
        Map<String, Object> operator = yaml(read(MonitoringFiles.PROMETHEUS_RULE));
        assertThat(operator).containsEntry("kind", "PrometheusRule");
        assertThat(nested(operator, "spec", "groups")).as("PrometheusRule spec.groups")
                .isEqualTo(plain.get("groups"));
        assertThat(read(DeployFiles.ROOT.resolve("deploy/components/prometheus-operator/kustomization.yaml")))
                .contains("prometheusrule.yaml");
    }

    @Test
    void promtoolShouldAcceptTheRules() throws Exception {
        assumeThat(onPath("promtool")).as("promtool on PATH (Debian package prometheus; .ci installs it)").isTrue();
        Process p = new ProcessBuilder("promtool", "check", "rules", MonitoringFiles.RULES.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("SUCCESS: " + MonitoringFiles.ruleExpressions().size() + " rules found");
    }

    @Test
    void everyAlertShouldHaveASeverityASummaryAndARunbookSectionInOperationsDoc() {
        String operations = read(DeployFiles.ROOT.resolve("docs/operations.md"));
        for (Object g : MonitoringFiles.list(yaml(read(MonitoringFiles.RULES)).get("groups"))) {
            for (Object r : MonitoringFiles.list(map(g, "group").get("rules"))) {
                Map<String, Object> rule = map(r, "rule");
                String alert = String.valueOf(rule.get("alert"));
                assertThat(nested(rule, "labels", "severity")).as(alert + " severity").isIn("warning", "critical");
                assertThat(String.valueOf(nested(rule, "annotations", "summary"))).as(alert + " summary")
                        .isNotBlank();
                assertThat(String.valueOf(nested(rule, "annotations", "description"))).as(alert + " description")
                        .contains("docs/operations.md#" + alert.toLowerCase(java.util.Locale.ROOT));
                assertThat(operations).as("docs/operations.md section for " + alert).contains("### " + alert);
            }
        }
    }

    @Test
    void dashboardShouldHaveUniquePanelIdsAndAQueryInEveryPanel() {
        JsonNode dashboard = MonitoringFiles.dashboard();
        assertThat(dashboard.path("uid").asText()).isNotBlank();
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            String title = panel.path("title").asText();
            assertThat(ids.add(panel.path("id").asInt())).as("unique id of panel " + title).isTrue();
            assertThat(panel.path("targets").size()).as(title + " queries").isPositive();
            panel.path("targets").forEach(t -> assertThat(MonitoringFiles.metricNames(t.path("expr").asText()))
                    .as(title + " reads a metric").isNotEmpty());
        }
        assertThat(ids).hasSizeGreaterThanOrEqualTo(10);
    }

    @Test
    void shouldExtractMetricNamesButNotFunctionsLabelsDurationsOrVariables() {
        assertThat(MonitoringFiles.metricNames("sum by (target, outcome) (rate(taskwatch_poller_requests_total"
                + "{namespace=~\"$namespace\",outcome!=\"2xx\"}[$__rate_interval])) / on (target) group_left "
                + "max without (pod) (jvm_memory_used_bytes{area=\"heap\"}) > 0.5 and absent(up)"))
                .containsExactlyInAnyOrder("taskwatch_poller_requests_total", "jvm_memory_used_bytes", "up");
        assertThat(MonitoringFiles.metricNames("histogram_quantile(0.99, sum by (le) (rate(a_seconds_bucket[5m])))"))
                .containsExactly("a_seconds_bucket");
    }

    @Test
    void shouldReadSampleNamesFromAnExposition() {
        String exposition = """
                # HELP taskwatch_poller_cycle_duration_seconds Duration of one poll cycle
                # TYPE taskwatch_poller_cycle_duration_seconds summary
                taskwatch_poller_cycle_duration_seconds_count{target="a"} 3
                taskwatch_poller_cycle_duration_seconds_sum{target="a"} 0.2
                jvm_threads_live_threads 12.0
                """;
        assertThat(MonitoringFiles.exposedNames(exposition)).containsExactly(
                "jvm_threads_live_threads", "taskwatch_poller_cycle_duration_seconds_count",
                "taskwatch_poller_cycle_duration_seconds_sum");
        assertThat(MonitoringFiles.unknownMetrics(Set.of())).as("with nothing exposed every name is unknown")
                .isNotEmpty();
    }
}
