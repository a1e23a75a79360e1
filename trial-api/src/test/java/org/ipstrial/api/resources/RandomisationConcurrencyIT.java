package org.ipstrial.api.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.ipstrial.api.TrialConfiguration;
import org.ipstrial.api.api.RecruitRequests;
import org.ipstrial.api.auth.TrialUser;
import org.ipstrial.api.core.audit.AuditLog;
import org.ipstrial.api.core.recruitment.RandomisationService;
import org.ipstrial.api.core.recruitment.RecruitmentService;
import org.ipstrial.api.core.recruitment.TrialContext;
import org.ipstrial.api.support.ApiClient;
import org.ipstrial.api.support.Recruits;
import org.ipstrial.api.support.TestService;
import org.ipstrial.randomiser.Stratum;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Many specialists randomising at once, across three strata, through the real API: afterwards the
 * allocation log is checked in SQL for what concurrency could break (duplicates, gaps, blocks that
 * are not exact, an audit chain out of step) and against what every client was told.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class RandomisationConcurrencyIT {
    static final DropwizardAppExtension<TrialConfiguration> APP = TestService.extension(TestService.newFolder("concurrency"));
    static final int CLIENTS = 16;
    static final int RECRUITS = 2_000;
    /** Every so often a request is sent twice, from two clients at once, with the same Idempotency-Key. */
    static final int RETRY_EVERY = 20;
    static final ObjectMapper JSON = new ObjectMapper();

    /** One recruit to randomise: who, at which site, in which trial group. */
    record Ready(String participantId, String specialist, String stratum) {}

    /** What a client was told. */
    record Told(String participantId, String arm, String idempotencyKey) {}

    @BeforeAll
    static void users() {
        TestService.createUsers(APP);
    }

    @Test
    void sixteenClientsRandomisingTwoThousandRecruitsLeaveAnExactDuplicateFreeLog() throws Exception {
        long seed = 20261123L ^ "concurrency".hashCode();
        System.out.println("RandomisationConcurrencyIT: seed " + seed);
        Random random = new Random(seed);
        List<Ready> ready = prepare(random);
        assertThat(ready).hasSize(RECRUITS);

        // The queue of requests: each recruit once, some twice (a client's retry racing the first try).
        List<Ready> requests = new ArrayList<>(ready);
        for (int i = 0; i < ready.size(); i += RETRY_EVERY) {
            requests.add(ready.get(i));
        }
        Collections.shuffle(requests, random);
        ConcurrentLinkedQueue<Ready> queue = new ConcurrentLinkedQueue<>(requests);
        Map<String, List<Told>> told = new ConcurrentHashMap<>();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            running.add(clients.submit(() -> {
                ApiClient api = TestService.client(APP);
                Map<String, String> tokens = Map.of("spec-a", api.token("spec-a"), "spec-b", api.token("spec-b"));
                start.await();
                for (Ready r; (r = queue.poll()) != null; ) {
                    String key = "conc-" + r.participantId();
                    var answer = api.send("POST", "/randomisations", tokens.get(r.specialist()),
                            Map.of("participantId", r.participantId()), Map.of("Idempotency-Key", key));
                    if (answer.status() != 200) {
                        failures.add(r.participantId() + ": " + answer);
                        continue;
                    }
                    told.computeIfAbsent(r.participantId(), k -> Collections.synchronizedList(new ArrayList<>()))
                            .add(new Told(r.participantId(), answer.body().get("arm").asText(), key));
                }
                return null;
            }));
        }
        long began = System.nanoTime();
        start.countDown();
        for (Future<?> f : running) {
            f.get();
        }
        clients.shutdown();
        System.out.printf("RandomisationConcurrencyIT: %d requests from %d clients in %.1f s%n", requests.size(), CLIENTS,
                (System.nanoTime() - began) / 1e9);

        assertThat(failures).as("every request answered 200").isEmpty();
        assertThat(told).hasSize(RECRUITS);
        told.forEach((pid, answers) -> assertThat(answers.stream().map(Told::arm).distinct())
                .as("a retry of %s answered the same arm", pid).hasSize(1));

        TestService.ownerJdbi(APP).useHandle(h -> {
            noDuplicates(h);
            sequencesWithoutGaps(h, ready);
            everyCompletedBlockExactAndOnlyTheLastPartial(h);
            runningImbalanceWithinHalfTheLargestBlock(h);
            everyClientWasToldWhatIsRecorded(h, told);
            auditChainIntactAndInStepWithAllocations(h);
        });

        var verification = TestService.client(APP).post("statistician", "/design/verification", Map.of());
        assertThat(verification.status()).as(verification.toString()).isEqualTo(200);
        assertThat(verification.body().get("verified").asBoolean()).as(verification.toString()).isTrue();
        assertThat(verification.body().get("allocationsChecked").asInt()).isEqualTo(RECRUITS);
        assertThat(verification.body().get("mismatches")).isEmpty();
    }

    /**
     * Ready recruits, prepared in-process through the application's own services (HTTP would be
     * slow), on connections that do not wait for the disk at each commit: preparation is not what
     * this test is about. The randomisations then go through HTTP to the service as it runs.
     */
    static List<Ready> prepare(Random random) throws Exception {
        TrialContext trial = TestService.trial(APP);
        RecruitmentService recruitment = new RecruitmentService(TestService.bulkPreparationJdbi(APP), trial);
        Map<String, TrialUser> specialists = Map.of("A", TestService.user(APP, "spec-a"), "B", TestService.user(APP, "spec-b"));
        String[][] groups = {{"A", "A-OOW"}, {"A", "A-IW"}, {"B", "B-OOW"}};
        Map<String, List<String>> areas = Map.of("A", List.of("A-north", "A-south", "A-east"), "B", List.of("B-central", "B-west"));
        // Every random choice is made here, in order, so the seed replays the same recruits.
        record Plan(String site, String area, String group, RecruitRequests.Identity identity, Map<String, Object> baseline) {}
        List<Plan> plans = new ArrayList<>();
        for (int i = 0; i < RECRUITS; i++) {
            String[] group = groups[i % groups.length];
            plans.add(new Plan(group[0], areas.get(group[0]).get(random.nextInt(areas.get(group[0]).size())), group[1],
                    JSON.convertValue(Recruits.identity(random), RecruitRequests.Identity.class), Recruits.baseline(random)));
        }
        ExecutorService workers = Executors.newFixedThreadPool(8);
        try {
            List<Future<Ready>> prepared = new ArrayList<>();
            long began = System.nanoTime();
            for (Plan p : plans) {
                prepared.add(workers.submit(() -> {
                    TrialUser specialist = specialists.get(p.site());
                    String pid = recruitment.create(specialist, new RecruitRequests.NewRecruit(p.site(), p.area())).participantId();
                    var screened = recruitment.screen(specialist, pid,
                            new RecruitRequests.Screening(p.group(), Recruits.eligibleAnswers(p.group())));
                    assertThat(screened.eligible()).isTrue();
                    recruitment.agree(specialist, pid, new RecruitRequests.Agreement("agree-3", Recruits.agreeAll()));
                    recruitment.recordIdentity(specialist, pid, p.identity());
                    var view = recruitment.recordBaseline(specialist, pid, new RecruitRequests.Baseline(p.baseline()));
                    assertThat(view.stepsRemaining()).as(pid).singleElement().asString().startsWith("randomisation:");
                    return new Ready(pid, specialist.username(), p.site() + "/" + p.group());
                }));
            }
            List<Ready> ready = new ArrayList<>();
            for (Future<Ready> f : prepared) {
                ready.add(f.get());
            }
            System.out.printf("RandomisationConcurrencyIT: %d recruits prepared in %.1f s%n", ready.size(), (System.nanoTime() - began) / 1e9);
            return ready;
        } finally {
            workers.shutdown();
        }
    }

    static void noDuplicates(Handle h) {
        assertThat(h.createQuery("SELECT count(*) FROM allocation").mapTo(Long.class).one()).isEqualTo(RECRUITS);
        assertThat(h.createQuery("SELECT person_key::text FROM allocation GROUP BY person_key HAVING count(*) > 1")
                .mapTo(String.class).list()).as("a person allocated twice").isEmpty();
        assertThat(h.createQuery("SELECT stratum_key || ' #' || sequence FROM allocation GROUP BY stratum_key, sequence HAVING count(*) > 1")
                .mapTo(String.class).list()).as("a slot taken twice").isEmpty();
        assertThat(h.createQuery("SELECT idempotency_key FROM allocation GROUP BY idempotency_key HAVING count(*) > 1")
                .mapTo(String.class).list()).as("an Idempotency-Key used twice").isEmpty();
    }

    static void sequencesWithoutGaps(Handle h, List<Ready> ready) {
        Map<String, Long> expected = new HashMap<>();
        ready.forEach(r -> expected.merge(r.stratum(), 1L, Long::sum));
        assertThat(expected).hasSize(3);
        List<Map<String, Object>> strata = h.createQuery("""
                SELECT stratum_key, count(*) AS n, count(DISTINCT sequence) AS distinct_n, min(sequence) AS first, max(sequence) AS last
                FROM allocation GROUP BY stratum_key ORDER BY stratum_key""").mapToMap().list();
        assertThat(strata).hasSize(3);
        for (Map<String, Object> s : strata) {
            String stratum = (String) s.get("stratum_key");
            long n = (Long) s.get("n");
            assertThat(n).as(stratum).isEqualTo(expected.get(stratum));
            assertThat(s.get("distinct_n")).as(stratum).isEqualTo(n);
            assertThat(s.get("first")).as(stratum).isEqualTo(1L);
            assertThat(s.get("last")).as(stratum + ": sequence 1..n without gaps").isEqualTo(n);
        }
    }

    static void everyCompletedBlockExactAndOnlyTheLastPartial(Handle h) {
        List<Map<String, Object>> blocks = h.createQuery("""
                SELECT stratum_key, block_index, count(*) AS n, min(block_size) AS size, max(block_size) AS size_max,
                       count(DISTINCT position_in_block) AS positions, min(position_in_block) AS first_position,
                       max(position_in_block) AS last_position,
                       count(*) FILTER (WHERE arm = 'treatment') AS treatment, count(*) FILTER (WHERE arm = 'control') AS control,
                       max(block_index) OVER (PARTITION BY stratum_key) AS last_block,
                       min(sequence) AS first_sequence, max(sequence) AS last_sequence
                FROM allocation GROUP BY stratum_key, block_index ORDER BY stratum_key, block_index""").mapToMap().list();
        Map<String, Long> nextBlock = new HashMap<>();
        Map<String, Long> nextSequence = new HashMap<>();
        int complete = 0;
        for (Map<String, Object> b : blocks) {
            String stratum = (String) b.get("stratum_key");
            long index = (Long) b.get("block_index");
            String where = stratum + " block " + index;
            long n = (Long) b.get("n");
            int size = (Integer) b.get("size");
            assertThat(b.get("size_max")).as(where + ": one size").isEqualTo(size);
            assertThat(size).as(where).isIn(2, 4, 6);
            assertThat(index).as(where + ": blocks follow one another").isEqualTo(nextBlock.getOrDefault(stratum, 0L));
            nextBlock.put(stratum, index + 1);
            assertThat(b.get("first_sequence")).as(where + ": contiguous sequence").isEqualTo(nextSequence.getOrDefault(stratum, 1L));
            assertThat((Long) b.get("last_sequence") - (Long) b.get("first_sequence") + 1).as(where).isEqualTo(n);
            nextSequence.put(stratum, (Long) b.get("last_sequence") + 1);
            assertThat(b.get("positions")).as(where).isEqualTo(n);
            assertThat(b.get("first_position")).as(where).isEqualTo(1);
            assertThat(((Integer) b.get("last_position")).longValue()).as(where).isEqualTo(n);
            boolean last = index == (Long) b.get("last_block");
            if (!last) {
                assertThat(n).as(where + ": every block but the last is complete").isEqualTo(size);
            } else {
                assertThat(n).as(where + ": the last block is partial at most").isBetween(1L, (long) size);
            }
            if (n == size) {
                complete++;
                // The design's ratio is 1:1: a completed block has exactly half of each arm.
                assertThat(b.get("treatment")).as(where + ": 1:1").isEqualTo((long) size / 2);
                assertThat(b.get("control")).as(where + ": 1:1").isEqualTo((long) size / 2);
            }
        }
        assertThat(complete).as("completed blocks").isGreaterThan(RECRUITS / 6);
    }

    static void runningImbalanceWithinHalfTheLargestBlock(Handle h) {
        var design = TestService.trial(APP).design();
        assertThat(design.latestVersion().ratioFor(Stratum.parse("A/A-OOW")).sum()).isEqualTo(2);
        Map<String, Integer> imbalance = new HashMap<>();
        Map<String, Integer> worst = new HashMap<>();
        h.createQuery("SELECT stratum_key, arm FROM allocation ORDER BY stratum_key, sequence")
                .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2)})
                .forEach(row -> {
                    int now = imbalance.merge(row[0], row[1].equals("treatment") ? 1 : -1, Integer::sum);
                    worst.merge(row[0], Math.abs(now), Math::max);
                });
        worst.forEach((stratum, w) -> {
            int largest = design.latestVersion().largestBlockSizeFor(Stratum.parse(stratum));
            assertThat(w).as(stratum + ": running |treatment - control|").isLessThanOrEqualTo(largest / 2);
        });
        assertThat(worst).hasSize(3);
    }

    static void everyClientWasToldWhatIsRecorded(Handle h, Map<String, List<Told>> told) {
        Map<String, String> recorded = new HashMap<>();
        h.createQuery("SELECT r.participant_id, a.arm, a.idempotency_key FROM allocation a JOIN recruit r ON r.person_key = a.person_key")
                .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)})
                .forEach(row -> {
                    recorded.put(row[0], row[1]);
                    assertThat(row[2]).isEqualTo(RandomisationService.idempotencyKeyHash("conc-" + row[0]));
                });
        assertThat(recorded).hasSize(RECRUITS);
        told.forEach((pid, answers) -> assertThat(recorded.get(pid)).as(pid).isEqualTo(answers.get(0).arm()));
    }

    static void auditChainIntactAndInStepWithAllocations(Handle h) {
        assertThat(AuditLog.verify(h)).isInstanceOf(AuditLog.ChainCheck.Intact.class);
        long unmatched = h.createQuery("""
                SELECT count(*) FROM allocation a
                WHERE (SELECT count(*) FROM audit_event e
                       WHERE e.action = 'randomised' AND e.subject = a.person_key::text
                         AND e.details::jsonb ->> 'arm' = a.arm
                         AND (e.details::jsonb ->> 'sequence')::bigint = a.sequence
                         AND e.details::jsonb ->> 'stratum' = a.stratum_key) <> 1""").mapTo(Long.class).one();
        assertThat(unmatched).as("allocations without exactly one matching audit event").isZero();
        assertThat(h.createQuery("SELECT count(*) FROM audit_event WHERE action = 'randomised'").mapTo(Long.class).one())
                .isEqualTo(RECRUITS);
    }
}
