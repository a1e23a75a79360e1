package org.ipstrial.api.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Seeded mutations of valid requests, per endpoint: malformed JSON, wrong types, missing and
 * unknown fields, unknown codes, injection strings, invalid identifiers, oversized bodies, a wrong
 * content type. Every mutation is invalid by construction, so every answer must be a 4xx (a 2xx
 * means the service accepted bad input; a 5xx is a bug), and the row count of every table must be
 * the same after an endpoint's mutations as before. Each request names its seed for replay.
 */
public final class ApiFuzzer {
    /** How a field may be broken. */
    enum Kind {
        /** A code from a closed list: any other string is invalid. */
        CODE,
        /** An identifier, date or address with a format: injection strings and junk are invalid. */
        FORMATTED,
        /** Free text: any string may be valid, so only wrong types and absence break it. */
        TEXT,
        /** A map of question or statement to true/false. */
        BOOLEAN_MAP,
        /** Baseline answers: item to code, list of codes or number. */
        ANSWER_MAP,
        /** A map of field name to text (corrections). */
        TEXT_MAP,
        BOOLEAN
    }

    record Field(String name, Kind kind, boolean required) {}

    /** An endpoint: method, path (may name the target participant), fields, a valid body, who calls it. */
    record Endpoint(String name, String method, String path, String user, List<Field> fields, Supplier<Map<String, Object>> validBody,
            Map<String, String> headers, boolean searchMayFind) {}

    /** The outcome: problems (empty when every answer was a refusing 4xx and nothing changed) and counts by status. */
    public record Report(long seed, int perEndpoint, Map<String, Map<Integer, Integer>> statusesByEndpoint, List<String> problems,
            long staleConnectionResends) {
        public boolean passed() {
            return problems.isEmpty();
        }
    }

    static final List<String> INJECTIONS = List.of("' OR '1'='1", "'; DROP TABLE allocation; --", "\" OR 1=1 --",
            "1; SELECT pg_sleep(5)", "<script>alert(1)</script>", "${jndi:ldap://127.0.0.1/a}", "../../../../etc/passwd",
            "%00", "\u0000", "A\u0000B", "\uD83D\uDE00", "\\u0000", "{{7*7}}", "$(reboot)", "`id`", "NaN", "-1", "1e309",
            "\u202E", " ", "", "null", "true", "0x41", "A".repeat(5000));
    static final List<String> UNKNOWN_CODES = List.of("Z", "a", "A-OOW ", "a-oow", "A/A-OOW", "B-IW", "agree-99", "elig-0",
            "withdrawn", "DECEASED", "superuser", "root", "north", "A-nowhere", "treatment", "*", "%", "_");

    private final Cluster cluster;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    final ConcurrentLinkedQueue<String> ioFailures = new ConcurrentLinkedQueue<>();
    final java.util.concurrent.atomic.LongAdder staleConnectionResends = new java.util.concurrent.atomic.LongAdder();

    public ApiFuzzer(Cluster cluster) {
        this.cluster = cluster;
        this.base = cluster.apiBases().get(0);
    }

