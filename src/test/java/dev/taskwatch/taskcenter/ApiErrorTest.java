package dev.taskwatch.taskcenter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApiErrorTest {

    @Test
    void shouldReadTheErrorShapesOfServicesGatewayAndIam() {
        assertThat(ApiError.parse("{\"error_code\": \"APIG.0308\", \"error_msg\": \"The throttling threshold has been reached\"}"))
                .contains(new ApiError("APIG.0308", "The throttling threshold has been reached"));
        assertThat(ApiError.parse("{\"errCode\": \"DBS.280001\", \"externalMessage\": \"x\"}"))
                .contains(new ApiError("DBS.280001", "x"));
        assertThat(ApiError.parse("{\"error\": {\"code\": 401, \"message\": \"The username or password is wrong.\", \"title\": \"Unauthorized\"}}"))
                .contains(new ApiError("401", "The username or password is wrong."));
        assertThat(ApiError.parse("<html>502 Bad Gateway</html>")).isEqualTo(Optional.empty());
        assertThat(ApiError.parse("{\"jobs\": []}")).isEmpty();
        assertThat(ApiError.parse(null)).isEmpty();
    }

    @Test
    void shouldRecogniseGatewayThrottling() {
        assertThat(new ApiError("APIG.0308", null).isThrottling()).isTrue();
        assertThat(new ApiError("APIGW.0308", null).isThrottling()).isTrue();
        assertThat(new ApiError("APIG.0301", null).isThrottling()).isFalse();
        assertThat(new ApiError(null, "x").isThrottling()).isFalse();
    }

    @Test
    void shouldDescribeCodeAndMessage() {
        assertThat(new ApiError("A", "b").describe()).isEqualTo("A: b");
        assertThat(new ApiError("A", null).describe()).isEqualTo("A");
        assertThat(new ApiError(null, "b").describe()).isEqualTo("b");
    }

    @Test
    void shouldRecogniseJobNotFoundLiberally() {
        assertThat(ApiError.isJobNotFound(404, "")).isTrue();
        assertThat(ApiError.isJobNotFound(404, "<html>Not Found</html>")).isTrue();
        assertThat(ApiError.isJobNotFound(400, "{\"error_code\": \"DBS.280238\", \"error_msg\": \"The job does not exist.\"}")).isTrue();
        assertThat(ApiError.isJobNotFound(400, "{\"error_code\": \"DBS.200823\", \"error_msg\": \"Job not found\"}")).isTrue();
        assertThat(ApiError.isJobNotFound(400, "{\"error_code\": \"X\", \"error_msg\": \"The task ID is invalid.\"}")).isTrue();
        assertThat(ApiError.isJobNotFound(400, "{\"error_code\": \"X\", \"error_msg\": \"No such job: 123\"}")).isTrue();
        assertThat(ApiError.isJobNotFound(400, "{\"error_code\": \"X\", \"error_msg\": \"任务不存在\"}")).isTrue();
    }

    @Test
    void shouldNotMistakeOtherErrorsForNotFound() {
        assertThat(ApiError.isJobNotFound(200, "")).isFalse();
        assertThat(ApiError.isJobNotFound(400, "{\"error_code\": \"DBS.200001\", \"error_msg\": \"Invalid parameter: limit\"}")).isFalse();
        assertThat(ApiError.isJobNotFound(400, "not json")).isFalse();
        assertThat(ApiError.isJobNotFound(401, "{\"error_msg\": \"The job does not exist.\"}")).isFalse();
        assertThat(ApiError.isJobNotFound(403, "{\"error_msg\": \"The job does not exist.\"}")).isFalse();
        assertThat(ApiError.isJobNotFound(429, "{\"error_code\": \"APIG.0308\"}")).isFalse();
        assertThat(ApiError.isJobNotFound(503, "{\"error_msg\": \"The job does not exist.\"}")).isFalse();
        assertThat(ApiError.isJobNotFound(404, "{\"error_code\": \"APIGW.0101\", \"error_msg\": \"The API does not exist\"}")).isFalse();
    }
}
