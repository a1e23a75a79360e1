package org.ipstrial.api.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.report.ValidationReport;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.ipstrial.api.TrialConfiguration;
import org.ipstrial.api.auth.Role;
import org.ipstrial.api.core.recruitment.RecruitCodes;
import org.ipstrial.api.support.ApiClient;
import org.ipstrial.api.support.Recruits;
import org.ipstrial.api.support.TestService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The service's own OpenAPI document, as a generated client or a gateway would read it: valid for
 * a real OpenAPI parser, with the base path, required fields, the codes each field takes, formats
 * and patterns, and every error answer with its body. A request validator driven by it accepts
 * every request of the first appointment and the follow-up as the workflow tests send them, and
 * rejects a wrong code. docs/service.md's bodies are generated from it ({@link ServiceDocBodies}).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class OpenApiDocumentIT {
    static final DropwizardAppExtension<TrialConfiguration> APP = TestService.extension(TestService.newFolder("openapi"));
    static final Path SERVICE_DOC = Path.of("..", "docs", "service.md");
    static String json;
    static OpenAPI api;
    Random random;

    @BeforeAll
    static void document() {
        TestService.createUsers(APP);
        ApiClient.Answer answer = TestService.client(APP).get(null, "/openapi.json");
        assertThat(answer.status()).isEqualTo(200);
        json = answer.text();
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIParser().readContents(json, null, options);
        assertThat(parsed.getMessages()).as("the parser's findings").isEmpty();
        api = parsed.getOpenAPI();
        assertThat(api).isNotNull();
    }

    @BeforeEach
    void seed(TestInfo test) {
        random = TestService.seededRandom(test);
    }

    @Test
    void theDocumentNamesItsBasePathFieldsCodesAndEveryErrorAnswer() {
        assertThat(api.getServers()).as("a client calls /api/v1/recruits, not /recruits").singleElement()
                .satisfies(s -> assertThat(s.getUrl()).isEqualTo("/api/v1"));
        assertThat(api.getPaths()).containsKeys("/recruits", "/randomisations", "/session").doesNotContainKey("/api/v1/recruits");

        Map<String, Schema> schemas = api.getComponents().getSchemas();
        assertThat(schemas.get("NewRecruit").getRequired()).containsExactlyInAnyOrder("site", "area");
        assertThat(schemas.get("Identity").getRequired())
                .containsExactlyInAnyOrder("givenName", "familyName", "dateOfBirth", "sex", "postcode", "surveyMode");
        assertThat(enumOf(schemas, "Identity", "sex")).isEqualTo(new TreeSet<>(RecruitCodes.SEXES));
        assertThat(enumOf(schemas, "Identity", "surveyMode")).isEqualTo(new TreeSet<>(RecruitCodes.SURVEY_MODES));
        assertThat(enumOf(schemas, "Identity", "surveyModeReason")).isEqualTo(new TreeSet<>(RecruitCodes.SURVEY_MODE_REASONS));
        assertThat(enumOf(schemas, "StatusChange", "kind")).isEqualTo(new TreeSet<>(RecruitCodes.STATUS_KINDS));
        assertThat(enumOf(schemas, "Erasure", "ground")).isEqualTo(new TreeSet<>(RecruitCodes.ERASURE_GROUNDS));
        assertThat(enumOf(schemas, "Flag", "kind")).isEqualTo(new TreeSet<>(RecruitCodes.FLAG_KINDS));
        Set<String> roles = new TreeSet<>();
        for (Role role : Role.values()) {
            roles.add(role.name());
        }
        assertThat(enumOf(schemas, "NewUser", "role")).isEqualTo(roles);
        assertThat(enumOf(schemas, "Allocated", "arm")).containsExactlyInAnyOrder("treatment", "control");
        assertThat(property(schemas, "Identity", "dateOfBirth").getFormat()).isEqualTo("date");
        assertThat(property(schemas, "Identity", "nationalInsuranceNumber").getPattern()).isNotBlank();
        assertThat(property(schemas, "Identity", "postcode").getPattern()).isNotBlank();
        assertThat(property(schemas, "Randomise", "participantId").getPattern()).isNotBlank();
        assertThat(schemas.get("ErrorBody").getRequired()).containsExactlyInAnyOrder("code", "message", "fieldErrors");

        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            String what = method + " " + path;
            Map<String, ApiResponse> responses = operation.getResponses();
            assertThat(responses).as(what).doesNotContainKey("default").containsKeys("401", "500", "503");
            assertThat(responses.keySet().stream().anyMatch(code -> code.startsWith("2"))).as(what + ": its success").isTrue();
            responses.forEach((status, response) -> {
                if (status.charAt(0) >= '4') {
                    assertThat(response.getContent().get("application/json").getSchema().get$ref()).as(what + " " + status)
                            .isEqualTo("#/components/schemas/ErrorBody");
                    assertThat(response.getDescription()).as(what + " " + status).isNotBlank();
                }
            });
            boolean open = operation.getSecurity() != null && operation.getSecurity().isEmpty();
            assertThat(open).as(what + ": only logging in needs no session").isEqualTo(path.equals("/session") && method.name().equals("POST"));
            if (operation.getRequestBody() != null) {
                assertThat(responses).as(what + " takes a body").containsKeys("400", "413", "415");
                assertThat(responses.containsKey("422")).as(what + ": 422, except logging in (always 401)").isEqualTo(!open);
                assertThat(operation.getRequestBody().getRequired()).as(what).isTrue();
            }
            if (path.contains("{")) {
                assertThat(responses).as(what + " names something").containsKey("404");
            }
        }));
        Operation randomise = api.getPaths().get("/randomisations").getPost();
        assertThat(randomise.getResponses()).containsKeys("200", "401", "403", "404", "409", "422");
        assertThat(randomise.getResponses().get("409").getDescription()).contains("not_ready").contains("duplicate_person");
        assertThat(api.getPaths().get("/recruits").getPost().getResponses()).containsKey("201");
    }

    static Schema<?> property(Map<String, Schema> schemas, String schema, String property) {
        Schema<?> p = (Schema<?>) schemas.get(schema).getProperties().get(property);
        assertThat(p).as(schema + "." + property).isNotNull();
        return p;
    }

    static Set<String> enumOf(Map<String, Schema> schemas, String schema, String property) {
        List<?> values = property(schemas, schema, property).getEnum();
        assertThat(values).as(schema + "." + property + " enum").isNotNull();
        Set<String> set = new TreeSet<>();
        values.forEach(v -> set.add(String.valueOf(v)));
        return set;
    }

    /** The recorded request as the validator takes it: the path under the base path, query parameters apart. */
    static Request request(ApiClient.Exchange exchange) {
        String path = exchange.path();
        String query = null;
        int q = path.indexOf('?');
        if (q >= 0) {
            query = path.substring(q + 1);
            path = path.substring(0, q);
        }
        SimpleRequest.Builder builder = new SimpleRequest.Builder(Request.Method.valueOf(exchange.method()), "/api/v1" + path);
        exchange.headers().forEach(builder::withHeader);
        if (exchange.body() != null) {
            builder.withContentType(exchange.contentType()).withBody(exchange.body());
        }
        if (query != null) {
            for (String pair : query.split("&")) {
                String[] kv = pair.split("=", 2);
                builder.withQueryParam(kv[0], URLDecoder.decode(kv.length > 1 ? kv[1] : "", StandardCharsets.UTF_8));
            }
        }
        return builder.build();
    }

    @Test
    void aValidatorDrivenByTheDocumentAcceptsTheWorkflowsRequestsAndRejectsAWrongCode() {
        OpenApiInteractionValidator validator = OpenApiInteractionValidator.createForInlineApiSpecification(json).build();
        ApiClient client = TestService.client(APP);
        List<ApiClient.Exchange> sent = new ArrayList<>();
        client.onEachExchange(sent::add);

        // The first appointment, as WorkflowIT and Recruits send it.
        var person = Recruits.identity(random);
        String pid = Recruits.ready(client, "spec-a", "A", "A-north", "A-OOW", person, random);
        assertThat(client.get("spec-a", "/forms").status()).isEqualTo(200);
        assertThat(client.get("spec-a", "/recruits?q=" + pid).status()).isEqualTo(200);
        assertThat(client.get("spec-a", "/recruits/" + pid).status()).isEqualTo(200);
        assertThat(client.send("POST", "/randomisations", client.token("spec-a"), Map.of("participantId", pid),
                Map.of("Idempotency-Key", "key-" + pid)).status()).isEqualTo(200);
        assertThat(client.get("spec-a", "/session").status()).isEqualTo(200);
        // Declined agreement and a second site, as WorkflowIT does.
        String other = client.post("spec-b", "/recruits", Map.of("site", "B", "area", "B-west")).body().get("participantId").asText();
        Map<String, Boolean> declined = new HashMap<>(Recruits.agreeAll());
        declined.put("take_part", false);
        assertThat(client.post("spec-b", "/recruits/" + other + "/agreement", Map.of("formVersion", "agree-3", "answers", declined))
                .status()).isEqualTo(200);
        // After randomisation: corrections, flags, status, erasure; exports and reports.
        String today = LocalDate.now(ZoneId.of("Europe/London")).toString();
        assertThat(client.post("manager", "/recruits/" + pid + "/corrections",
                Map.of("fields", Map.of("familyName", "Jones", "dateOfBirth", "1970-01-01"), "reason", "typed wrongly")).status()).isEqualTo(200);
        assertThat(client.post("manager", "/recruits/" + pid + "/flags", Map.of("kind", "found_ineligible", "note", "was in work")).status())
                .isEqualTo(200);
        assertThat(client.post("manager", "/recruits/" + pid + "/status",
                Map.of("kind", "withdrawn_service", "effectiveDate", today, "reason", "moved away")).status()).isEqualTo(200);
        String erased = Recruits.ready(client, "spec-a", "A", "A-east", "A-IW", Recruits.identity(random), random);
        assertThat(client.send("POST", "/randomisations", client.token("spec-a"), Map.of("participantId", erased), Map.of()).status())
                .isEqualTo(200);
        assertThat(client.post("manager", "/recruits/" + erased + "/erasure",
                Map.of("requestedOn", today, "ground", "participant_request", "confirmed", true)).status()).isEqualTo(204);
        for (String[] call : new String[][] {{"custodian", "/exports/participants.csv"}, {"custodian", "/exports/baseline.csv"},
                {"fieldwork", "/exports/sample-frame.csv"}, {"manager", "/reports/recruitment"}, {"manager", "/reports/consort"},
                {"manager", "/reports/balance"}, {"statistician", "/reports/sequence"}, {"manager", "/reports/structure"},
                {"admin", "/audit/verification"}, {"admin", "/users"},
                {"manager", "/recruits/" + pid + "/audit?action=flagged&from=" + today + "&to=" + today},
                {"statistician", "/recruits/" + pid + "/audit.csv?user=manager"},
                {"manager", "/audit/trail?site=A&action=flagged&limit=10"}, {"statistician", "/audit/trail.csv?from=" + today},
                {"fieldwork", "/followup?wave=4m&state=upcoming&site=A"}, {"manager", "/followup.csv?wave=12m"}}) {
            assertThat(client.get(call[0], call[1]).status()).as(call[1]).isEqualTo(200);
        }
        // The follow-up schedule: an attempt and a done entry (its 422s are FollowUpScheduleIT's).
        assertThat(client.post("fieldwork", "/recruits/" + pid + "/followup/4m/attempts",
                Map.of("date", today, "outcome", "no_answer", "note", "no voicemail")).status()).isEqualTo(200);
        assertThat(client.post("manager", "/recruits/" + pid + "/followup/12m/done",
                Map.of("completedOn", today, "source", "agency_return")).status()).isEqualTo(200);
        var created = client.post("admin", "/users", Map.of("username", "new-analyst", "role", "analyst"));
        assertThat(created.status()).isEqualTo(201);
        String code = created.body().get("oneTimeCode").asText();
        var codeLogin = client.send("POST", "/session", null, Map.of("username", "new-analyst", "password", code), Map.of());
        assertThat(codeLogin.status()).isEqualTo(200);
        assertThat(client.send("POST", "/session/password", codeLogin.body().get("token").asText(),
                Map.of("currentPassword", code, "newPassword", "a long enough password"), Map.of()).status()).isEqualTo(204);
        assertThat(client.post("admin", "/users/new-analyst/password-reset", null).status()).isEqualTo(200);
        assertThat(client.put("admin", "/users/new-analyst/role", Map.of("role", "manager", "site", "A")).status()).isEqualTo(204);
        assertThat(client.post("admin", "/users/new-analyst/unlock", null).status()).isEqualTo(204);
        assertThat(client.get("admin", "/sites").status()).isEqualTo(200);
        assertThat(client.put("admin", "/users/spec-b/site", Map.of("site", "B")).status()).isEqualTo(204);
        assertThat(client.put("admin", "/users/new-analyst/disabled", Map.of("disabled", true)).status()).isEqualTo(204);
        assertThat(client.send("DELETE", "/session", client.token("fieldwork"), null, Map.of()).status()).isEqualTo(204);

        // Delivery to a treatment recruit, a manager's correction, FTE, a fidelity review, the reports and the delivery file.
        String treated = null;
        for (int i = 0; i < 30 && treated == null; i++) {
            String next = Recruits.ready(client, "spec-a", "A", "A-north", "A-OOW", Recruits.identity(random), random);
            var allocated = client.post("spec-a", "/randomisations", Map.of("participantId", next));
            treated = allocated.body().get("arm").asText().equals("treatment") ? next : null;
        }
        assertThat(treated).as("a treatment recruit in 30 randomisations").isNotNull();
        var session = client.post("spec-a", "/recruits/" + treated + "/delivery",
                Map.of("kind", "session", "date", today, "mode", "face_to_face", "minutes", 40));
        assertThat(session.status()).isEqualTo(201);
        assertThat(client.post("spec-a", "/recruits/" + treated + "/delivery", Map.of("kind", "job_start", "date", today,
                "jobType", "care worker", "hoursPerWeek", 37.5, "atLeastMinimumWage", true, "permanent", true, "employerName", "A Care Home"))
                .status()).isEqualTo(201);
        assertThat(client.post("spec-a", "/delivery/employer-contacts", Map.of("date", today, "faceToFace", true)).status()).isEqualTo(201);
        assertThat(client.post("manager", "/delivery/records/" + session.body().get("id").asLong() + "/correction",
                Map.of("reason", "it lasted longer", "record", Map.of("kind", "session", "date", today, "mode", "face_to_face", "minutes", 55)))
                .status()).isEqualTo(200);
        assertThat(client.post("manager", "/delivery/specialist-fte", Map.of("site", "A", "periodStart", "2026-04-01",
                "periodEnd", "2026-06-30", "fte", 4.5)).status()).isEqualTo(201);
        List<Map<String, Object>> scores = new ArrayList<>();
        for (int item = 1; item <= 25; item++) {
            scores.add(Map.of("item", item, "score", 4, "evidence", "case notes"));
        }
        assertThat(client.post("manager", "/fidelity/reviews", Map.of("service", "A-IPS-1", "round", 1, "reviewedOn", today,
                "reviewers", List.of("One", "Two"), "scaleVersion", "uk-25-v1", "remoteAdjusted", false, "items", scores,
                "actions", List.of(Map.of("action", "more employer contacts", "owner", "team lead", "status", "open")))).status())
                .isEqualTo(201);
        for (String[] call : new String[][] {{"spec-a", "/recruits/" + treated + "/delivery"}, {"spec-a", "/delivery/caseload"},
                {"spec-a", "/recruits/" + treated + "/allocation/confirmation.pdf"},
                {"manager", "/delivery/specialist-fte"}, {"manager", "/fidelity/scale"}, {"manager", "/fidelity/reviews"},
                {"manager", "/reports/delivery"}, {"manager", "/reports/fidelity"}, {"custodian", "/exports/delivery.csv"}}) {
            assertThat(client.get(call[0], call[1]).status()).as(call[1]).isEqualTo(200);
        }

        assertThat(sent).as("the requests recorded").hasSizeGreaterThan(30);
        List<String> refused = new ArrayList<>();
        for (ApiClient.Exchange exchange : sent) {
            assertThat(exchange.status()).as("the service took " + exchange.method() + " " + exchange.path()).isBetween(200, 299);
            ValidationReport report = validator.validateRequest(request(exchange));
            if (report.hasErrors()) {
                refused.add(exchange.method() + " " + exchange.path() + ": " + report.getMessages());
            }
        }
        assertThat(refused).as("requests the service takes that the document refuses").isEmpty();

        // A wrong code, an unknown field and a missing required field: the document refuses them, as the service does.
        Map<String, Object> wrongSex = new HashMap<>(Recruits.identity(random));
        wrongSex.put("sex", "m");
        String fresh = client.post("spec-a", "/recruits", Map.of("site", "A", "area", "A-north")).body().get("participantId").asText();
        ApiClient.Answer refusedByService = client.put("spec-a", "/recruits/" + fresh + "/identity", wrongSex);
        assertThat(refusedByService.status()).isEqualTo(422);
        ValidationReport wrongEnum = validator.validateRequest(request(sent.get(sent.size() - 1)));
        assertThat(wrongEnum.hasErrors()).as("sex 'm'").isTrue();
        assertThat(wrongEnum.getMessages().toString()).contains("sex").contains("enum");
        ValidationReport wrongKind = validator.validateRequest(SimpleRequest.Builder.post("/api/v1/recruits/" + pid + "/status")
                .withHeader("Authorization", "Bearer x").withContentType("application/json")
                .withBody("{\"kind\": \"moved\", \"effectiveDate\": \"" + today + "\", \"reason\": \"x\"}").build());
        assertThat(wrongKind.hasErrors()).as("status kind 'moved'").isTrue();
        ValidationReport unknownField = validator.validateRequest(SimpleRequest.Builder.post("/api/v1/recruits")
                .withHeader("Authorization", "Bearer x").withContentType("application/json")
                .withBody("{\"site\": \"A\", \"area\": \"A-north\", \"shoeSize\": 9}").build());
        assertThat(unknownField.hasErrors()).as("an unknown field").isTrue();
        ValidationReport missing = validator.validateRequest(SimpleRequest.Builder.post("/api/v1/recruits")
                .withHeader("Authorization", "Bearer x").withContentType("application/json").withBody("{\"site\": \"A\"}").build());
        assertThat(missing.hasErrors()).as("area missing").isTrue();
        ValidationReport noSuchPath = validator.validateRequest(SimpleRequest.Builder.get("/api/v1/recruitments")
                .withHeader("Authorization", "Bearer x").build());
        assertThat(noSuchPath.hasErrors()).as("a path the service does not have").isTrue();
    }

    @Test
    void serviceMdShowsEveryBodyAsTheDocumentDefinesIt() throws Exception {
        String doc = Files.readString(SERVICE_DOC);
        String generated = ServiceDocBodies.render(api);
        String updated = ServiceDocBodies.replaceSection(doc, generated);
        if (Boolean.getBoolean("docs.write")) {
            Files.writeString(SERVICE_DOC, updated);
        }
        assertThat(doc).as("docs/service.md's generated section is out of date: run this test with -Ddocs.write=true")
                .isEqualTo(updated);
        assertThat(doc).doesNotContain("{...}");
    }
}
