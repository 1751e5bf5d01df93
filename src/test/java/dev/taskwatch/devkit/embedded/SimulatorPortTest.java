package dev.taskwatch.devkit.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatorPortTest {

    @TempDir
    Path dir;

    private SimulatedTaskSource start() {
        return SimulatedTaskSource.start(42, Clock.systemUTC(), dir.resolve(EmbeddedDataDir.SIMULATOR_EPOCH),
                dir.resolve(EmbeddedDataDir.SIMULATOR_PORT));
    }

    private static int port(SimulatedTaskSource source) {
        return source.port();
    }

    @Test
    void shouldServeTheTargetsAtTheSameEndpointsWhenRestartedOnTheSameDataDir() {
        int first;
        try (SimulatedTaskSource source = start()) {
            first = port(source);
        }
        try (SimulatedTaskSource restarted = start()) {
            assertThat(port(restarted)).isEqualTo(first);
        }
    }

    @Test
    void shouldListenOnAnotherPortAndKeepThatWhenTheKeptPortIsTaken() throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Files.writeString(dir.resolve(EmbeddedDataDir.SIMULATOR_PORT), taken.getLocalPort() + "\n",
                    StandardCharsets.UTF_8);
            try (SimulatedTaskSource source = start()) {
                assertThat(port(source)).isNotEqualTo(taken.getLocalPort());
                assertThat(SimulatorPort.read(dir.resolve(EmbeddedDataDir.SIMULATOR_PORT))).isEqualTo(port(source));
            }
        }
    }

    @Test
    void shouldTakeAnyPortWhenTheKeptOneIsUnreadableOrOutOfRange() throws IOException {
        Path file = dir.resolve(EmbeddedDataDir.SIMULATOR_PORT);
        Files.writeString(file, "80", StandardCharsets.UTF_8);
        assertThat(SimulatorPort.read(file)).isEqualTo(80);
        Files.writeString(file, "", StandardCharsets.UTF_8);
        assertThat(SimulatorPort.read(file)).isZero();
        Files.writeString(file, "port 80", StandardCharsets.UTF_8);
        assertThat(SimulatorPort.read(file)).isZero();
        Files.writeString(file, "70000", StandardCharsets.UTF_8);
        assertThat(SimulatorPort.read(file)).isZero();
    }
}
