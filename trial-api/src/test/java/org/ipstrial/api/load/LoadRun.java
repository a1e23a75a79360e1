package org.ipstrial.api.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Virtual clients that each prepare ready recruits through the API, then, all starting together,
 * randomise them one after another with an Idempotency-Key each, resending the identical request
 * on errors until a definitive answer. Only the randomise calls are timed.
 */
public final class LoadRun {
    /** What to run. {@code faultAfter} fires once, on its own thread, when that many allocations are acknowledged. */
    public record Plan(int clients, int randomisations, Duration timeLimit, long seed, int faultAfter, Runnable fault,
            Phase phase, int warmUp) {
        public Plan(int clients, int randomisations, Duration timeLimit, long seed, int faultAfter, Runnable fault) {
            this(clients, randomisations, timeLimit, seed, faultAfter, fault, Phase.NONE, 0);
        }

        public Plan {
            if (warmUp < 0) {
                throw new IllegalArgumentException("warm-up must be 0 or more, not " + warmUp);
            }
            if (clients < 1 || clients > 64) {
                throw new IllegalArgumentException("clients must be 1 to 64, not " + clients);
            }
            if (randomisations < clients) {
                throw new IllegalArgumentException("randomisations (" + randomisations + ") must be at least the clients (" + clients + ")");
            }
        }
    }

    /** Told when the timed randomisation phase starts and ends (to sample only within it). */
    public interface Phase {
        Phase NONE = new Phase() {
            @Override
            public void started() {}

            @Override
            public void ended() {}
        };

        void started();

        void ended();
    }

    /** One acknowledged allocation: what the client was told. */
    public record Acknowledged(String participantId, String arm, String idempotencyKey, int attempts) {}