    public Report run(long seed, int perEndpoint, int threads, PrintStream out) throws Exception {
        RoundRobinClient client = new RoundRobinClient(List.of(base), Duration.ofSeconds(30));
        Map<String, String> tokens = Map.of("spec", client.login(Cluster.SPECIALISTS.get("A"), Cluster.PASSWORD),
                "manager", client.login("load-manager", Cluster.PASSWORD), "admin", client.login("load-admin", Cluster.PASSWORD));
        Random setup = new Random(seed);
        // Targets on which a VALID request would succeed, so that an accepted mutation shows as 2xx.
        String fresh = created(client, tokens.get("spec"));
        String ready = ready(client, tokens.get("spec"), setup, 3_999_000);
        String randomised = ready(client, tokens.get("spec"), setup, 3_999_001);
        var allocated = client.send("POST", "/randomisations", tokens.get("spec"), Map.of("participantId", randomised),
                Map.of("Idempotency-Key", "fuzz-setup-" + seed), Duration.ofSeconds(30));
        if (allocated.status() != 200) {
            throw new IllegalStateException("fuzz setup: randomisation failed: " + allocated);
        }
        List<Endpoint> endpoints = endpoints(fresh, ready, randomised, setup);
        Map<String, Map<Integer, Integer>> statuses = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int e = 0; e < endpoints.size(); e++) {
                Endpoint endpoint = endpoints.get(e);
                Map<String, Long> before = rowCounts();
                ConcurrentLinkedQueue<int[]> seen = new ConcurrentLinkedQueue<>();
                ConcurrentLinkedQueue<String> found = new ConcurrentLinkedQueue<>();
                List<Future<?>> work = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    int endpointIndex = e;
                    work.add(pool.submit(() -> {
                        for (int i = thread; i < perEndpoint; i += threads) {
                            long mutationSeed = seed * 1_000_003L + endpointIndex * 100_003L + i;
                            Mutation m = mutate(endpoint, new Random(mutationSeed), tokens);
                            int status = send(m);
                            seen.add(new int[] {status});
                            boolean refused = status >= 400 && status < 500;
                            boolean allowed = refused || (endpoint.searchMayFind() && status == 200);
                            if (!allowed) {
                                found.add(endpoint.name() + " answered " + status + " to " + m.description()
                                        + " (mutation seed " + mutationSeed + ")");
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : work) {
                    f.get();
                }
                Map<String, Long> after = rowCounts();
                if (!after.equals(before)) {
                    Map<String, String> diff = new TreeMap<>();
                    after.forEach((table, n) -> {
                        if (!n.equals(before.get(table))) {
                            diff.put(table, before.get(table) + " -> " + n);
                        }
                    });
                    problems.add(endpoint.name() + ": table rows changed: " + diff);
                }
                Map<Integer, Integer> counts = new TreeMap<>();
                seen.forEach(s -> counts.merge(s[0], 1, Integer::sum));
                statuses.put(endpoint.name(), counts);
                found.stream().limit(10).forEach(problems::add);
                if (found.size() > 10) {
                    problems.add(endpoint.name() + ": and " + (found.size() - 10) + " more");
                }
                out.printf("%-44s %5d mutations  statuses %s%n", endpoint.name(), perEndpoint, counts);
            }
        } finally {
            pool.shutdownNow();
        }
        for (ServiceInstance instance : cluster.instances()) {
            if (instance.alive() && !instance.healthyNow()) {
                problems.add(instance.name() + " is not healthy after fuzzing");
            }
        }
        ioFailures.stream().limit(5).forEach(f -> problems.add("no answer (I/O): " + f));
        var forms = client.send("GET", "/forms", tokens.get("spec"), null, Map.of(), Duration.ofSeconds(30));
        if (forms.status() != 200) {
            problems.add("after fuzzing, GET /forms answers " + forms.status());
        }
        return new Report(seed, perEndpoint, statuses, List.copyOf(problems), staleConnectionResends.sum());
    }

    private List<Endpoint> endpoints(String fresh, String ready, String randomised, Random setup) {
        String today = LocalDate.now().toString();
        Map<String, Object> identity = MadeUpPeople.identity(7, 3_999_500, setup);
        Map<String, Object> baseline = MadeUpPeople.baseline(setup);
        List<Endpoint> list = new ArrayList<>();
        list.add(new Endpoint("POST /session", "POST", "/session", null,
                // No such user, so any junk username (NUL characters included) must be refused.
                List.of(new Field("username", Kind.FORMATTED, true), new Field("password", Kind.TEXT, true)),
                () -> map("username", "nobody-here", "password", "not the password"), Map.of(), false));
        list.add(new Endpoint("POST /recruits", "POST", "/recruits", "spec",
                List.of(new Field("site", Kind.CODE, true), new Field("area", Kind.CODE, true)),
                () -> map("site", "A", "area", "A-north"), Map.of(), false));
        list.add(new Endpoint("POST /recruits/{pid}/screening", "POST", "/recruits/" + fresh + "/screening", "spec",
                List.of(new Field("trialGroup", Kind.CODE, true), new Field("answers", Kind.BOOLEAN_MAP, true)),
                () -> map("trialGroup", "A-OOW", "answers", MadeUpPeople.eligibleAnswers("A-OOW")), Map.of(), false));
        list.add(new Endpoint("POST /recruits/{pid}/agreement", "POST", "/recruits/" + fresh + "/agreement", "spec",
                List.of(new Field("formVersion", Kind.CODE, true), new Field("answers", Kind.BOOLEAN_MAP, true)),
                () -> map("formVersion", "agree-3", "answers", MadeUpPeople.agreeAll()), Map.of(), false));
        list.add(new Endpoint("PUT /recruits/{pid}/identity", "PUT", "/recruits/" + fresh + "/identity", "spec",
                List.of(new Field("nationalInsuranceNumber", Kind.FORMATTED, false), new Field("nhsNumber", Kind.FORMATTED, false),
                        new Field("givenName", Kind.TEXT, true), new Field("familyName", Kind.TEXT, true),
                        new Field("dateOfBirth", Kind.FORMATTED, true), new Field("sex", Kind.CODE, true),
                        new Field("postcode", Kind.FORMATTED, true), new Field("phone", Kind.FORMATTED, false),
                        new Field("email", Kind.FORMATTED, false), new Field("address", Kind.TEXT, false),
                        new Field("language", Kind.TEXT, false), new Field("surveyMode", Kind.CODE, true)),
                () -> new LinkedHashMap<>(identity), Map.of(), false));
        list.add(new Endpoint("PUT /recruits/{pid}/baseline", "PUT", "/recruits/" + fresh + "/baseline", "spec",
                List.of(new Field("answers", Kind.ANSWER_MAP, true)), () -> map("answers", new TreeMap<>(baseline)), Map.of(), false));
        list.add(new Endpoint("POST /randomisations", "POST", "/randomisations", "spec",
                List.of(new Field("participantId", Kind.FORMATTED, true)), () -> map("participantId", ready),
                Map.of("Idempotency-Key", "fuzz-valid-key"), false));
        list.add(new Endpoint("POST /recruits/{pid}/status", "POST", "/recruits/" + randomised + "/status", "manager",
                List.of(new Field("kind", Kind.CODE, true), new Field("effectiveDate", Kind.FORMATTED, true), new Field("reason", Kind.TEXT, false)),
                () -> map("kind", "withdrawn_service", "effectiveDate", today, "reason", "moved away"), Map.of(), false));
        list.add(new Endpoint("POST /recruits/{pid}/flags", "POST", "/recruits/" + randomised + "/flags", "manager",
                List.of(new Field("kind", Kind.CODE, true), new Field("note", Kind.TEXT, false)),
                () -> map("kind", "found_ineligible", "note", "age misread"), Map.of(), false));
        list.add(new Endpoint("POST /recruits/{pid}/corrections", "POST", "/recruits/" + randomised + "/corrections", "manager",
                List.of(new Field("fields", Kind.TEXT_MAP, true), new Field("reason", Kind.TEXT, false)),
                () -> map("fields", map("givenName", "Corrected"), "reason", "typo"), Map.of(), false));
        list.add(new Endpoint("POST /recruits/{pid}/erasure", "POST", "/recruits/" + randomised + "/erasure", "manager",
                List.of(new Field("requestedOn", Kind.FORMATTED, true), new Field("ground", Kind.CODE, true),
                        new Field("confirmed", Kind.BOOLEAN, true)),
                () -> map("requestedOn", today, "ground", "participant_request", "confirmed", true), Map.of(), false));
        list.add(new Endpoint("POST /users", "POST", "/users", "admin",
                List.of(new Field("username", Kind.FORMATTED, true), new Field("role", Kind.CODE, true),
                        new Field("site", Kind.CODE, false)),
                () -> map("username", "fuzz-new-user", "role", "specialist", "site", "A"),
                Map.of(), false));
        list.add(new Endpoint("GET /recruits/{pid}", "GET", "/recruits/" + ready, "spec", List.of(), () -> null, Map.of(), false));
        list.add(new Endpoint("GET /recruits?q=", "GET", "/recruits", "spec", List.of(), () -> null, Map.of(), true));
        return list;
    }

    record Mutation(String method, String path, String token, byte[] body, boolean chunked, String contentType,
            Map<String, String> headers, String description) {}

    private Mutation mutate(Endpoint e, Random r, Map<String, String> tokens) {
        String token = e.user() == null ? null : tokens.get(e.user());
        Map<String, Object> body = e.validBody().get();
        if (body == null) {
            return mutateWithoutBody(e, r, token);
        }
        int roll = r.nextInt(100);
        String json;
        String description;
        String path = e.path();
        Map<String, String> headers = new LinkedHashMap<>(e.headers());
        String contentType = "application/json";
        boolean chunked = false;
        if (roll < 25) {
            String valid = json(body);
            int how = r.nextInt(9);
            json = switch (how) {
                case 0 -> valid.substring(0, r.nextInt(valid.length()));
                case 1 -> breakStructure(valid, r);
                case 2 -> randomText(r, 1 + r.nextInt(200));
                case 3 -> "";
                case 4 -> "null";
                case 5 -> "[" + valid + "]";
                case 6 -> "\"" + valid.replace("\"", "'") + "\"";
                case 7 -> "[".repeat(1 + r.nextInt(20_000));
                default -> valid + valid;
            };
            description = "malformed JSON (" + how + ")";
        } else if (roll < 45 && !e.fields().isEmpty()) {
            Field f = e.fields().get(r.nextInt(e.fields().size()));
            body.put(f.name(), wrongType(f, r));
            json = json(body);
            description = "wrong type for " + f.name();
        } else if (roll < 55 && e.fields().stream().anyMatch(Field::required)) {
            List<Field> required = e.fields().stream().filter(Field::required).toList();
            Field f = required.get(r.nextInt(required.size()));
            if (r.nextBoolean()) {
                body.remove(f.name());
            } else {
                body.put(f.name(), null);
            }
            json = json(body);
            description = "missing " + f.name();
        } else if (roll < 63) {
            body.put(r.nextBoolean() ? "unexpected" : "participantID", r.nextBoolean() ? "x" : 1);
            json = json(body);
            description = "unknown field";
        } else if (roll < 83 && e.fields().stream().anyMatch(f -> f.kind() != Kind.TEXT && f.kind() != Kind.BOOLEAN)) {
            List<Field> breakable = e.fields().stream().filter(f -> f.kind() != Kind.TEXT && f.kind() != Kind.BOOLEAN).toList();
            Field f = breakable.get(r.nextInt(breakable.size()));
            body.put(f.name(), badValue(f, body.get(f.name()), r));
            json = json(body);
            description = "bad value for " + f.name();
        } else if (roll < 92 && e.path().matches(".*/\\d{8}(/.*)?")) {
            path = e.path().replaceFirst("\\d{8}", invalidIdentifier(e.path().replaceAll(".*/(\\d{8}).*", "$1"), r));
            json = json(body);
            description = "invalid identifier in path";
        } else if (roll < 92 && e.name().equals("POST /randomisations")) {
            headers.put("Idempotency-Key", r.nextBoolean() ? " " : "k".repeat(201 + r.nextInt(1000)));
            json = json(body);
            description = "invalid Idempotency-Key";
        } else if (roll < 97) {
            body.put(e.fields().isEmpty() ? "padding" : e.fields().get(0).name(), "x".repeat((1 << 20) + 1 + r.nextInt(1 << 20)));
            json = json(body);
            chunked = r.nextBoolean();
            description = "oversized body (" + json.length() + " bytes, " + (chunked ? "chunked" : "with length") + ")";
        } else {
            json = json(body);
            contentType = r.nextBoolean() ? "text/plain" : "application/x-www-form-urlencoded";
            description = "wrong content type " + contentType;
        }
        return new Mutation(e.method(), path, token, json.getBytes(StandardCharsets.UTF_8), chunked, contentType, headers, description);
    }

    private Mutation mutateWithoutBody(Endpoint e, Random r, String token) {
        if (e.searchMayFind()) {
            String q = r.nextBoolean() ? INJECTIONS.get(r.nextInt(INJECTIONS.size())) : randomText(r, r.nextInt(300));
            String param = r.nextInt(10) == 0 ? "limit=" + (r.nextBoolean() ? "-1" : "abc") + "&q=" : "q=";
            return new Mutation("GET", e.path() + "?" + param + URLEncoder.encode(q, StandardCharsets.UTF_8), token, null, false, null,
                    Map.of(), "search " + param + "<injection or junk>");
        }
        String pid = e.path().replaceAll(".*/(\\d{8}).*", "$1");
        String bad = invalidIdentifier(pid, r);
        return new Mutation("GET", e.path().replace(pid, bad), token, null, false, null, Map.of(), "invalid identifier in path");
    }

    /** A participant identifier that cannot be valid: a digit changed or neighbours swapped (the Damm digit catches both), or junk. */
    static String invalidIdentifier(String pid, Random r) {
        int how = r.nextInt(6);
        switch (how) {
            case 0 -> {
                int i = r.nextInt(8);
                char c = (char) ('0' + (pid.charAt(i) - '0' + 1 + r.nextInt(9)) % 10);
                return pid.substring(0, i) + c + pid.substring(i + 1);
            }
            case 1 -> {
                for (int tries = 0; tries < 8; tries++) {
                    int i = r.nextInt(7);
                    if (pid.charAt(i) != pid.charAt(i + 1)) {
                        return pid.substring(0, i) + pid.charAt(i + 1) + pid.charAt(i) + pid.substring(i + 2);
                    }
                }
                return pid.substring(1);
            }
            case 2 -> {
                return pid.substring(0, 1 + r.nextInt(7));
            }
            case 3 -> {
                return pid + r.nextInt(10);
            }
            case 4 -> {
                // Never blank: "/recruits/" is another, valid, request (the list).
                List<String> nonBlank = INJECTIONS.stream().filter(s -> !s.isBlank() && s.length() < 100).toList();
                return URLEncoder.encode(nonBlank.get(r.nextInt(nonBlank.size())), StandardCharsets.UTF_8).replace("+", "%20");
            }
            default -> {
                return "abcdefgh";
            }
        }
    }

    private static Object wrongType(Field f, Random r) {
        List<Object> candidates = switch (f.kind()) {
            case CODE, FORMATTED, TEXT -> List.of(12345, 1.5, true, List.of("A"), Map.of("a", "b"));
            case BOOLEAN_MAP, ANSWER_MAP, TEXT_MAP -> List.of("yes", 7, true, List.of(1, 2));
            case BOOLEAN -> List.of("true", 1, "yes", List.of(true), Map.of());
        };
        return candidates.get(r.nextInt(candidates.size()));
    }

    private static Object badValue(Field f, Object valid, Random r) {
        return switch (f.kind()) {
            case CODE -> r.nextBoolean() ? UNKNOWN_CODES.get(r.nextInt(UNKNOWN_CODES.size())) : INJECTIONS.get(r.nextInt(INJECTIONS.size()));
            case FORMATTED -> {
                List<String> junk = new ArrayList<>(INJECTIONS);
                junk.removeIf(s -> s.isBlank());
                junk.addAll(List.of("QQ123456C", "AB12345C", "DA123456A", "12345", "2020-02-30", "1800-01-01",
                        "2999-01-01", "31/12/1990", "SW1A", "ZZ99 9ZZZ", "@@", "no-at-sign.example.org", "07700", "+4400",
                        "Robert'); DROP TABLE recruit;--", "fuzz new user with spaces", "x".repeat(300)));
                String value = junk.get(r.nextInt(junk.size()));
                // Some junk ("null", "true", a dotted name) is a well-formed username: make it not one.
                yield f.name().equals("username") ? "!" + value : value;
            }
            case BOOLEAN_MAP -> {
                @SuppressWarnings("unchecked")
                Map<String, Object> answers = new LinkedHashMap<>((Map<String, Object>) valid);
                int how = r.nextInt(3);
                if (how == 0) {
                    answers.put("no_such_question_" + r.nextInt(100), true);
                } else if (how == 1 && !answers.isEmpty()) {
                    String key = new ArrayList<>(answers.keySet()).get(r.nextInt(answers.size()));
                    answers.put(key, r.nextBoolean() ? "yes" : 1);
                } else {
                    answers.put(INJECTIONS.get(r.nextInt(INJECTIONS.size())), true);
                }
                yield answers;
            }
            case ANSWER_MAP -> {
                @SuppressWarnings("unchecked")
                Map<String, Object> answers = new LinkedHashMap<>((Map<String, Object>) valid);
                String key = new ArrayList<>(answers.keySet()).get(r.nextInt(answers.size()));
                int how = r.nextInt(4);
                switch (how) {
                    case 0 -> answers.put("no_such_item", 1);
                    case 1 -> answers.put(key, 999);
                    case 2 -> answers.put(key, INJECTIONS.get(r.nextInt(INJECTIONS.size())));
                    default -> answers.put(key, Map.of("code", 1));
                }
                yield answers;
            }
            case TEXT_MAP -> r.nextBoolean() ? Map.of("participantId", "12345678") : Map.of("givenName", List.of("x"));
            case TEXT, BOOLEAN -> throw new IllegalArgumentException("free text and booleans have no bad value of the right type");
        };
    }

    private int send(Mutation m) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + m.path())).timeout(Duration.ofSeconds(60));
        if (m.body() == null) {
            b.method(m.method(), HttpRequest.BodyPublishers.noBody());
        } else if (m.chunked()) {
            b.method(m.method(), HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(m.body())));
        } else {
            b.method(m.method(), HttpRequest.BodyPublishers.ofByteArray(m.body()));
        }
        if (m.contentType() != null) {
            b.header("Content-Type", m.contentType());
        }
        if (m.token() != null) {
            b.header("Authorization", "Bearer " + m.token());
        }
        m.headers().forEach(b::header);
        try {
            for (int resend = 0; ; resend++) {
                try {
                    return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                } catch (IOException stale) {
                    if (resend == 3 || !String.valueOf(stale.getMessage()).contains("received no bytes")) {
                        throw stale;
                    }
                    // The server had closed this pooled keep-alive connection (Jetty closes one whose
                    // previous request body it refused unread) before our request reached it:
                    // nothing was processed, so send it again on another connection.
                    staleConnectionResends.increment();
                }
            }
        } catch (IOException e) {
            // Jetty may answer 413 and close before reading a huge body: the client sees the close.
            if (m.description().startsWith("oversized")) {
                return 413;
            }
            ioFailures.add(m.description() + ": " + e);
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private Map<String, Long> rowCounts() throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection c = cluster.owner(); Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet r = s.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")) {
                while (r.next()) {
                    tables.add(r.getString(1));
                }
            }
            // The audit sealer writes these on its own timer (every second in the instances' config), whatever the
            // requests do: a checkpoint sealed mid-endpoint is not a change made by a refused request. A refused
            // request that wrote an audit event would still show in audit_event.
            tables.removeAll(List.of("audit_checkpoint", "audit_seal_leaf", "audit_unsealed"));
            for (String table : tables) {
                try (ResultSet r = s.executeQuery("SELECT count(*) FROM \"" + table + "\"")) {
                    r.next();
                    counts.put(table, r.getLong(1));
                }
            }
        }
        return counts;
    }

    private static String created(RoundRobinClient client, String token) {
        var a = client.send("POST", "/recruits", token, Map.of("site", "A", "area", "A-north"), Map.of(), Duration.ofSeconds(30));
        if (a.status() != 201) {
            throw new IllegalStateException("fuzz setup: " + a);
        }
        return a.body().get("participantId").asText();
    }

    private static String ready(RoundRobinClient client, String token, Random r, long person) {
        String pid = created(client, token);
        String at = "/recruits/" + pid;
        Duration d = Duration.ofSeconds(30);
        List<RoundRobinClient.Answer> steps = List.of(
                client.send("POST", at + "/screening", token, Map.of("trialGroup", "A-OOW", "answers", MadeUpPeople.eligibleAnswers("A-OOW")), Map.of(), d),
                client.send("POST", at + "/agreement", token, Map.of("formVersion", "agree-3", "answers", MadeUpPeople.agreeAll()), Map.of(), d),
                client.send("PUT", at + "/identity", token, MadeUpPeople.identity(r.nextInt(300), person, r), Map.of(), d),
                client.send("PUT", at + "/baseline", token, Map.of("answers", MadeUpPeople.baseline(r)), Map.of(), d));
        for (var step : steps) {
            if (step.status() != 200) {
                throw new IllegalStateException("fuzz setup: " + step);
            }
        }
        return pid;
    }

    private static Map<String, Object> map(Object... pairs) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], pairs[i + 1]);
        }
        return m;
    }

    private static String json(Object body) {
        try {
            return RoundRobinClient.JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Replaces one structural character ({ } [ ] : ,) outside strings with ';', which JSON never allows there. */
    static String breakStructure(String json, Random r) {
        List<Integer> positions = new ArrayList<>();
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if ("{}[]:,".indexOf(c) >= 0) {
                positions.add(i);
            }
        }
        int at = positions.get(r.nextInt(positions.size()));
        return json.substring(0, at) + ';' + json.substring(at + 1);
    }

    private static String randomText(Random r, int length) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            s.append((char) (r.nextInt(10) == 0 ? r.nextInt(0xD7FF) : 32 + r.nextInt(95)));
        }
        return s.toString();
    }

    /** Command line for scripts/fuzz-api. */
    public static void main(String[] args) throws Exception {
        LoadTest.quietLogs();
        long seed = args.length > 0 ? Long.parseLong(args[0]) : System.currentTimeMillis() % 1_000_000;
        int perEndpoint = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        java.nio.file.Path folder = java.nio.file.Files.createTempDirectory("trial-fuzz-");
        System.out.println("Fuzzing the API: seed " + seed + ", " + perEndpoint + " mutations per endpoint (replay with the same seed)");
        Report report;
        long started = System.nanoTime();
        try (Cluster cluster = Cluster.start(folder, 1)) {
            report = new ApiFuzzer(cluster).run(seed, perEndpoint, 4, System.out);
        }
        System.out.printf("took %.0f s%n", (System.nanoTime() - started) / 1e9);
        int total = report.statusesByEndpoint().values().stream().mapToInt(m -> m.values().stream().mapToInt(Integer::intValue).sum()).sum();
        System.out.println("mutations sent: " + total + " over " + report.statusesByEndpoint().size() + " endpoints; seed " + seed
                + "; resent after a stale keep-alive connection: " + report.staleConnectionResends());
        if (report.passed()) {
            System.out.println("VERDICT: PASS (every answer a 4xx, no table's row count changed, service healthy afterwards)");
        } else {
            System.out.println("VERDICT: FAIL");
            report.problems().forEach(p -> System.out.println("  - " + p));
        }
        System.out.println("(instance log in " + folder + ")");
        System.exit(report.passed() ? 0 : 1);
    }

}
