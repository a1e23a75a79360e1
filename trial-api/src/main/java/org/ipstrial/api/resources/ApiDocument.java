package org.ipstrial.api.resources;

import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.jaxrs2.Reader;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.ipstrial.api.TrialApplication;
import org.ipstrial.api.api.ErrorBody;
import org.ipstrial.api.api.RecruitRequests;
import org.ipstrial.api.auth.SessionAuthFilter;

/**
 * Completes the OpenAPI document that swagger derives from the resources with what the services
 * do and annotations cannot say once for all: the base path, how to authenticate, and every error
 * answer of every operation with its body (the same {@link ErrorBody} everywhere), following the
 * rules the exception mappers apply. Installed as swagger's reader ({@link CompletingReader}).
 */
public final class ApiDocument {
    static final String ERROR_SCHEMA = "ErrorBody";

    /**
     * The refusals of each operation that the trial's state can cause (409), by "METHOD path":
     * the codes are the {@code Conflict} codes the services throw there.
     */
    static final Map<String, String> CONFLICTS = Map.ofEntries(
            Map.entry("POST /randomisations", "not_ready (fieldErrors name every step left), duplicate_person (the same person "
                    + "is already randomised, found inside the randomisation transaction)"),
            Map.entry("POST /recruits/{participantId}/screening", "already_randomised: a randomised recruit is not screened again"),
            Map.entry("POST /recruits/{participantId}/agreement", "already_randomised"),
            Map.entry("PUT /recruits/{participantId}/identity", "already_randomised: this recruit, or the same person at any site "
                    + "(National Insurance number, NHS number, or name with date of birth and postcode), is randomised"),
            Map.entry("PUT /recruits/{participantId}/baseline", "already_randomised"),
            Map.entry("POST /recruits/{participantId}/status", "already_deceased"),
            Map.entry("POST /recruits/{participantId}/corrections", "no_identity (nothing to correct yet), duplicate_person "
                    + "(the corrected record would be another randomised person)"),
            Map.entry("POST /recruits/{participantId}/flags", "not_randomised"),
            Map.entry("POST /users", "username_taken"),
            Map.entry("POST /session/code", "no_second_factor_pending: this session does not wait for a code"),
            Map.entry("POST /two-factor/enrolment", "two_factor_enrolled (a second factor is set up already: an admin resets it "
                    + "first), two_factor_not_configured (the service has no two-factor key file)"),
            Map.entry("POST /two-factor/enrolment/confirmation", "two_factor_enrolment_not_started, two_factor_enrolled, "
                    + "two_factor_enrolment_changed (another enrolment of the user happened meanwhile: start again)"),
            Map.entry("POST /delivery/records/{recordId}/correction", "already_changed (the record was corrected or deleted "
                    + "already: change its current version)"),
            Map.entry("POST /delivery/records/{recordId}/deletion", "already_changed, has_linked_records (a job end or in-work "
                    + "support belongs to this job start)"),
            Map.entry("POST /fidelity/reviews", "round_recorded (this round of this service is recorded already)"));

    private ApiDocument() {}

    /** Swagger's own reader, followed by {@link #complete}. */
    public static final class CompletingReader extends Reader {
        @Override
        public OpenAPI read(Set<Class<?>> classes, Map<String, Object> resources) {
            return complete(super.read(classes, resources), classes);
        }
    }

    static OpenAPI complete(OpenAPI api, Set<Class<?>> classes) {
        api.setServers(List.of(new Server().url(TrialApplication.API_ROOT)
                .description("Every path below is under this base path, on the host that serves the pages")));
        Components components = api.getComponents() == null ? new Components() : api.getComponents();
        api.setComponents(components);
        ModelConverters.getInstance().readAll(ErrorBody.class).forEach(components::addSchemas);
        Schema<?> error = components.getSchemas().get(ERROR_SCHEMA);
        error.setRequired(List.of("code", "message", "fieldErrors"));
        error.setDescription("Every refusal: a stable code for programs, a message for people, and every field at fault "
                + "(empty when no field is)");
        Schema<?> fieldError = components.getSchemas().get("FieldError");
        if (fieldError != null) {
            fieldError.setRequired(List.of("field", "message"));
        }
        components.addSecuritySchemes("bearer", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                .description("The token from POST /session, as Authorization: Bearer <token>"));
        components.addSecuritySchemes("cookie", new SecurityScheme().type(SecurityScheme.Type.APIKEY).in(SecurityScheme.In.COOKIE)
                .name(SessionAuthFilter.COOKIE).description("The HttpOnly session cookie POST /session sets (the pages use it)"));
        api.setSecurity(List.of(new SecurityRequirement().addList("bearer"), new SecurityRequirement().addList("cookie")));
        baselineAnswers(components);

        for (Class<?> resource : classes) {
            Path classPath = resource.getAnnotation(Path.class);
            if (classPath == null) {
                continue;
            }
            for (Method method : resource.getMethods()) {
                String verb = verb(method);
                if (verb == null) {
                    continue;
                }
                Path methodPath = method.getAnnotation(Path.class);
                String path = normalise(classPath.value() + (methodPath == null ? "" : "/" + methodPath.value()));
                PathItem item = api.getPaths() == null ? null : api.getPaths().get(path);
                Operation operation = item == null ? null : item.readOperationsMap().get(PathItem.HttpMethod.valueOf(verb));
                if (operation != null) {
                    complete(operation, verb + " " + path, method, resource);
                }
            }
        }
        api.setPaths(sorted(api));
        return api;
    }

