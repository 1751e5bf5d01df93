package dev.taskwatch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** A configuration file is input too: it must not leak secrets in errors, nor exhaust memory, nor pass when empty. */
class ConfigHostileInputTest {

    static List<String> problemsOf(String yaml) {
        return catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, Map.of())).problems();
    }

    @Test
    void shouldNameLineAndColumnOfASyntaxErrorWithoutEchoingTheLine() {
        String yaml = """
                credentials:
                  prod: {type: token, token: "hunter2-secret
                targets: []
                """;
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, Map.of()));

        assertThat(e.problems()).hasSize(1);
        assertThat(e.problems().get(0)).startsWith("(file): not valid YAML at line ").contains("column");
        assertThat(e.getMessage()).doesNotContain("hunter2");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "a: {type: token, token: \"tok\\nen\"}|credentials.a.token",
            "a: {type: password, user: \"us\\rer\", password: p, domain: d}|credentials.a.user",
            "a: {type: password, user: u, password: \"pa\\nss\", domain: d}|credentials.a.password",
            "a: {type: password, user: u, password: p, domain: \"do\\u0000main\"}|credentials.a.domain",
            "a: {type: aksk, access-key: \"AK\\nID\", secret-key: s}|credentials.a.access-key",
            "a: {type: aksk, access-key: ak, secret-key: \"se\\u007fcret\"}|credentials.a.secret-key",
            "a: {type: aksk, access-key: ak, secret-key: s, security-token: \"st\\r\\nX-Evil: 1\"}"
                    + "|credentials.a.security-token"})
    void shouldRejectControlCharactersInEveryCredentialValueWithoutShowingIt(String caseLine) {
        String[] parts = caseLine.split("\\|");
        List<String> problems = problemsOf("credentials:\n  " + parts[0] + "\n");

        assertThat(problems).containsExactly(parts[1] + ": contains a line break or another control character, "
                + "which cannot be sent in an HTTP header (value not shown)");
    }

    @Test
    void shouldRejectControlCharactersInRegistryCredentials() {
        assertThat(problemsOf("""
                schema-registry:
                  url: https://registry:8081
                  basic-auth-user-info: "user:pa\\nss"
                  bearer-token: "tok\\ren"
                """)).containsExactly(
                "schema-registry.basic-auth-user-info: contains a line break or another control character, which "
                        + "cannot be sent in an HTTP header (value not shown)",
                "schema-registry.bearer-token: contains a line break or another control character, which cannot be "
                        + "sent in an HTTP header (value not shown)");
    }

    @Test
    void shouldRejectControlCharactersThatArriveThroughAnEnvironmentVariable() {
        List<String> problems = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(
                "credentials:\n  a: {type: token, token: \"${TOKEN}\"}\n", Map.of("TOKEN", "abc\ndef")))
                .problems();
        assertThat(problems).singleElement().asString().startsWith("credentials.a.token: contains a line break")
                .doesNotContain("abc");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\n\n", "# only a comment\n", "---\n"})
    void shouldRejectAnEmptyConfigFile(String content, @TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("taskwatch.yaml"), content);

        assertThat(catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file, Map.of())).problems())
                .containsExactly(file + ": empty configuration (no settings; omit --config to run on defaults)");
    }

    @Test
    void shouldRejectAHugeConfigFileBeforeParsingIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("huge.yaml");
        Files.writeString(file, "a: " + "x".repeat(10 << 20));

        assertThat(catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file, Map.of())).problems())
                .containsExactly(file + ": " + Files.size(file) + " bytes is more than a configuration file may hold "
                        + "(1MB); is this the right file?");
    }

    @Test
    void shouldMaskProxyUserInfoInProblemsAndToString() {
        assertThat(problemsOf("poller:\n  proxy: https://bob:hunter2@proxy:3128\n")).containsExactly(
                "poller.proxy: invalid proxy 'https://****@proxy:3128' (expected http://[user:password@]host:port)");
        String shown = ConfigLoader.parse("poller:\n  proxy: http://bob:hunter2@proxy:3128\n  trust-store: /t.p12\n"
                + "  trust-store-password: store-secret\n", Map.of()).toString();
        assertThat(shown).doesNotContain("hunter2", "store-secret").contains("proxy:3128");
    }
}
