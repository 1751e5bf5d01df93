package dev.taskwatch.taskcenter.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Test
    void shouldSignWithoutSecurityTokenForPermanentKeys() {
        AkSkAuthenticator authenticator = new AkSkAuthenticator(new Credentials.AkSk("k", "AKID1234", "sk-secret", null),
                clock);

        Map<String, String> headers = authenticator.authenticate(request);

        assertThat(headers).containsOnlyKeys("X-Sdk-Date", "Authorization");
        assertThat(headers.get("Authorization")).startsWith("SDK-HMAC-SHA256 Access=AKID1234, SignedHeaders=host;x-sdk-date, Signature=");
        assertThat(authenticator.describe()).isEqualTo("aksk credential 'k' (AK AKID****)");
        assertThatThrownBy(() -> new AkSkAuthenticator(new Credentials.AkSk("k", "AKID", "", null), clock))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("credentials.k.secret-key is empty");
    }
}
