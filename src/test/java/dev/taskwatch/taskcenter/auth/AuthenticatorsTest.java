package dev.taskwatch.taskcenter.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.huaweicloud.sdk.core.auth.AKSKSigner;
import com.huaweicloud.sdk.core.auth.BasicCredentials;
import com.huaweicloud.sdk.core.http.HttpMethod;
import com.huaweicloud.sdk.core.http.HttpRequest;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import kong.unirest.core.Config;
import kong.unirest.core.UnirestInstance;
import org.junit.jupiter.api.Test;

class AuthenticatorsTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-24T12:00:00Z"), ZoneOffset.UTC);
    private final SignableRequest request = new SignableRequest("GET",
            URI.create("https://dds.eu-de.otc.t-systems.com/v3/p/jobs"), Map.of(), null);

    @Test
    void shouldCreateOneAuthenticatorPerCredentialType() throws Exception {
        try (UnirestInstance http = new UnirestInstance(new Config())) {
            assertThat(Authenticators.create(new Credentials.StaticToken("t", "tok"), "eu-de", "p", http, clock))
                    .isInstanceOf(StaticTokenAuthenticator.class);
            assertThat(Authenticators.create(new Credentials.Password("pw", "u", "secret", "d", null), "eu-de", "p",
                    http, clock)).isInstanceOf(IamPasswordAuthenticator.class);
            assertThat(Authenticators.create(new Credentials.AkSk("ak", "AKID1234", "sk", null), "eu-de", "p", http,
                    clock)).isInstanceOf(AkSkAuthenticator.class);
        }
    }

    @Test
    void shouldSendTheStaticTokenAndNeverPrintIt() throws Exception {
        StaticTokenAuthenticator authenticator = new StaticTokenAuthenticator(
                new Credentials.StaticToken("ops", "MIIZ-token-value"));

        assertThat(authenticator.authenticate(request)).isEqualTo(Map.of("X-Auth-Token", "MIIZ-token-value"));
        authenticator.invalidate();
        assertThat(authenticator.authenticate(request)).isEqualTo(Map.of("X-Auth-Token", "MIIZ-token-value"));
        assertThat(authenticator.describe()).isEqualTo("token credential 'ops'");
        assertThat(authenticator.toString()).doesNotContain("MIIZ");
        assertThatThrownBy(() -> new StaticTokenAuthenticator(new Credentials.StaticToken("ops", " ")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("credentials.ops.token is empty");
    }

    /**
     * The signature of this request, computed by Huawei's own signer (huaweicloud-sdk-core {@code AKSKSigner}, as in
     * {@code AkSkSignerSdkEquivalenceTest}) for the same key, secret, date and URL: a known vector, so a changed
     * canonical request, key derivation or header set fails here.
     */
    private static final String KNOWN_SIGNATURE = "da0250fb97a53041a2a8b67e7532527a4e5b6768d1e0b929c7c380c36638ba32";

    @Test
    void shouldSignPermanentKeysWithTheSignatureHuaweisSignerGives() {
        AkSkAuthenticator authenticator = new AkSkAuthenticator(new Credentials.AkSk("k", "AKID1234", "sk-secret", null),
                clock);

        Map<String, String> headers = authenticator.authenticate(request);

        assertThat(headers).containsOnlyKeys("X-Sdk-Date", "Authorization");
        assertThat(headers.get("X-Sdk-Date")).isEqualTo("20261124T120000Z");
        assertThat(headers.get("Authorization")).isEqualTo("SDK-HMAC-SHA256 Access=AKID1234, "
                + "SignedHeaders=host;x-sdk-date, Signature=" + KNOWN_SIGNATURE);
        assertThat(headers.get("Authorization")).isEqualTo(huaweiSignerAuthorization("AKID1234", "sk-secret"));
        assertThat(authenticator.describe()).isEqualTo("aksk credential 'k' (AK AKID****)");
        assertThatThrownBy(() -> new AkSkAuthenticator(new Credentials.AkSk("k", "AKID", "", null), clock))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("credentials.k.secret-key is empty");
    }

    @Test
    void shouldSignWithTheSecretKeyNotJustTheAccessKey() {
        Map<String, String> one = new AkSkAuthenticator(new Credentials.AkSk("k", "AKID1234", "sk-secret", null),
                clock).authenticate(request);
        Map<String, String> other = new AkSkAuthenticator(new Credentials.AkSk("k", "AKID1234", "sk-other", null),
                clock).authenticate(request);

        assertThat(other.get("Authorization")).isNotEqualTo(one.get("Authorization"))
                .isEqualTo(huaweiSignerAuthorization("AKID1234", "sk-other"));
    }

    private static String huaweiSignerAuthorization(String accessKey, String secretKey) {
        HttpRequest sdkRequest = HttpRequest.newBuilder().withEndpoint("https://dds.eu-de.otc.t-systems.com")
                .withPath("/v3/p/jobs").withMethod(HttpMethod.GET).addHeader("X-Sdk-Date", "20261124T120000Z")
                .build();
        return new AKSKSigner() { }.sign(sdkRequest, new BasicCredentials().withAk(accessKey).withSk(secretKey))
                .get("Authorization");
    }
}
