package org.ipstrial.api.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The load balancer, kept in the client: each request goes to the next instance in turn, and a
 * request that fails for a reason worth retrying (connection refused or reset, 502/503/504, time-out)
 * is sent again, identical (same body, same Idempotency-Key), to the next instance, with a short
 * growing pause, until it gets a definitive answer or its deadline passes. This is what a
 * specialist's browser behind a real balancer (health-checked pool, retry on another upstream)
 * amounts to; the service is correct under it because a randomisation is idempotent by key.
 */
public final class RoundRobinClient {
    public static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> bases;
    private final HttpClient http;
    private final AtomicInteger next = new AtomicInteger();
    private final Duration requestTimeout;
    /** Attempts that failed and were retried, by kind, for the report. */
    public final LongAdder retriedConnection = new LongAdder();
    public final LongAdder retried5xx = new LongAdder();
    public final LongAdder retriedTimeout = new LongAdder();

    public RoundRobinClient(List<String> bases, Duration requestTimeout) {
        if (bases.isEmpty()) {
            throw new IllegalArgumentException("no instance to send to");
        }
        this.bases = List.copyOf(bases);
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    }

    /** A definitive answer: a status below 500 (or 500 itself, which is a bug and never retried). */
    public record Answer(int status, JsonNode body, String text, int attempts) {
        public String code() {
            return body.path("code").asText();
        }

        @Override
        public String toString() {
            return status + " " + (text.length() > 300 ? text.substring(0, 300) + "..." : text);
        }
    }

    /** No definitive answer before the deadline. */
    public static final class GaveUp extends RuntimeException {
        private static final long serialVersionUID = 1L;

        GaveUp(String message) {
            super(message);
        }
    }

    /** Sends until a definitive answer, retrying the identical request on another instance. */
    public Answer send(String method, String path, String token, Object body, Map<String, String> headers, Duration deadline) {
        String text = toJson(body);
        Instant giveUp = Instant.now().plus(deadline);
        int attempt = 0;
        String lastProblem = "none";
        while (true) {
            attempt++;
            String base = bases.get(Math.floorMod(next.getAndIncrement(), bases.size()));
            try {
                HttpResponse<String> response = http.send(request(base + path, method, token, text, headers), HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status != 502 && status != 503 && status != 504) {
                    return new Answer(status, parse(response.body()), response.body(), attempt);
                }
                retried5xx.increment();
                lastProblem = status + " from " + base;
            } catch (java.net.http.HttpTimeoutException e) {
                retriedTimeout.increment();
                lastProblem = "time-out from " + base;
            } catch (IOException e) {
                // Connection refused (instance down) or reset (instance died mid-request): the
                // request may or may not have been applied; the same key makes resending safe.
                retriedConnection.increment();
                lastProblem = e.getClass().getSimpleName() + " from " + base;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GaveUp("interrupted");
            }
            if (Instant.now().isAfter(giveUp)) {
                throw new GaveUp("no definitive answer after " + attempt + " attempts; last: " + lastProblem);
            }
            // Failing over to another instance at once costs nothing; after a full round, back off.
            if (attempt % bases.size() == 0) {
                long pause = Math.min(1000, 25L << Math.min(5, attempt / bases.size()));
                ServiceInstance.pause(Duration.ofMillis(pause / 2 + ThreadLocalRandom.current().nextLong(pause / 2 + 1)));
            }
        }
    }

    private HttpRequest request(String uri, String method, String token, String body, Map<String, String> headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(uri)).timeout(requestTimeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            builder.header("Content-Type", "application/json");
        }
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        headers.forEach(builder::header);
        return builder.build();
    }

    /** Logs in (through any instance) and returns the session token. */
    public String login(String username, String password) {
        Answer a = send("POST", "/session", null, Map.of("username", username, "password", password), Map.of(), Duration.ofSeconds(60));
        if (a.status() != 200) {
            throw new IllegalStateException("login of " + username + " failed: " + a);
        }
        return a.body().get("token").asText();
    }

    static String toJson(Object body) {
        if (body == null || body instanceof String) {
            return (String) body;
        }
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static JsonNode parse(String text) {
        if (text == null || text.isEmpty()) {
            return NullNode.getInstance();
        }
        try {
            return JSON.readTree(text);
        } catch (IOException notJson) {
            return NullNode.getInstance();
        }
    }
}
