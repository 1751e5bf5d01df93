package dev.taskwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.config.ConfigLoader;
import dev.taskwatch.config.TaskwatchConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CheckResolvedUrlTest {

    @Test
    void shouldShowTheCloudAndTheResolvedUrlOfEachTargetWithoutQueryOrUserInfo() {
        TaskwatchConfig config = ConfigLoader.parse("""
                credentials:
                  otc: {type: token, token: t}
                  hw: {type: token, token: t, cloud: huawei}
                targets:
                  - {service: taurusdb, region: eu-de, project-id: p1, credentials: otc}
                  - {service: taurusdb, region: cn-north-4, project-id: p2, credentials: hw}
                  - {service: dds, region: eu-de, project-id: p3, credentials: otc,
                     endpoint: "https://user:secret@dds.internal:8443"}
                """, Map.of());

        assertThat(config.targets()).extracting(CheckCommand::resolvedUrl).containsExactly(
                "[otc] https://gaussdb-mysql.eu-de.otc.t-systems.com/mysql/v3/p1/jobs",
                "[huawei] https://gaussdb.cn-north-4.myhuaweicloud.com/v3/p2/jobs",
                "[otc] https://dds.internal:8443/v3/p3/jobs");
    }
}
