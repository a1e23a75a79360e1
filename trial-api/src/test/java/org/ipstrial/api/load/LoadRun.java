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
            Phase phase) {
        public Plan(int clients, int randomisations, Duration timeLimit, long seed, int faultAfter, Runnable fault) {
            this(clients, randomisations, timeLimit, seed, faultAfter, fault, Phase.NONE);
        }

        public Plan {
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
    public record Result(int clients, int planned, long elapsedNanos, long[] latencyNanos, List<Acknowledged> acknowledged,
            List<String> failures, List<String> notRandomised, long retriedConnection, long retried5xx, long retriedTimeout,
            long preparationNanos, Map<String, long[]> stepLatencyNanos) {
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
            // Preparation: every client readies its share of recruits (not timed).
            long preparing = System.nanoTime();
            Map<String, ConcurrentLinkedQueue<Long>> stepTimes = new java.util.LinkedHashMap<>();
            for (String step : PREPARATION_STEPS) {
                stepTimes.put(step, new ConcurrentLinkedQueue<>());
            }
            List<Future<List<String>>> prepared = new ArrayList<>();
            AtomicInteger personNumber = new AtomicInteger();
            for (int c = 0; c < plan.clients(); c++) {
                int share = plan.randomisations() / plan.clients() + (c < plan.randomisations() % plan.clients() ? 1 : 0);
                Random random = new Random(plan.seed() * 1000 + c);
                prepared.add(pool.submit(() -> prepare(share, random, runPrefix, personNumber, tokens, stepTimes)));
            }
            List<List<String>> recruitsByClient = new ArrayList<>();
            for (Future<List<String>> f : prepared) {
                recruitsByClient.add(get(f));
            }
            long preparationNanos = System.nanoTime() - preparing;

            // Randomisation: all clients start together, bounded by the time limit.
            ConcurrentLinkedQueue<Acknowledged> acknowledged = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<String> notRandomised = new ConcurrentLinkedQueue<>();
            long[] latencies = new long[plan.randomisations()];
            AtomicInteger latencyCount = new AtomicInteger();
            AtomicBoolean faultFired = new AtomicBoolean();
            AtomicInteger acknowledgedCount = new AtomicInteger();
            CountDownLatch start = new CountDownLatch(1);
            long deadline = System.nanoTime() + plan.timeLimit().toNanos();
            List<Future<?>> running = new ArrayList<>();
            Thread[] faultThread = new Thread[1];
            for (List<String> recruits : recruitsByClient) {
                running.add(pool.submit(() -> {
                    start.await();
                    for (String pid : recruits) {
                        if (System.nanoTime() > deadline) {
                            notRandomised.add(pid);
                            continue;
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
                                if (acknowledgedCount.incrementAndGet() == plan.faultAfter() && plan.fault() != null
                                        && faultFired.compareAndSet(false, true)) {
                                    faultThread[0] = new Thread(plan.fault(), "fault");
                                    faultThread[0].start();
                                }
                            } else {
                                failures.add(pidOf(pid) + ": " + a);
                            }
                        } catch (RoundRobinClient.GaveUp e) {
                            failures.add(pidOf(pid) + ": gave up: " + e.getMessage());
                        }
                    }
                    return null;
                }));
            }
            plan.phase().started();
            long began = System.nanoTime();
            start.countDown();
            for (Future<?> f : running) {
                get(f);
            }
            long elapsed = System.nanoTime() - began;
            plan.phase().ended();
            if (faultThread[0] != null) {
                faultThread[0].join();
            }
            return new Result(plan.clients(), plan.randomisations(), elapsed, Arrays.copyOf(latencies, latencyCount.get()),
                    List.copyOf(acknowledged), List.copyOf(failures), List.copyOf(notRandomised),
                    client.retriedConnection.sum(), client.retried5xx.sum(), client.retriedTimeout.sum(), preparationNanos,
                    stepLatencies(stepTimes));
        } finally {
            pool.shutdownNow();
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
