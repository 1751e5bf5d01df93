package dev.taskwatch.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.taskcenter.Service;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DiscoveryConfigTest {

    private static final String CREDENTIALS = """
            credentials:
              acct:
                type: aksk
                access-key: AK
                secret-key: SK
            """;

    @Test
    void shouldTurnOnWithOnlyCredentialsAndDefaultToEveryRegionAndServiceHourlyRefreshAndSlowEmptyTargets() {
        TaskwatchConfig config = ConfigLoader.parse(CREDENTIALS + "discovery:\n  credentials: [acct]\n", Map.of());

        DiscoveryConfig d = config.discovery();
        assertThat(d.enabled()).isTrue();
        assertThat(config.targetsConfigured()).as("discovery alone is a task source: no simulator").isTrue();
        assertThat(d.regions()).isEmpty();
        assertThat(d.services()).containsExactly(Service.values());
        assertThat(d.refreshInterval()).isEqualTo(Duration.ofHours(1));
        assertThat(d.emptyInterval()).isEqualTo(Duration.ofMinutes(10));
        assertThat(d.interval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.activeInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(d.wantsRegion("eu-nl")).isTrue();
    }

    @Test
    void shouldBindEveryKeyAndReadRegionsAllAsEveryRegion() {
        TaskwatchConfig config = ConfigLoader.parse(CREDENTIALS + """
                discovery:
                  credentials: acct
                  regions: all
                  services: [dds, RDS]
                  include: ["eu-de*"]
                  exclude: ["*_sandbox", "eu-de_tmp?"]
                  interval: 1m
                  active-interval: 10s
                  refresh-interval: 30m
                  empty-interval: 15m
                  iam-endpoint: http://127.0.0.1:8088
                  endpoint: http://127.0.0.1:8088/{service}
                """, Map.of());

        DiscoveryConfig d = config.discovery();
        assertThat(d.credentials()).containsExactly("acct");
        assertThat(d.regions()).isEmpty();
        assertThat(d.services()).containsExactly(Service.DDS, Service.RDS);
        assertThat(d.iamEndpoint()).isEqualTo(URI.create("http://127.0.0.1:8088"));
        assertThat(d.endpoint()).isEqualTo("http://127.0.0.1:8088/{service}");
        assertThat(List.of("eu-de", "eu-de_prod", "eu-de_sandbox", "eu-de_tmp1", "eu-nl_prod"))
                .filteredOn(d::wantsProjectName).containsExactly("eu-de", "eu-de_prod");
        assertThat(d.refreshInterval()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void shouldNameTheKeyOfEachProblem() {
        assertThat(ConfigLoaderTest.problemsOf(CREDENTIALS + """
                discovery:
                  credentials: [acct, nobody]
                  services: [mysql]
                  refresh-interval: 0s
                  endpoint: https://example.com
                  regoins: [eu-de]
                """)).containsExactly(
                "discovery.regoins: unknown key (did you mean regions?)",
                "discovery.credentials: unknown credential 'nobody' (defined: acct)",
                "discovery.services: unknown service 'mysql' (one of geminidb, opengauss, dds, taurusdb, rds)",
                "discovery.refresh-interval: must be more than 0 (use e.g. 30s, 5m, PT1M)",
                "discovery.endpoint: must contain {service} (and may contain {region}), e.g. "
                        + "https://{service}.{region}.example.com");
        assertThat(ConfigLoaderTest.problemsOf(CREDENTIALS + "discovery:\n  regions: [eu-de]\n"))
                .containsExactly("discovery.credentials: missing (the credentials whose projects are watched)");
    }
}
