package dev.taskwatch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JdkHttpServersTest {

    private String before;

    @BeforeEach
    void remember() {
        before = System.getProperty(JdkHttpServers.NODELAY_PROPERTY);
    }

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(JdkHttpServers.NODELAY_PROPERTY);
        } else {
            System.setProperty(JdkHttpServers.NODELAY_PROPERTY, before);
        }
    }

    @Test
    void shouldTurnOffNagleWhenNobodySaidOtherwise() {
        System.clearProperty(JdkHttpServers.NODELAY_PROPERTY);
        JdkHttpServers.sendWithoutDelay();
        assertThat(System.getProperty(JdkHttpServers.NODELAY_PROPERTY)).isEqualTo("true");
    }

    @Test
    void shouldLeaveAnExplicitSettingAlone() {
        System.setProperty(JdkHttpServers.NODELAY_PROPERTY, "false");
        JdkHttpServers.sendWithoutDelay();
        assertThat(System.getProperty(JdkHttpServers.NODELAY_PROPERTY)).isEqualTo("false");
    }
}
