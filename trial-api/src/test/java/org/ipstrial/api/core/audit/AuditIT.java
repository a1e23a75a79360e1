package org.ipstrial.api.core.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
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
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The audit log and the allocation log are append-only and tamper-evident: the database itself
 * refuses changes, even from the application's own role; a change made around the database's
 * guard (a superuser with triggers off) is found by the chain check, at the row changed.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class AuditIT {
    static final DropwizardAppExtension<TrialConfiguration> APP = TestService.extension(TestService.newFolder("audit"));
    static ApiClient api;
    Random random;

    @BeforeEach
    void seed(TestInfo test) {
        random = TestService.seededRandom(test);
    }

    @BeforeAll
    static void users() {
        TestService.createUsers(APP);
        api = TestService.client(APP);
    }

    /** A whole first appointment and its follow-up; returns every identifier value used. */
    List<String> workflow() {
        Map<String, Object> person = Recruits.identity(random);
        String pid = Recruits.ready(api, "spec-a", "A", "A-north", "A-OOW", person, random);
        var allocated = api.send("POST", "/randomisations", api.token("spec-a"), Map.of("participantId", pid), Map.of("Idempotency-Key", new java.util.UUID(random.nextLong(), random.nextLong()).toString()));
        assertThat(allocated.status()).as(allocated.toString()).isEqualTo(200);
        Map<String, String> corrected = Map.of("familyName", "Corrected" + random.nextInt(1_000_000), "dateOfBirth", "1971-07-13",
                "nationalInsuranceNumber", Recruits.nino(random));
        var correction = api.post("manager", "/recruits/" + pid + "/corrections", Map.of("fields", corrected, "reason", "typed wrongly"));
        assertThat(correction.status()).as(correction.toString()).isEqualTo(200);
        String today = LocalDate.now(ZoneId.of("Europe/London")).toString();
        assertThat(api.post("manager", "/recruits/" + pid + "/status",
                Map.of("kind", "withdrawn_service", "effectiveDate", today, "reason", "moved away")).status()).isEqualTo(200);
        assertThat(api.post("manager", "/recruits/" + pid + "/flags", Map.of("kind", "wrong_stratum", "note", "was in work")).status())
                .isEqualTo(200);
        List<String> identifiers = new ArrayList<>();
        person.forEach((field, value) -> {
            if (!List.of("sex", "language", "surveyMode").contains(field)) {
                identifiers.add(value.toString());
            }
        });
        identifiers.addAll(corrected.values());
        identifiers.add(pid);
        return identifiers;
    }

    @Test
    void theChainVerifiesAfterAWorkflowAndHoldsNoIdentifierInClear() {
        List<String> identifiers = workflow();
        identifiers.addAll(workflow());
        var chain = api.get("admin", "/audit/verification");
        assertThat(chain.status()).isEqualTo(200);
        assertThat(chain.body().get("intact").asBoolean()).as(chain.toString()).isTrue();
        assertThat(chain.body().get("events").asLong()).isGreaterThan(10);
        assertThat(TestService.jdbi(APP).inTransaction(AuditLog::verify)).isInstanceOf(AuditLog.ChainCheck.Intact.class);

        TestService.ownerJdbi(APP).useHandle(h -> {
            for (String value : identifiers) {
                for (String table : List.of("audit_event", "allocation", "erasure")) {
                    long found = h.createQuery("SELECT count(*) FROM " + table + " t WHERE position(lower(:v) IN lower(t::text)) > 0")
                            .bind("v", value).mapTo(Long.class).one();
                    assertThat(found).as("rows of %s holding an identifier in clear", table).isZero();
                }
            }
            // The value scan must be able to find something: the same scan finds a table's own values.
            String someSubject = h.createQuery("SELECT subject FROM audit_event WHERE action = 'randomised' LIMIT 1").mapTo(String.class).one();
            assertThat(h.createQuery("SELECT count(*) FROM audit_event t WHERE position(lower(:v) IN lower(t::text)) > 0")
                    .bind("v", someSubject).mapTo(Long.class).one()).isPositive();
        });
    }

    @Test
    void theApplicationsOwnDatabaseRoleCannotChangeOrRemoveAllocationOrAuditRows() {
        workflow();
        Jdbi app = TestService.jdbi(APP);
        String role = app.withHandle(h -> h.createQuery("SELECT current_user").mapTo(String.class).one());
        assertThat(role).isEqualTo("trial_app");
        String allocationsBefore = snapshot(app, "allocation");
        String auditBefore = snapshot(app, "audit_event");
        for (String statement : List.of(
                "UPDATE allocation SET arm = CASE arm WHEN 'treatment' THEN 'control' ELSE 'treatment' END",
                "DELETE FROM allocation",
                "TRUNCATE allocation",
                "UPDATE audit_event SET details = '{}'",
                "DELETE FROM audit_event WHERE seq = (SELECT max(seq) FROM audit_event)",
                "TRUNCATE audit_event",
                "UPDATE erasure SET site = 'B'",
                "UPDATE audit_checkpoint SET root_hash = 'x'",
                "DELETE FROM audit_checkpoint",
                "UPDATE audit_seal_leaf SET hash = 'x'",
                "DELETE FROM audit_seal_leaf",
                "ALTER TABLE allocation DISABLE TRIGGER allocation_append_only",
                "SET session_replication_role = replica")) {
            assertThatThrownBy(() -> app.useTransaction(h -> h.execute(statement))).as("trial_app: " + statement)
                    .hasStackTraceContaining("ERROR:");
        }
        // Even the owner superuser is refused while the triggers are on.
        Jdbi owner = TestService.ownerJdbi(APP);
        for (String statement : List.of("UPDATE allocation SET arm = 'control'", "DELETE FROM allocation", "TRUNCATE allocation",
                "UPDATE audit_event SET actor = 'someone else'", "DELETE FROM audit_event", "TRUNCATE audit_event")) {
            assertThatThrownBy(() -> owner.useTransaction(h -> h.execute(statement))).as("owner: " + statement)
                    .hasStackTraceContaining("append-only");
        }
        assertThat(snapshot(app, "allocation")).isEqualTo(allocationsBefore);
        assertThat(snapshot(app, "audit_event")).isEqualTo(auditBefore);
    }

    @Test
    void aRowTamperedWithTriggersOffIsFoundAtItsSequenceByTheServiceAndTheCommand() throws Exception {
        workflow();
        seal();
        CommandResult before = verifyAuditCommand();
        assertThat(before.exitStatus()).as("intact before tampering: " + before.output()).isZero();
        assertThat(before.output()).contains("Audit chain intact");
        Jdbi owner = TestService.ownerJdbi(APP);
        long seq = owner.withHandle(h -> h.createQuery("SELECT seq FROM audit_event WHERE action = 'randomised' ORDER BY seq DESC LIMIT 1")
                .mapTo(Long.class).one());
        String original = owner.withHandle(h -> h.createQuery("SELECT details FROM audit_event WHERE seq = :s").bind("s", seq)
                .mapTo(String.class).one());
        String tampered = original.contains("\"treatment\"") ? original.replace("\"treatment\"", "\"control\"")
                : original.replace("\"control\"", "\"treatment\"");
        assertThat(tampered).isNotEqualTo(original);
        try {
            asOwnerWithTriggersOff(owner, h -> h.createUpdate("UPDATE audit_event SET details = :d WHERE seq = :s")
                    .bind("d", tampered).bind("s", seq).execute());

            var chain = api.get("statistician", "/audit/verification");
            assertThat(chain.status()).isEqualTo(200);
            assertThat(chain.body().get("intact").asBoolean()).as(chain.toString()).isFalse();
            assertThat(chain.body().get("brokenAt").asLong()).isEqualTo(seq);
            var check = TestService.jdbi(APP).inTransaction(AuditLog::verify);
            assertThat(check).isInstanceOf(AuditLog.ChainCheck.Broken.class);
            assertThat(((AuditLog.ChainCheck.Broken) check).atSequence()).isEqualTo(seq);
            assertThat(((AuditLog.ChainCheck.Broken) check).problem()).contains("its content does not match its hash (changed after it was written)");

            CommandResult command = verifyAuditCommand();
            assertThat(command.exitStatus()).as(command.output()).isEqualTo(1);
            assertThat(command.output()).contains("BROKEN at event " + seq);
        } finally {
            asOwnerWithTriggersOff(owner, h -> h.createUpdate("UPDATE audit_event SET details = :d WHERE seq = :s")
                    .bind("d", original).bind("s", seq).execute());
        }
        assertThat(api.get("admin", "/audit/verification").body().get("intact").asBoolean()).as("restored").isTrue();
    }

    /** A recruit's chain: the seq of each of its events, in chain order. */
    static List<Long> chainOf(Handle h, String action) {
        String chain = h.createQuery("SELECT chain FROM audit_event WHERE action = :a AND scheme = 2 ORDER BY seq DESC LIMIT 1")
                .bind("a", action).mapTo(String.class).one();
        return h.createQuery("SELECT seq FROM audit_event WHERE chain = :c ORDER BY chain_seq").bind("c", chain).mapTo(Long.class).list();
    }

    /**
     * Each way of tampering, made by the owner with the triggers off and checked in the same
     * transaction, which is then rolled back (so each case starts from an intact log).
     */
    AuditLog.ChainCheck tamperedAndChecked(Change change) {
        Jdbi owner = TestService.ownerJdbi(APP);
        try (Handle h = owner.open()) {
            h.begin();
            h.execute("SET LOCAL session_replication_role = replica");
            change.apply(h);
            AuditLog.ChainCheck check = AuditLog.verify(h);
            h.rollback();
            return check;
        }
    }

    static AuditLog.ChainCheck.Broken broken(AuditLog.ChainCheck check) {
        assertThat(check).isInstanceOf(AuditLog.ChainCheck.Broken.class);
        return (AuditLog.ChainCheck.Broken) check;
    }

    @Test
    void verificationFindsAChangedARemovedAReorderedAndAnInsertedEvent() {
        workflow();
        seal();
        workflow();
        assertThat(TestService.ownerJdbi(APP).inTransaction(AuditLog::verify)).isInstanceOf(AuditLog.ChainCheck.Intact.class);
        List<Long> chain = TestService.ownerJdbi(APP).withHandle(h -> chainOf(h, "flagged"));
        assertThat(chain).as("a recruit's chain from creation to its flag").hasSizeGreaterThan(6);

        // Changed: the actor of the third event.
        var changed = broken(tamperedAndChecked(h -> h.execute("UPDATE audit_event SET actor = 'someone else' WHERE seq = ?", chain.get(2))));
        assertThat(changed.atSequence()).isEqualTo(chain.get(2));
        assertThat(changed.problem()).contains("event 3 of chain").contains("content does not match its hash");

        // Removed: the third event; found at the fourth, which names the missing one.
        var removed = broken(tamperedAndChecked(h -> h.execute("DELETE FROM audit_event WHERE seq = ?", chain.get(2))));
        assertThat(removed.atSequence()).isEqualTo(chain.get(3));
        assertThat(removed.problem()).contains("event 3 of chain").contains("is missing");

        // Reordered: the third and fourth events swap places in the chain.
        var reordered = broken(tamperedAndChecked(h -> {
            h.execute("UPDATE audit_event SET chain_seq = -chain_seq WHERE seq IN (?, ?)", chain.get(2), chain.get(3));
            h.execute("UPDATE audit_event SET chain_seq = CASE WHEN chain_seq = -3 THEN 4 ELSE 3 END WHERE seq IN (?, ?)",
                    chain.get(2), chain.get(3));
        }));
        assertThat(reordered.atSequence()).isEqualTo(chain.get(3));
        assertThat(reordered.problem()).contains("does not follow the previous event's hash");

        // Inserted in the middle: the later events moved up one place to make room.
        var insertedInside = broken(tamperedAndChecked(h -> {
            h.execute("UPDATE audit_event SET chain_seq = -(chain_seq + 1) WHERE chain = (SELECT chain FROM audit_event WHERE seq = ?) "
                    + "AND chain_seq >= 3", chain.get(2));
            h.execute("UPDATE audit_event SET chain_seq = -chain_seq WHERE chain_seq < 0");
            forgeEvent(h, chain.get(1), 3);
        }));
        assertThat(insertedInside.problem()).contains("does not follow the previous event's hash");

        // Inserted at the end, hashed correctly: the chain's recorded head does not name it.
        var insertedAtEnd = broken(tamperedAndChecked(h -> forgeEvent(h, chain.get(chain.size() - 1), chain.size() + 1)));
        assertThat(insertedAtEnd.problem()).contains("the head of chain").contains("ends at event " + (chain.size() + 1));
    }

    @Test
    void removingTheNewestEventsOfOneChainIsFoundOnceTheyAreSealed() {
        workflow();
        seal();
        List<Long> chain = TestService.ownerJdbi(APP).withHandle(h -> chainOf(h, "flagged"));
        int keep = chain.size() - 2;
        Change removeTheTail = h -> {
            // Remove the last two events and move the chain's head back, as a careful intruder would.
            h.execute("DELETE FROM audit_event WHERE seq IN (?, ?)", chain.get(keep), chain.get(keep + 1));
            h.execute("""
                    UPDATE audit_chain c SET seq = e.chain_seq, hash = e.hash, prev_hash = e.prev_hash
                    FROM audit_event e WHERE e.seq = ? AND c.chain = e.chain""", chain.get(keep - 1));
        };
        var removed = broken(tamperedAndChecked(removeTheTail));
        assertThat(removed.problem()).contains("event " + chain.size() + " of chain").contains("sealed in checkpoint").contains("is missing");

        // The limit of any log sealed after commit: events not sealed yet are covered by their chain only.
        workflow();
        List<Long> fresh = TestService.ownerJdbi(APP).withHandle(h -> chainOf(h, "flagged"));
        String freshChain = TestService.ownerJdbi(APP).withHandle(h -> h.createQuery("SELECT chain FROM audit_event WHERE seq = ?")
                .bind(0, fresh.get(0)).mapTo(String.class).one());
        Change removeTheUnsealedTail = h -> {
            h.execute("DELETE FROM audit_event WHERE seq = ?", fresh.get(fresh.size() - 1));
            h.execute("DELETE FROM audit_unsealed WHERE chain = ? AND seq = ?", freshChain, fresh.size());
            h.execute("""
                    UPDATE audit_chain c SET seq = e.chain_seq, hash = e.hash, prev_hash = e.prev_hash
                    FROM audit_event e WHERE e.seq = ? AND c.chain = e.chain""", fresh.get(fresh.size() - 2));
        };
        assertThat(tamperedAndChecked(removeTheUnsealedTail)).as("not sealed yet: not detectable").isInstanceOf(AuditLog.ChainCheck.Intact.class);
        seal();
        assertThat(broken(tamperedAndChecked(removeTheUnsealedTail)).problem()).as("once sealed").contains("is missing");
    }

    @Test
    void checkpointsAreChainedAndEachSealsTheHeadsCommittedSinceThePrevious() {
        workflow();
        var first = seal();
        assertThat(first).isPresent();
        assertThat(seal()).as("nothing committed since").isEmpty();
        workflow();
        var second = seal().orElseThrow();
        assertThat(second.id()).isEqualTo(first.get().id() + 1);
        assertThat(second.treeSize()).isGreaterThan(first.get().treeSize());
        var intact = (AuditLog.ChainCheck.Intact) TestService.ownerJdbi(APP).inTransaction(AuditLog::verify);
        assertThat(intact.unsealedEvents()).isZero();
        assertThat(intact.headHash()).isEqualTo(second.treeHead());
        assertThat(intact.checkpoints()).isEqualTo(second.id());

        // A checkpoint changed (its tree head) or removed is found.
        var changed = broken(tamperedAndChecked(h -> h.execute("UPDATE audit_checkpoint SET root_hash = repeat('1', 64) WHERE id = ?",
                first.get().id())));
        assertThat(changed.problem()).contains("checkpoint " + first.get().id());
        var leafChanged = broken(tamperedAndChecked(h -> h.execute(
                "UPDATE audit_seal_leaf SET hash = repeat('2', 64) WHERE checkpoint_id = ? AND leaf_index = (SELECT min(leaf_index) "
                        + "FROM audit_seal_leaf WHERE checkpoint_id = ?)", second.id(), second.id())));
        assertThat(leafChanged.problem()).contains("does not have the hash it was sealed with");
        var removedCheckpoint = broken(tamperedAndChecked(h -> {
            h.execute("DELETE FROM audit_seal_leaf WHERE checkpoint_id = ?", first.get().id());
            h.execute("DELETE FROM audit_checkpoint WHERE id = ?", first.get().id());
        }));
        assertThat(removedCheckpoint.problem()).contains("checkpoint " + first.get().id() + " is missing");
    }

    /** An event forged after {@code afterSeq}, at chain position {@code position}, hashed by the published rule. */
    static void forgeEvent(Handle h, long afterSeq, long position) {
        var previous = h.createQuery("SELECT chain, hash FROM audit_event WHERE seq = ?").bind(0, afterSeq).mapToMap().one();
        String chain = (String) previous.get("chain");
        java.time.Instant at = java.time.Instant.parse("2026-01-06T10:00:00Z");
        String details = "{\"kind\":\"wrong_stratum\"}";
        String hash = AuditLog.chainedHash((String) previous.get("hash"), chain, position,
                AuditLog.contentHash(at, "intruder", "flagged", chain, details));
        h.createUpdate("""
                INSERT INTO audit_event (chain, chain_seq, scheme, occurred_at, actor, action, subject, details, prev_hash, hash)
                VALUES (:chain, :position, 2, :at, 'intruder', 'flagged', :chain, :details, :prev, :hash)""")
                .bind("chain", chain).bind("position", position).bind("at", at).bind("details", details)
                .bind("prev", previous.get("hash")).bind("hash", hash).execute();
    }

    static java.util.Optional<AuditSealer.Checkpoint> seal() {
        return ((org.ipstrial.api.TrialApplication) APP.getApplication()).sealer().seal();
    }

    @Test
    void erasureRemovesThePersonButKeepsTheAllocationSlotAndTheChainVerifies() {
        Map<String, Object> person = Recruits.identity(random);
        String pid = Recruits.ready(api, "spec-b", "B", "B-west", "B-OOW", person, random);
        var allocated = api.send("POST", "/randomisations", api.token("spec-b"), Map.of("participantId", pid), Map.of());
        assertThat(allocated.status()).isEqualTo(200);
        Jdbi owner = TestService.ownerJdbi(APP);
        String personKey = owner.withHandle(h -> h.createQuery("SELECT person_key::text FROM recruit WHERE participant_id = :p")
                .bind("p", pid).mapTo(String.class).one());
        String allocationBefore = owner.withHandle(h -> h.createQuery("SELECT a::text FROM allocation a WHERE person_key::text = :k")
                .bind("k", personKey).mapTo(String.class).one());

        var erased = api.post("manager", "/recruits/" + pid + "/erasure", Map.of("requestedOn", java.time.LocalDate.now(java.time.ZoneId.of("Europe/London")).toString(), "ground", "participant_request", "confirmed", true));
        assertThat(erased.status()).as(erased.toString()).isEqualTo(204);

        owner.useHandle(h -> {
            assertThat(h.createQuery("SELECT a::text FROM allocation a WHERE person_key::text = :k").bind("k", personKey)
                    .mapTo(String.class).one()).as("the allocation slot stays, unchanged").isEqualTo(allocationBefore);
            assertThat(h.createQuery("SELECT randomised FROM erasure WHERE person_key::text = :k").bind("k", personKey)
                    .mapTo(Boolean.class).one()).isTrue();
            assertThat(h.createQuery("SELECT count(*) FROM recruit WHERE participant_id = :p").bind("p", pid).mapTo(Long.class).one()).isZero();
            for (String value : List.of(person.get("nationalInsuranceNumber").toString(), person.get("familyName").toString(),
                    person.get("email").toString())) {
                for (String table : List.of("identity", "baseline_contact", "audit_event", "allocation", "erasure", "correction")) {
                    assertThat(h.createQuery("SELECT count(*) FROM " + table + " t WHERE position(lower(:v) IN lower(t::text)) > 0")
                            .bind("v", value).mapTo(Long.class).one()).as("%s after erasure", table).isZero();
                }
            }
            assertThat(AuditLog.verify(h)).isInstanceOf(AuditLog.ChainCheck.Intact.class);
        });
        assertThat(api.get("admin", "/audit/verification").body().get("intact").asBoolean()).isTrue();
        var verification = api.post("statistician", "/design/verification", Map.of());
        assertThat(verification.body().get("verified").asBoolean()).as(verification.toString()).isTrue();
    }

    static String snapshot(Jdbi jdbi, String table) {
        return jdbi.withHandle(h -> String.join("\n", h.createQuery("SELECT t::text FROM " + table + " t ORDER BY 1").mapTo(String.class).list()));
    }

    interface Change {
        void apply(Handle handle);
    }

    /** What a superuser can do around the triggers: the chain check is what finds it. */
    static void asOwnerWithTriggersOff(Jdbi owner, Change change) {
        owner.useTransaction(h -> {
            h.execute("SET LOCAL session_replication_role = replica");
            change.apply(h);
        });
    }

    record CommandResult(int exitStatus, String output) {}

    /**
     * {@code verify-audit} in a JVM of its own (it ends with System.exit), against the running
     * service's database as an external server.
     */
    static CommandResult verifyAuditCommand() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-cp", System.getProperty("java.class.path"),
                "-Ddw.databaseServer.embedded=false",
                "-Ddw.database.url=" + APP.getConfiguration().getDatabase().getUrl(),
                "-Ddw.databaseServer.ownerUser=postgres",
                "-Ddw.logging.level=ERROR",
                TrialApplication.class.getName(), "verify-audit", "src/test/resources/test-config.yml");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new CommandResult(process.exitValue(), output);
    }
}
