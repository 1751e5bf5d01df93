package dev.taskwatch.taskcenter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskwatch.taskcenter.IamProjects.Project;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** IAM KeystoneListAuthProjects and the instance-list probe, in their documented shapes. */
class IamProjectsTest {

    @Test
    void shouldReadIdNameAndEnabledOfEachProjectAndTheRegionItsNameStartsWith() throws Exception {
        String body = """
                {"links": {"self": "https://iam.eu-de.otc.t-systems.com/v3/auth/projects"},
                 "projects": [
                  {"domain_id": "d1", "is_domain": false, "parent_id": "d1", "name": "eu-de", "description": "",
                   "links": {"self": "x"}, "id": "p1", "enabled": true},
                  {"domain_id": "d1", "is_domain": false, "parent_id": "p1", "name": "eu-de_analytics",
                   "description": "team", "links": {"self": "x"}, "id": "p2", "enabled": false},
                  {"name": "MOS", "id": "p3", "enabled": true},
                  {"name": "cn-north-4_prod", "id": "p4"}]}""";

        assertThat(IamProjects.parse(body)).containsExactly(new Project("p1", "eu-de", true),
                new Project("p2", "eu-de_analytics", false), new Project("p3", "MOS", true),
                new Project("p4", "cn-north-4_prod", true));
        assertThat(IamProjects.parse(body)).extracting(Project::region)
                .containsExactly("eu-de", "eu-de", null, "cn-north-4");
        assertThat(IamProjects.request()).isEqualTo(new ApiRequest("GET", "/v3/auth/projects", Map.of()));
    }

    @Test
    void shouldRefuseABodyWithoutProjectsOrAProjectWithoutId() {
        assertThatThrownBy(() -> IamProjects.parse("{\"error\": \"x\"}"))
                .isInstanceOf(MalformedResponseException.class).hasMessageContaining("no projects array");
        assertThatThrownBy(() -> IamProjects.parse("{\"projects\": [{\"name\": \"eu-de\"}]}"))
                .isInstanceOf(MalformedResponseException.class).hasMessageContaining("projects[0] lacks id");
        assertThatThrownBy(() -> IamProjects.parse("{\"projects\": [secret"))
                .isInstanceOf(MalformedResponseException.class).hasMessageNotContaining("secret");
    }

    @Test
    void shouldProbeTheInstanceListWithLimitOneAndReadEitherCount() throws Exception {
        assertThat(InstanceProbe.request(Service.TAURUSDB, CloudProfile.OTC, "p1"))
                .isEqualTo(new ApiRequest("GET", "/mysql/v3/p1/instances", Map.of("offset", "0", "limit", "1")));
        assertThat(InstanceProbe.request(Service.TAURUSDB, CloudProfile.HUAWEI, "p1").path())
                .isEqualTo("/v3/p1/instances");
        assertThat(InstanceProbe.request(Service.RDS, CloudProfile.OTC, "p1").path()).isEqualTo("/v3/p1/instances");
        assertThat(InstanceProbe.hasInstances("{\"instances\": [{\"id\": \"i\"}], \"total_count\": 3}")).isTrue();
        assertThat(InstanceProbe.hasInstances("{\"instances\": [], \"total_count\": 0}")).isFalse();
        assertThat(InstanceProbe.hasInstances("{\"total_count\": 2}")).isTrue();
        assertThatThrownBy(() -> InstanceProbe.hasInstances("{\"jobs\": []}"))
                .isInstanceOf(MalformedResponseException.class);
    }
}
