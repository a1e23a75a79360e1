package org.ipstrial.api.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.ipstrial.api.TrialApplication;
import org.ipstrial.api.TrialConfiguration;
import org.ipstrial.api.support.ApiClient;
import org.ipstrial.api.support.Recruits;
import org.ipstrial.api.support.TestService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The jar's commands run, in a JVM of their own as an operator would run them, while the service
 * is up on the same embedded data directory: verify-audit attaches to the live server read only
 * and gives the right verdict; db commands and a second server are refused with a message; the
 * service's PostgreSQL is never stopped and the service keeps serving.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class LiveServiceCommandsIT {
    static final Path FOLDER = TestService.newFolder("live-commands");
    static final DropwizardAppExtension<TrialConfiguration> APP = TestService.extension(FOLDER);
    static ApiClient api;
    Random random;

    @BeforeAll
    static void users() {
        TestService.createUsers(APP);
        api = TestService.client(APP);
    }

    @BeforeEach
    void seed(TestInfo test) {
        random = TestService.seededRandom(test);
    }

    record Run(int exit, String output) {}

    /** {@code java TrialApplication ARGS... test-config.yml} with this test's data directory, in a new JVM. */
    static Run command(String... arguments) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> line = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "-Ddw.databaseServer.dataDirectory=" + FOLDER.resolve("postgres"),
                "-Ddw.trial.secretFile=" + FOLDER.resolve("randomisation.secret"),
                TrialApplication.class.getName()));
        line.addAll(List.of(arguments));
        line.add(Path.of("src", "test", "resources", "test-config.yml").toString());
        Path output = Files.createTempFile(FOLDER, "command-", ".log");
        Process process = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        boolean ended = process.waitFor(120, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        String text = Files.readString(output, StandardCharsets.UTF_8);
        System.out.println(String.join(" ", arguments) + ":\n" + text);
        assertThat(ended).as("the command ended within 120 s: " + text).isTrue();
        return new Run(process.exitValue(), text);
    }

    static long postmasterPid() throws IOException {
        return Long.parseLong(Files.readAllLines(FOLDER.resolve("postgres").resolve("postmaster.pid")).get(0).trim());
    }

    void serviceStillServes(long postmaster) throws IOException {
        assertThat(postmasterPid()).as("the same PostgreSQL holds the folder").isEqualTo(postmaster);
        assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive)).as("the service's PostgreSQL runs").contains(true);
        String pid = Recruits.ready(api, "spec-a", "A", "A-north", "A-OOW", Recruits.identity(random), random);
        var allocated = api.send("POST", "/randomisations", api.token("spec-a"), Map.of("participantId", pid), Map.of());
        assertThat(allocated.status()).as("the service randomises after the command: " + allocated).isEqualTo(200);
    }

    @Test
    void verifyAuditAttachesToTheLiveServerAndTheServiceKeepsServing() throws Exception {
        String pid = Recruits.ready(api, "spec-a", "A", "A-south", "A-IW", Recruits.identity(random), random);
        assertThat(api.send("POST", "/randomisations", api.token("spec-a"), Map.of("participantId", pid), Map.of()).status()).isEqualTo(200);
        long events = TestService.jdbi(APP).withHandle(h -> h.createQuery("SELECT count(*) FROM audit_event").mapTo(Long.class).one());
        long postmaster = postmasterPid();

        Run run = command("verify-audit");

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("Audit chain intact: " + events + " events")
                .contains("The service is running: reading its database")
                .doesNotContain("Stopping a leftover PostgreSQL");
        serviceStillServes(postmaster);
    }

    @Test
    void dbCommandsAreRefusedWhileTheServiceRunsAndChangeNothing() throws Exception {
        long postmaster = postmasterPid();
        long changesets = TestService.ownerJdbi(APP).withHandle(h -> h.createQuery("SELECT count(*) FROM databasechangelog").mapTo(Long.class).one());

        Run run = command("db", "migrate");

        assertThat(run.exit()).as(run.output()).isNotZero();
        assertThat(run.output()).contains("The trial service is running on the data directory")
                .contains("stop it first to run this command");
        long changesetsAfter = TestService.ownerJdbi(APP).withHandle(h -> h.createQuery("SELECT count(*) FROM databasechangelog")
                .mapTo(Long.class).one());
        assertThat(changesetsAfter).isEqualTo(changesets);
        serviceStillServes(postmaster);
    }

    @Test
    void aSecondServerOnTheSameFolderIsRefusedAndTheFirstKeepsServing() throws Exception {
        long postmaster = postmasterPid();

        Run run = command("server");

        assertThat(run.exit()).as(run.output()).isNotZero();
        assertThat(run.output()).contains("belongs to a running trial service").contains("port")
                .doesNotContain("Stopping a leftover PostgreSQL");
        serviceStillServes(postmaster);
    }
}