    /** The outcome of a run, before the database is checked. */
    /** {@code acknowledged}: in the timed round; {@code warmedUp}: in the warm-up before it (in the database too). */
    public record Result(int clients, int planned, long elapsedNanos, long[] latencyNanos, List<Acknowledged> acknowledged,
            List<Acknowledged> warmedUp, List<String> failures, List<String> notRandomised, long retriedConnection, long retried5xx, long retriedTimeout,
            long preparationNanos, Map<String, long[]> stepLatencyNanos) {
        /** Every allocation the clients were told of, warm-up included: what the database must hold. */
        public List<Acknowledged> allAcknowledged() {
            List<Acknowledged> all = new ArrayList<>(warmedUp);
            all.addAll(acknowledged);
            return all;
        }

        public double throughputPerSecond() {
            return acknowledged.size() / (elapsedNanos / 1e9);
        }

        /** The latency (ms) at quantile q, from first attempt to definitive answer. */
        public double percentileMillis(double q) {
            return percentileMillis(latencyNanos, q);
        }

        /** The latency (ms) at quantile q of a preparation step (create, screening, ...), all clients at once. */
        public double stepPercentileMillis(String step, double q) {
            return percentileMillis(stepLatencyNanos.getOrDefault(step, new long[0]), q);
        }

        static double percentileMillis(long[] latencies, double q) {
            if (latencies.length == 0) {
                return Double.NaN;
            }
            long[] sorted = latencies.clone();
            Arrays.sort(sorted);
            int index = (int) Math.ceil(q * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
        }

        public double maxMillis() {
            return Arrays.stream(latencyNanos).max().orElse(0) / 1e6;
        }
    }

    private final RoundRobinClient client;

    public LoadRun(RoundRobinClient client) {
        this.client = client;
    }

    public Result run(Plan plan) throws InterruptedException {
        Map<String, String> tokens = new ConcurrentHashMap<>();
        Cluster.SPECIALISTS.forEach((site, user) -> tokens.put(site, client.login(user, Cluster.PASSWORD)));
        long runPrefix = new Random(plan.seed()).nextInt(300);
        ExecutorService pool = Executors.newFixedThreadPool(plan.clients());
        try {
            // Preparation: every client readies its share of recruits (not timed), the warm-up's first.
            long preparing = System.nanoTime();
            Map<String, ConcurrentLinkedQueue<Long>> stepTimes = new java.util.LinkedHashMap<>();
            for (String step : PREPARATION_STEPS) {
                stepTimes.put(step, new ConcurrentLinkedQueue<>());
            }
            List<Future<List<String>>> prepared = new ArrayList<>();
            AtomicInteger personNumber = new AtomicInteger();
            for (int c = 0; c < plan.clients(); c++) {
                int share = share(plan.randomisations(), plan.clients(), c) + share(plan.warmUp(), plan.clients(), c);
                Random random = new Random(plan.seed() * 1000 + c);
                prepared.add(pool.submit(() -> prepare(share, random, runPrefix, personNumber, tokens, stepTimes)));
            }
            List<List<String>> warmUpByClient = new ArrayList<>();
            List<List<String>> recruitsByClient = new ArrayList<>();
            for (int c = 0; c < plan.clients(); c++) {
                List<String> recruits = get(prepared.get(c));
                int warm = share(plan.warmUp(), plan.clients(), c);
                warmUpByClient.add(recruits.subList(0, warm));
                recruitsByClient.add(recruits.subList(warm, recruits.size()));
            }
            long preparationNanos = System.nanoTime() - preparing;

            // Warm-up (not timed, no fault): the service's JIT compiles the randomise path, as in a
            // service that has been running for a while.
            Round warmUp = new Round(plan.randomisations() + plan.warmUp(), Long.MAX_VALUE, plan.faultAfter(), null);
            warmUp.run(pool, warmUpByClient, tokens);

            // Randomisation: all clients start together, bounded by the time limit.
            Round timed = new Round(plan.randomisations(), System.nanoTime() + plan.timeLimit().toNanos(), plan.faultAfter(), plan.fault());
            plan.phase().started();
            long began = System.nanoTime();
            timed.run(pool, recruitsByClient, tokens);
            long elapsed = System.nanoTime() - began;
            plan.phase().ended();
            if (timed.faultThread[0] != null) {
                timed.faultThread[0].join();
            }
            List<String> failures = new ArrayList<>(warmUp.failures);
            failures.addAll(timed.failures);
            return new Result(plan.clients(), plan.randomisations(), elapsed, Arrays.copyOf(timed.latencies, timed.latencyCount.get()),
                    List.copyOf(timed.acknowledged), List.copyOf(warmUp.acknowledged), List.copyOf(failures), List.copyOf(timed.notRandomised),
                    client.retriedConnection.sum(), client.retried5xx.sum(), client.retriedTimeout.sum(), preparationNanos,
                    stepLatencies(stepTimes));
        } finally {
            pool.shutdownNow();
        }
    }

    private static int share(int total, int clients, int client) {
        return total / clients + (client < total % clients ? 1 : 0);
    }

    /** One round of randomisations: every client randomises its recruits one after another, all starting together. */
    private final class Round {
        final ConcurrentLinkedQueue<Acknowledged> acknowledged = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> notRandomised = new ConcurrentLinkedQueue<>();
        final long[] latencies;
        final AtomicInteger latencyCount = new AtomicInteger();
        final Thread[] faultThread = new Thread[1];
        private final long deadline;
        private final int faultAfter;
        private final Runnable fault;
        private final AtomicBoolean faultFired = new AtomicBoolean();
        private final AtomicInteger acknowledgedCount = new AtomicInteger();

        Round(int capacity, long deadline, int faultAfter, Runnable fault) {
            this.latencies = new long[capacity];
            this.deadline = deadline;
            this.faultAfter = faultAfter;
            this.fault = fault;
        }

        void run(ExecutorService pool, List<List<String>> recruitsByClient, Map<String, String> tokens) throws InterruptedException {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> running = new ArrayList<>();
            for (List<String> recruits : recruitsByClient) {
                running.add(pool.submit(() -> {
                    start.await();
                    recruits.forEach(pid -> randomise(pid, tokens));
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : running) {
                get(f);
            }
        }

        private void randomise(String pid, Map<String, String> tokens) {
            if (System.nanoTime() > deadline) {
                notRandomised.add(pid);
                return;
            }
            String key = UUID.randomUUID().toString();
            long began = System.nanoTime();
            try {
                RoundRobinClient.Answer a = client.send("POST", "/randomisations", tokens.get(siteOf(pid)),
                        Map.of("participantId", pidOf(pid)), Map.of("Idempotency-Key", key), Duration.ofSeconds(90));
                long took = System.nanoTime() - began;
                if (a.status() == 200) {
                    latencies[latencyCount.getAndIncrement()] = took;
                    acknowledged.add(new Acknowledged(pidOf(pid), a.body().path("arm").asText(), key, a.attempts()));
                    if (acknowledgedCount.incrementAndGet() == faultAfter && fault != null && faultFired.compareAndSet(false, true)) {
                        faultThread[0] = new Thread(fault, "fault");
                        faultThread[0].start();
                    }
                } else {
                    failures.add(pidOf(pid) + ": " + a);
                }
            } catch (RoundRobinClient.GaveUp e) {
                failures.add(pidOf(pid) + ": gave up: " + e.getMessage());
            }
        }
    }

    /** The preparation steps, timed one by one while every client prepares at once. */
    public static final List<String> PREPARATION_STEPS = List.of("create", "screening", "agreement", "identity", "baseline");

    /** Readies recruits through the API: create, screen, agree, identify, baseline. Returns "site:pid" entries. */
    private List<String> prepare(int count, Random random, long runPrefix, AtomicInteger personNumber, Map<String, String> tokens,
            Map<String, ConcurrentLinkedQueue<Long>> stepTimes) {
        List<String> ready = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            MadeUpPeople.Placement place = MadeUpPeople.PLACEMENTS.get(random.nextInt(MadeUpPeople.PLACEMENTS.size()));
            String token = tokens.get(place.site());
            RoundRobinClient.Answer created = timed(stepTimes, "create", 201, "POST", "/recruits", token,
                    Map.of("site", place.site(), "area", place.area()));
            String pid = created.body().get("participantId").asText();
            String at = "/recruits/" + pid;
            timed(stepTimes, "screening", 200, "POST", at + "/screening", token,
                    Map.of("trialGroup", place.trialGroup(), "answers", MadeUpPeople.eligibleAnswers(place.trialGroup())));
            timed(stepTimes, "agreement", 200, "POST", at + "/agreement", token,
                    Map.of("formVersion", "agree-3", "answers", MadeUpPeople.agreeAll()));
            timed(stepTimes, "identity", 200, "PUT", at + "/identity", token,
                    MadeUpPeople.identity(runPrefix, personNumber.getAndIncrement(), random));
            timed(stepTimes, "baseline", 200, "PUT", at + "/baseline", token, Map.of("answers", MadeUpPeople.baseline(random)));
            ready.add(place.site() + ":" + pid);
        }
        return ready;
    }

    private RoundRobinClient.Answer timed(Map<String, ConcurrentLinkedQueue<Long>> stepTimes, String step, int status, String method,
            String path, String token, Object body) {
        long began = System.nanoTime();
        RoundRobinClient.Answer answer = expect(status, client.send(method, path, token, body, Map.of(), Duration.ofSeconds(60)));
        stepTimes.get(step).add(System.nanoTime() - began);
        return answer;
    }

    private static Map<String, long[]> stepLatencies(Map<String, ConcurrentLinkedQueue<Long>> stepTimes) {
        Map<String, long[]> latencies = new java.util.LinkedHashMap<>();
        stepTimes.forEach((step, times) -> latencies.put(step, times.stream().mapToLong(Long::longValue).toArray()));
        return latencies;
    }

    private static String siteOf(String entry) {
        return entry.substring(0, entry.indexOf(':'));
    }

    private static String pidOf(String entry) {
        return entry.substring(entry.indexOf(':') + 1);
    }

    private static RoundRobinClient.Answer expect(int status, RoundRobinClient.Answer answer) {
        if (answer.status() != status) {
            throw new IllegalStateException("preparing a recruit: expected " + status + ", got " + answer);
        }
        return answer;
    }

    private static <T> T get(Future<T> future) throws InterruptedException {
        try {
            return future.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("a virtual client failed: " + e.getCause(), e.getCause());
        }
    }
}
