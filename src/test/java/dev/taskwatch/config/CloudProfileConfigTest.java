package dev.taskwatch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.taskwatch.config.TaskwatchConfig.TargetConfig;
import dev.taskwatch.taskcenter.ApiRequest;
import dev.taskwatch.taskcenter.CloudProfile;
import dev.taskwatch.taskcenter.Service;
import dev.taskwatch.taskcenter.auth.Credentials;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code cloud} on a target or a credential: default endpoint, IAM endpoint and service paths per cloud. */
class CloudProfileConfigTest {

    private static TaskwatchConfig parse(String yaml) {
        return ConfigLoader.parse(yaml, Map.of());
    }

    private static List<String> problems(String yaml) {
        return catchThrowableOfType(ConfigException.class, () -> parse(yaml)).problems();
    }

    private static String yaml(String credentialCloud, String targetCloud, String service, String endpoint) {
        return """
                credentials:
                  c:
                    type: password
                    user: u
                    password: p
                    domain: d
                %s
                targets:
                  - service: %s
                    region: ap-southeast-1
                    project-id: p1
                    credentials: c
                %s%s
                """.formatted(credentialCloud == null ? "" : "    cloud: " + credentialCloud, service,
                targetCloud == null ? "" : "    cloud: " + targetCloud + "\n",
                endpoint == null ? "" : "    endpoint: " + endpoint + "\n");
    }

    @Test
    void shouldKeepOpenTelekomCloudEndpointsAndTheMysqlPathByDefault() {
        TargetConfig tc = parse(yaml(null, null, "taurusdb", null)).targets().get(0);

        assertThat(tc.cloud()).isEqualTo(CloudProfile.OTC);
        assertThat(tc.target().endpoint()).isEqualTo(URI.create("https://gaussdb-mysql.ap-southeast-1.otc.t-systems.com"));
        assertThat(tc.dialect().getById().orElseThrow().getRequest(tc.target(), "j"))
                .isEqualTo(ApiRequest.get("/mysql/v3/p1/jobs", Map.of("id", "j")));
        TaskwatchConfig config = parse(yaml(null, null, "taurusdb", null));
        assertThat(((Credentials.Password) config.credentialsFor(config.targets().get(0))).iamEndpoint())
                .as("OTC's IAM stays implied").isNull();
    }

    @Test
    void shouldResolveHuaweiCloudEndpointsPathsAndIamForATargetOnHuawei() {
        TaskwatchConfig config = parse(yaml(null, "huawei", "taurusdb", null));
        TargetConfig tc = config.targets().get(0);

        assertThat(tc.cloud()).isEqualTo(CloudProfile.HUAWEI);
        // huaweicloud-sdk-go-v3 services/gaussdb/v3/region/region.go: ap-southeast-1 is one of the gaussdbformysql hosts
        assertThat(tc.target().endpoint())
                .isEqualTo(URI.create("https://gaussdbformysql.ap-southeast-1.myhuaweicloud.com"));
        assertThat(tc.dialect().getById().orElseThrow().getRequest(tc.target(), "j"))
                .isEqualTo(ApiRequest.get("/v3/p1/jobs", Map.of("id", "j")));
        assertThat(((Credentials.Password) config.credentialsFor(tc)).iamEndpoint())
                .isEqualTo("https://iam.ap-southeast-1.myhuaweicloud.com");
    }

    @Test
    void shouldTakeTheCloudOfTheCredentialWhenTheTargetDoesNotSayIt() {
        TargetConfig tc = parse(yaml("huawei", null, "opengauss", null)).targets().get(0);

        assertThat(tc.cloud()).isEqualTo(CloudProfile.HUAWEI);
        assertThat(tc.target().endpoint())
                .isEqualTo(URI.create("https://gaussdb-opengauss.ap-southeast-1.myhuaweicloud.com"));
    }