    private static void complete(Operation operation, String key, Method method, Class<?> resource) {
        boolean body = operation.getRequestBody() != null;
        if (body) {
            operation.getRequestBody().setRequired(true);
        }
        List<Parameter> parameters = operation.getParameters() == null ? List.of() : operation.getParameters();
        for (Parameter parameter : parameters) {
            if ("path".equals(parameter.getIn()) && "participantId".equals(parameter.getName())) {
                parameter.getSchema().setPattern(RecruitRequests.PARTICIPANT_ID_PATTERN);
                parameter.setDescription("8 digits (4 and 4 with a space or dash also do); the last is a Damm check digit");
            }
        }
        boolean checkedParameters = parameters.stream().anyMatch(p -> "query".equals(p.getIn()) || "header".equals(p.getIn()));
        boolean pathParameters = parameters.stream().anyMatch(p -> "path".equals(p.getIn()));
        RolesAllowed roles = method.isAnnotationPresent(RolesAllowed.class) ? method.getAnnotation(RolesAllowed.class)
                : method.isAnnotationPresent(PermitAll.class) ? null : resource.getAnnotation(RolesAllowed.class);
        boolean open = roles == null && !method.isAnnotationPresent(PermitAll.class)
                && !method.isAnnotationPresent(org.ipstrial.api.auth.AcceptsPendingSession.class);

        ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
        ApiResponse generated = responses.remove("default");
        if (responses.keySet().stream().noneMatch(code -> code.startsWith("2"))) {
            ApiResponse ok = new ApiResponse().description("OK");
            if (generated != null && generated.getContent() != null
                    && generated.getContent().values().stream().anyMatch(m -> m.getSchema() != null)) {
                ok.setContent(generated.getContent());
            }
            responses.addApiResponse("200", ok);
        }
        if (body) {
            error(responses, "400", "invalid_json: the body is not the shape this operation takes (fieldErrors names the field); "
                    + "malformed_json: not JSON at all");
        }
        if (open) {
            operation.setSecurity(List.of());
            error(responses, "401", "login_failed: wrong username or password, or the account is locked or disabled (the same "
                    + "answer for each, so it tells nobody which usernames exist)");
        } else {
            error(responses, "401", "not_authenticated: no live session; log in with POST /session");
            if (roles != null) {
                error(responses, "403", "forbidden: your role does not allow this (roles: " + String.join(", ", roles.value()) + ")");
            }
        }
        if (pathParameters || key.equals("POST /randomisations")) {
            error(responses, "404", "not_found, recruit_not_found, user_not_found: nothing there (a recruit of another site "
                    + "is not found either: the answer does not say which)");
        }
        String conflicts = CONFLICTS.get(key);
        if (conflicts != null) {
            error(responses, "409", "The trial's state does not allow it: " + conflicts);
        }
        if (body) {
            error(responses, "413", "too_large: a body over 1 MiB");
            error(responses, "415", "unsupported_media_type: send the body as application/json");
        }
        if (!open && (body || checkedParameters || pathParameters)) {
            error(responses, "422", "invalid_fields (and other codes of a broken rule): fieldErrors names every field at fault "
                    + "at once; nothing was changed");
        }
        error(responses, "500", "internal_error: a bug; the message carries an incident number to report. Nothing was saved");
        error(responses, "503", "database_unavailable: send the same request again in a moment (Retry-After says when)");
        operation.setResponses(sortedResponses(responses));
    }

    private static void error(ApiResponses responses, String status, String description) {
        ApiResponse existing = responses.get(status);
        if (existing != null && existing.getContent() != null && !existing.getContent().isEmpty()) {
            return;
        }
        responses.addApiResponse(status, new ApiResponse().description(existing != null && existing.getDescription() != null
                ? existing.getDescription() : description)
                .content(new Content().addMediaType(jakarta.ws.rs.core.MediaType.APPLICATION_JSON,
                        new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + ERROR_SCHEMA)))));
    }

    /** Baseline answers are codes, lists of codes or whole numbers: swagger can only say "object". */
    private static void baselineAnswers(Components components) {
        Schema<?> baseline = components.getSchemas() == null ? null : components.getSchemas().get("Baseline");
        if (baseline == null || baseline.getProperties() == null || baseline.getProperties().get("answers") == null) {
            return;
        }
        Schema<?> answers = baseline.getProperties().get("answers");
        answers.setType("object");
        answers.setAdditionalProperties(new Schema<>().oneOf(List.of(new IntegerSchema(),
                new ArraySchema().items(new IntegerSchema()).minItems(1))));
    }

    private static String verb(Method method) {
        if (method.isAnnotationPresent(GET.class)) {
            return "GET";
        }
        if (method.isAnnotationPresent(POST.class)) {
            return "POST";
        }
        if (method.isAnnotationPresent(PUT.class)) {
            return "PUT";
        }
        if (method.isAnnotationPresent(DELETE.class)) {
            return "DELETE";
        }
        return null;
    }

    private static String normalise(String path) {
        String p = ("/" + path).replaceAll("/+", "/");
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    private static io.swagger.v3.oas.models.Paths sorted(OpenAPI api) {
        io.swagger.v3.oas.models.Paths paths = new io.swagger.v3.oas.models.Paths();
        new TreeMap<>(api.getPaths()).forEach(paths::addPathItem);
        return paths;
    }

    private static ApiResponses sortedResponses(ApiResponses responses) {
        ApiResponses sorted = new ApiResponses();
        Map<String, ApiResponse> ordered = new TreeMap<>(responses);
        ordered.forEach(sorted::addApiResponse);
        return sorted;
    }
}
