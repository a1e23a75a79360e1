package org.ipstrial.api.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A small JSON client over the JDK's HTTP client, for tests that use the API as a program would. */
public final class ApiClient {
    public static final ObjectMapper JSON = new ObjectMapper();
    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private volatile java.util.function.Consumer<Exchange> listener = exchange -> {};

    /** One request as sent (path relative to the API root, query included) and the status it got. */
    public record Exchange(String method, String path, Map<String, String> headers, String contentType, String body, int status) {}

    /** Every request this client sends from now on is also given to the listener, with its answer's status. */
    public void onEachExchange(java.util.function.Consumer<Exchange> listener) {
        this.listener = listener;
    }

    public ApiClient(String base) {
        this.base = base;
    }

    public record Answer(int status, JsonNode body, String text, HttpResponse<String> raw) {
        public String code() {
            return body.path("code").asText();
        }

        @Override
        public String toString() {
            return status + " " + text;
        }
    }

    /** A session token for a test user, logging in the first time. */
    public String token(String username) {
        return tokens.computeIfAbsent(username, u -> {
            Answer a = send("POST", "/session", null, Map.of("username", u, "password", TestService.PASSWORD), Map.of());
            if (a.status() != 200) {
                throw new IllegalStateException("login of " + u + " failed: " + a);
            }
            return a.body().get("token").asText();
        });
    }

    /** Forgets a test user's session token (after a test ended that user's sessions): the next call logs in again. */
    public void forget(String username) {
        tokens.remove(username);
    }

    public Answer get(String user, String path) {
        return send("GET", path, user == null ? null : token(user), null, Map.of());
    }

    public Answer post(String user, String path, Object body) {
        return send("POST", path, user == null ? null : token(user), body, Map.of());
    }

    public Answer put(String user, String path, Object body) {
        return send("PUT", path, user == null ? null : token(user), body, Map.of());
    }

    public Answer send(String method, String path, String token, Object body, Map<String, String> headers) {
        try {
            String text = body == null ? null : body instanceof String s ? s : JSON.writeValueAsString(body);
            return sendRaw(method, path, token, text, "application/json", headers);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The server closes a connection after refusing a request whose body it did not read (401,
     * 413...); the client may already have picked that pooled connection for the next request,
     * which then fails before a single byte of answer arrives. Only then is the request sent
     * again, once: the server never answered it.
     */
    private HttpResponse<String> sendOnLiveConnection(HttpRequest request) throws IOException, InterruptedException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            if (e.getMessage() == null || !e.getMessage().contains("received no bytes")) {
                throw e;
            }
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }

    public Answer sendRaw(String method, String path, String token, String body, String contentType, Map<String, String> headers) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (body != null && contentType != null) {
                request.header("Content-Type", contentType);
            }
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            headers.forEach(request::header);
            HttpResponse<String> response = sendOnLiveConnection(request.build());
            Map<String, String> sent = new java.util.TreeMap<>(headers);
            if (token != null) {
                sent.put("Authorization", "Bearer " + token);
            }
            listener.accept(new Exchange(method, path, Map.copyOf(sent), body == null ? null : contentType, body, response.statusCode()));
            JsonNode json;
            try {
                json = response.body().isEmpty() ? NullNode.getInstance() : JSON.readTree(response.body());
            } catch (IOException notJson) {
                json = NullNode.getInstance();
            }
            return new Answer(response.statusCode(), json, response.body(), response);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
