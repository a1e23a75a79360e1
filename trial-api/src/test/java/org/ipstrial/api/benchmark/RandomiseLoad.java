package org.ipstrial.api.benchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.ipstrial.api.TrialConfiguration;
import org.ipstrial.api.api.RecruitRequests;
import org.ipstrial.api.auth.TrialUser;
import org.ipstrial.api.core.recruitment.RecruitmentService;
import org.ipstrial.api.support.ApiClient;
import org.ipstrial.api.support.Recruits;
import org.ipstrial.api.support.TestService;

/**
 * Load generator for {@code POST /api/v1/randomisations}: starts the service on loopback with its
 * embedded PostgreSQL (durable settings: fsync and synchronous commit on), prepares ready recruits
 * in-process, then has N concurrent clients randomise them over HTTP and prints the latency
 * distribution. Not a test: run it with {@code scripts/randomise-benchmark}.
 *
 * <p>Arguments: {@code [clients] [measured requests] [warm-up requests]}, default 16 2000 200.
 */
public final class RandomiseLoad {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RandomiseLoad() {}

    record Ready(String participantId, String specialist) {}

    public static void main(String[] args) throws Exception {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        int measured = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int warmUp = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        DropwizardAppExtension<TrialConfiguration> app = TestService.extension(TestService.newFolder("benchmark"));
        app.before();
        try {
            TestService.createUsers(app);
            List<Ready> ready = prepare(app, measured + warmUp, new Random(20261123L));
            run(app, ready, clients, warmUp);
        } finally {
            app.after();
        }
    }

    static List<Ready> prepare(DropwizardAppExtension<TrialConfiguration> app, int count, Random random) throws Exception {
        long began = System.nanoTime();
        RecruitmentService recruitment = new RecruitmentService(TestService.bulkPreparationJdbi(app), TestService.trial(app));
        Map<String, TrialUser> specialists = Map.of("A", TestService.user(app, "spec-a"), "B", TestService.user(app, "spec-b"));
        String[][] groups = {{"A", "A-north", "A-OOW"}, {"A", "A-south", "A-IW"}, {"B", "B-west", "B-OOW"}};
        List<Object[]> plans = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            plans.add(new Object[] {groups[i % 3], JSON.convertValue(Recruits.identity(random), RecruitRequests.Identity.class),
                    Recruits.baseline(random)});
        }
        ExecutorService workers = Executors.newFixedThreadPool(8);
        try {
            List<Future<Ready>> futures = new ArrayList<>();
            for (Object[] plan : plans) {
                futures.add(workers.submit(() -> {
                    String[] g = (String[]) plan[0];
                    TrialUser specialist = specialists.get(g[0]);
                    String pid = recruitment.create(specialist, new RecruitRequests.NewRecruit(g[0], g[1])).participantId();
                    recruitment.screen(specialist, pid, new RecruitRequests.Screening(g[2], Recruits.eligibleAnswers(g[2])));
                    recruitment.agree(specialist, pid, new RecruitRequests.Agreement("agree-3", Recruits.agreeAll()));
                    recruitment.recordIdentity(specialist, pid, (RecruitRequests.Identity) plan[1]);
                    @SuppressWarnings("unchecked")
                    Map<String, Object> baseline = (Map<String, Object>) plan[2];
                    recruitment.recordBaseline(specialist, pid, new RecruitRequests.Baseline(baseline));
                    return new Ready(pid, specialist.username());
                }));
            }
            List<Ready> ready = new ArrayList<>();
            for (Future<Ready> f : futures) {
                ready.add(f.get());
            }
            System.out.printf("prepared %d ready recruits in %.0f s%n", ready.size(), (System.nanoTime() - began) / 1e9);
            Collections.shuffle(ready, random);
            return ready;
        } finally {
            workers.shutdown();
        }
    }

    static void run(DropwizardAppExtension<TrialConfiguration> app, List<Ready> ready, int clients, int warmUp) throws Exception {
        ConcurrentLinkedQueue<Ready> queue = new ConcurrentLinkedQueue<>(ready);
        AtomicInteger taken = new AtomicInteger();
        long[] latencies = new long[ready.size()];
        AtomicInteger recorded = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        long[] measuredWindow = {Long.MAX_VALUE, 0};
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            running.add(pool.submit(() -> {
                ApiClient api = TestService.client(app);
                Map<String, String> tokens = Map.of("spec-a", api.token("spec-a"), "spec-b", api.token("spec-b"));
                start.await();
                for (Ready r; (r = queue.poll()) != null; ) {
                    boolean warm = taken.getAndIncrement() >= warmUp;
                    long t0 = System.nanoTime();
                    var answer = api.send("POST", "/randomisations", tokens.get(r.specialist()), Map.of("participantId", r.participantId()),
                            Map.of("Idempotency-Key", "bench-" + r.participantId()));
                    long t1 = System.nanoTime();
                    if (answer.status() != 200) {
                        failures.incrementAndGet();
                        System.err.println("not 200: " + answer.status() + " " + answer.code());
                        continue;
                    }
                    if (warm) {
                        latencies[recorded.getAndIncrement()] = t1 - t0;
                        synchronized (measuredWindow) {
                            measuredWindow[0] = Math.min(measuredWindow[0], t0);
                            measuredWindow[1] = Math.max(measuredWindow[1], t1);
                        }
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : running) {
            f.get();
        }
        pool.shutdown();
        long[] sorted = Arrays.copyOf(latencies, recorded.get());
        Arrays.sort(sorted);
        double seconds = (measuredWindow[1] - measuredWindow[0]) / 1e9;
        System.out.printf("POST /api/v1/randomisations, %d concurrent clients, %d measured after %d warm-up, %d failures%n",
                clients, sorted.length, warmUp, failures.get());
        System.out.printf("latency ms: median %.1f  p90 %.1f  p99 %.1f  max %.1f   throughput %.0f randomisations/s%n",
                ms(sorted, 0.50), ms(sorted, 0.90), ms(sorted, 0.99), sorted[sorted.length - 1] / 1e6, sorted.length / seconds);
        System.out.printf("machine: %d cores, load average %s", Runtime.getRuntime().availableProcessors(),
                Files.readString(Path.of("/proc/loadavg")));
    }

    /** The nearest-rank percentile, in milliseconds. */
    static double ms(long[] sorted, double quantile) {
        int rank = (int) Math.ceil(quantile * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }
}