    @Test
    void shouldListDdsTasksAtV31OnHuaweiCloudAndGetThemAtV3() {
        TargetConfig huawei = parse(yaml(null, "huawei", "dds", null)).targets().get(0);
        TargetConfig otc = parse(yaml(null, null, "dds", null)).targets().get(0);
        dev.taskwatch.taskcenter.TimeWindow window = new dev.taskwatch.taskcenter.TimeWindow(
                java.time.Instant.parse("2026-11-01T00:00:00Z"), java.time.Instant.parse("2026-11-02T00:00:00Z"));

        assertThat(huawei.dialect().listing().orElseThrow().listRequest(huawei.target(), window, 0, 10).path())
                .isEqualTo("/v3.1/p1/jobs");
        assertThat(huawei.dialect().getById().orElseThrow().getRequest(huawei.target(), "j").path())
                .isEqualTo("/v3/p1/jobs");
        assertThat(otc.dialect().listing().orElseThrow().listRequest(otc.target(), window, 0, 10).path())
                .isEqualTo("/v3/p1/jobs");
    }

    @Test
    void shouldLetAnExplicitEndpointReplaceTheHostButKeepTheCloudsPaths() {
        TargetConfig tc = parse(yaml(null, "huawei", "taurusdb", "https://proxy.example.com")).targets().get(0);

        assertThat(tc.target().endpoint()).isEqualTo(URI.create("https://proxy.example.com"));
        assertThat(tc.dialect().getById().orElseThrow().getRequest(tc.target(), "j").path()).isEqualTo("/v3/p1/jobs");
    }

    @Test
    void shouldRefuseAnUnknownCloudAndATargetOnAnotherCloudThanItsCredential() {
        assertThat(problems(yaml(null, "aws", "dds", null)))
                .containsExactly("targets[0].cloud: unknown cloud 'aws' (one of otc, huawei)");
        assertThat(problems(yaml("otc", "huawei", "dds", null))).containsExactly("targets[0].cloud: huawei, but its "
                + "credentials 'c' are for otc (credentials.<name>.cloud); a credential works on one cloud only");
    }

    @Test
    void shouldBindTheCloudFromTheConnectorsFlatProperties() {
        TaskwatchConfig config = ConfigProperties.bind(Map.of(
                "schema-registry.url", "http://registry:8080",
                "credentials.c.type", "token", "credentials.c.token", "t", "credentials.c.cloud", "huawei",
                "targets[0].service", "dds", "targets[0].region", "eu-west-101", "targets[0].project-id", "p1",
                "targets[0].credentials", "c"));

        assertThat(config.targets().get(0).target().endpoint())
                .isEqualTo(URI.create("https://dds.eu-west-101.myhuaweicloud.eu"));
    }

    @Test
    void shouldGiveEveryServiceAndIamAnEndpointOnEachCloud() {
        assertThat(CloudProfile.OTC.endpoint(Service.GEMINIDB, "eu-de"))
                .isEqualTo(URI.create("https://gaussdb-nosql.eu-de.otc.t-systems.com"));
        assertThat(CloudProfile.OTC.endpoint(Service.OPENGAUSS, "eu-de"))
                .isEqualTo(URI.create("https://gaussdb.eu-de.otc.t-systems.com"));
        assertThat(CloudProfile.OTC.endpoint(Service.DDS, "eu-nl"))
                .isEqualTo(URI.create("https://dds.eu-nl.otc.t-systems.com"));
        assertThat(CloudProfile.OTC.iamEndpoint("eu-de")).isEqualTo(URI.create("https://iam.eu-de.otc.t-systems.com"));
        assertThat(CloudProfile.HUAWEI.endpoint(Service.GEMINIDB, "cn-north-4"))
                .isEqualTo(URI.create("https://gaussdb-nosql.cn-north-4.myhuaweicloud.com"));
        assertThat(CloudProfile.HUAWEI.endpoint(Service.OPENGAUSS, "cn-east-4"))
                .isEqualTo(URI.create("https://gaussdb.cn-east-4.myhuaweicloud.com"));
        assertThat(CloudProfile.HUAWEI.endpoint(Service.TAURUSDB, "cn-north-4"))
                .isEqualTo(URI.create("https://gaussdb.cn-north-4.myhuaweicloud.com"));
        assertThat(CloudProfile.HUAWEI.iamEndpoint("cn-north-4"))
                .isEqualTo(URI.create("https://iam.cn-north-4.myhuaweicloud.com"));
        assertThat(CloudProfile.HUAWEI.iamEndpoint("eu-west-101"))
                .isEqualTo(URI.create("https://iam.eu-west-101.myhuaweicloud.eu"));
        for (Service s : Service.values()) {
            assertThat(s.defaultEndpoint("eu-de")).isEqualTo(CloudProfile.OTC.endpoint(s, "eu-de"));
        }
    }
}
