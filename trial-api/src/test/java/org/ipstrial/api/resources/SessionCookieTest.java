package org.ipstrial.api.resources;

import static org.assertj.core.api.Assertions.assertThat;

import org.ipstrial.api.SecuritySettings.SecureCookie;
import org.junit.jupiter.api.Test;

/** The cookie setting: auto is on except for loopback names and literals; always and never mean what they say. */
class SessionCookieTest {
    @Test
    void autoIsOnOutsideLoopback() {
        for (String host : new String[] {"trial.example.org", "10.0.0.5", "192.168.1.20", "localhost.example.org", "127.example.org"}) {
            assertThat(SessionResource.secure(SecureCookie.auto, host)).as(host).isTrue();
        }
        for (String host : new String[] {"localhost", "LOCALHOST", "app.localhost", "127.0.0.1", "127.1.2.3", "::1", "[::1]"}) {
            assertThat(SessionResource.secure(SecureCookie.auto, host)).as(host).isFalse();
        }
    }

    @Test
    void alwaysAndNeverIgnoreTheHost() {
        assertThat(SessionResource.secure(SecureCookie.always, "127.0.0.1")).isTrue();
        assertThat(SessionResource.secure(SecureCookie.never, "trial.example.org")).isFalse();
    }
}
