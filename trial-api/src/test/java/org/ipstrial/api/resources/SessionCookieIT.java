package org.ipstrial.api.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.ipstrial.api.TrialConfiguration;
import org.ipstrial.api.support.TestService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The session cookie over real HTTP, with the Host a browser would send: Secure when the service is
 * reached by a public name (it is then behind TLS), not when reached on loopback over plain HTTP
 * (the demo), under the default setting (auto).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class SessionCookieIT {
    static final DropwizardAppExtension<TrialConfiguration> APP = TestService.extension(TestService.newFolder("session-cookie"));

    @BeforeAll
    static void users() {
        TestService.createUsers(APP);
    }

    /** The Set-Cookie header of a login sent with this Host header, over a plain socket (the JDK client will not set Host). */
    static String sessionCookie(String host) throws IOException {
        String body = "{\"username\":\"manager\",\"password\":\"" + TestService.PASSWORD + "\"}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", APP.getLocalPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/session HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\nContent-Length: "
                    + bytes.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).as(host).startsWith("HTTP/1.1 200");
            List<String> cookies = answer.lines().takeWhile(l -> !l.isEmpty())
                    .filter(l -> l.toLowerCase().startsWith("set-cookie: trial_session=")).toList();
            assertThat(cookies).as(host).hasSize(1);
            return cookies.get(0);
        }
    }

    static boolean secure(String setCookie) {
        return List.of(setCookie.split(";")).stream().map(String::strip).anyMatch(a -> a.equalsIgnoreCase("Secure"));
    }

    @Test
    void theCookieIsSecureByDefaultExceptOnLoopback() throws IOException {
        String publicName = sessionCookie("trial.example.org");
        assertThat(secure(publicName)).as(publicName).isTrue();
        assertThat(publicName).containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Strict");

        for (String loopback : List.of("127.0.0.1:" + APP.getLocalPort(), "localhost:" + APP.getLocalPort(), "[::1]:" + APP.getLocalPort())) {
            String cookie = sessionCookie(loopback);
            assertThat(secure(cookie)).as(loopback + ": plain HTTP on this machine, as the demo runs").isFalse();
        }
    }
}
