package org.ipstrial.api.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.ipstrial.api.TrialConfiguration;
import org.ipstrial.api.support.ApiClient;
import org.ipstrial.api.support.Recruits;
import org.ipstrial.api.support.TestService;
import org.junit.jupiter.api.Test;

/**
 * The data directory is the trial's record: everything survives a stop and a start, and a start
 * after the JVM was killed (leaving its PostgreSQL running) takes the leftover server down first.
 */
class RestartIT {

    /** Started in a JVM of its own: runs the embedded server on a folder until it is killed. */
    public static final class LeftoverServer {
        public static void main(String[] args) throws Exception {
            EmbeddedDatabase database = EmbeddedDatabase.start(Path.of(args[0]), 0);
            System.out.println("ready " + database.port());
            System.out.flush();
            System.in.read(); // until killed
        }
    }

    record Snapshot(String participantId, String arm, long designVersions, String commitmentRecordedAt) {}

    @Test
    void dataSurvivesARestartAndAKilledJvmsLeftoverServerIsStoppedFirst() throws Exception {
        long seed = 20261123L ^ "restart".hashCode();
        System.out.println("RestartIT: seed " + seed);
        Random random = new Random(seed);
        Path folder = TestService.newFolder("restart");

        DropwizardAppExtension<TrialConfiguration> first = TestService.extension(folder);
        first.before();
        Snapshot before;
        String oldToken;
        try {
            TestService.createUsers(first);
            ApiClient api = TestService.client(first);
            String pid = Recruits.ready(api, "spec-a", "A", "A-north", "A-OOW", Recruits.identity(random), random);
            var allocated = api.send("POST", "/randomisations", api.token("spec-a"), Map.of("participantId", pid), Map.of());
            assertThat(allocated.status()).as(allocated.toString()).isEqualTo(200);
            before = snapshot(first, pid);
            oldToken = api.token("manager");
        } finally {
            first.after();
        }

        DropwizardAppExtension<TrialConfiguration> second = TestService.extension(folder);
        second.before();
        try {
            assertSame(second, before, oldToken);
            // The stratum's sequence carries on where it stopped.
            ApiClient api = TestService.client(second);
            String next = Recruits.ready(api, "spec-a", "A", "A-south", "A-OOW", Recruits.identity(random), random);
            assertThat(api.send("POST", "/randomisations", api.token("spec-a"), Map.of("participantId", next), Map.of()).status()).isEqualTo(200);
            long sequence = TestService.jdbi(second).withHandle(h -> h.createQuery(
                    "SELECT a.sequence FROM allocation a JOIN recruit r ON r.person_key = a.person_key WHERE r.participant_id = :p")
                    .bind("p", next).mapTo(Long.class).one());
            assertThat(sequence).isEqualTo(2);
        } finally {
            second.after();
        }

        // A JVM holding the embedded server is killed: its PostgreSQL stays behind, holding the folder.
        Path data = folder.resolve("postgres");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), LeftoverServer.class.getName(),
                data.toString()).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("ready ")) {
                System.out.println("leftover server: " + line);
            }
            assertThat(line).as("the child JVM started its server").startsWith("ready ");
        }
        child.destroyForcibly(); // SIGKILL: no shutdown hook runs
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        long leftoverPid = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
        ProcessHandle leftover = ProcessHandle.of(leftoverPid).orElseThrow();
        assertThat(leftover.isAlive()).as("PostgreSQL outlives the killed JVM").isTrue();

        DropwizardAppExtension<TrialConfiguration> third = TestService.extension(folder);
        third.before();
        try {
            assertThat(leftover.isAlive()).as("the leftover server was stopped").isFalse();
            assertSame(third, before, oldToken);
        } finally {
            third.after();
            leftover.destroyForcibly();
        }
    }

    static Snapshot snapshot(DropwizardAppExtension<TrialConfiguration> app, String pid) {
        return TestService.jdbi(app).withHandle(h -> new Snapshot(pid,
                h.createQuery("SELECT a.arm FROM allocation a JOIN recruit r ON r.person_key = a.person_key WHERE r.participant_id = :p")
                        .bind("p", pid).mapTo(String.class).one(),
                h.createQuery("SELECT count(*) FROM design_version").mapTo(Long.class).one(),
                h.createQuery("SELECT recorded_at::text FROM design_commitment").mapTo(String.class).one()));
    }

    static void assertSame(DropwizardAppExtension<TrialConfiguration> app, Snapshot before, String oldToken) {
        ApiClient api = TestService.client(app);
        var view = api.get("spec-a", "/recruits/" + before.participantId());
        assertThat(view.status()).as("a fresh login and the recruit: " + view).isEqualTo(200);
        assertThat(view.body().path("allocation").path("arm").asText()).isEqualTo(before.arm());
        Snapshot after = snapshot(app, before.participantId());
        assertThat(after.designVersions()).as("the design is not recorded again").isEqualTo(before.designVersions()).isEqualTo(1);
        assertThat(after.commitmentRecordedAt()).isEqualTo(before.commitmentRecordedAt());
        assertThat(api.send("GET", "/session", oldToken, null, Map.of()).status()).as("a session from before the restart").isEqualTo(200);
        var chain = api.get("admin", "/audit/verification");
        assertThat(chain.body().get("intact").asBoolean()).as(chain.toString()).isTrue();
        assertThat(List.of(before.arm())).containsAnyOf("treatment", "control");
    }
}
