package org.ipstrial.api.openapi;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The part of docs/service.md that describes every call and every body, written from the service's
 * OpenAPI document so the two cannot drift (OpenApiDocumentIT compares the file with this).
 */
final class ServiceDocBodies {
    static final String START = "<!-- generated from /api/v1/openapi.json by OpenApiDocumentIT: do not edit by hand -->";
    static final String END = "<!-- end of the generated part -->";

    private ServiceDocBodies() {}

    static String replaceSection(String doc, String section) {
        int start = doc.indexOf(START);
        int end = doc.indexOf(END);
        if (start < 0 || end < start) {
            throw new IllegalStateException("docs/service.md has no generated part between " + START + " and " + END);
        }
        return doc.substring(0, start) + START + "\n\n" + section + "\n" + doc.substring(end);
    }

    static String render(OpenAPI api) {
        StringBuilder out = new StringBuilder();
        String base = api.getServers().get(0).getUrl();
        out.append("Every call, under `").append(base).append("`. Errors answer with an `ErrorBody` (below); the statuses each call can "
                + "answer are listed beside it.\n\n");
        out.append("| call | body | answer | errors |\n|---|---|---|---|\n");
        Set<String> used = new LinkedHashSet<>();
        new TreeMap<>(api.getPaths()).forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            String body = body(operation.getRequestBody() == null ? null : operation.getRequestBody().getContent(), used);
            List<String> errors = new ArrayList<>();
            String answer = "";
            for (var response : new TreeMap<>(operation.getResponses()).entrySet()) {
                if (response.getKey().startsWith("2")) {
                    String schema = body(response.getValue().getContent(), used);
                    answer = response.getKey() + (schema.isEmpty() ? "" : " " + schema);
                } else {
                    errors.add(response.getKey());
                }
            }
            out.append("| `").append(method).append(' ').append(path).append("` ").append(summary(operation)).append(" | ")
                    .append(body.isEmpty() ? "" : body).append(" | ").append(answer).append(" | ").append(String.join(" ", errors))
                    .append(" |\n");
        }));
        used.add("ErrorBody");
        Map<String, Schema> schemas = api.getComponents().getSchemas();
        Set<String> all = new LinkedHashSet<>();
        for (String name : used) {
            collect(name, schemas, all);
        }
        out.append("\n### Bodies\n\nEvery field of every body: required fields in bold; the codes a field takes, its format or "
                + "pattern. Unknown fields are refused (400) in every request body.\n");
        for (String name : all) {
            Schema<?> schema = schemas.get(name);
            out.append("\n#### ").append(name).append("\n\n");
            if (schema.getDescription() != null) {
                out.append(oneLine(schema.getDescription())).append("\n\n");
            }
            out.append("| field | type | takes |\n|---|---|---|\n");
            List<String> required = schema.getRequired() == null ? List.of() : schema.getRequired();
            Map<String, Schema> properties = schema.getProperties() == null ? Map.of() : schema.getProperties();
            properties.forEach((field, property) -> out.append("| ").append(required.contains(field) ? "**" + field + "**" : field)
                    .append(" | ").append(type(property)).append(" | ").append(takes(property)).append(" |\n"));
        }
        return out.toString();
    }

    private static String summary(Operation operation) {
        return operation.getSummary() == null ? "" : "<br>" + oneLine(operation.getSummary());
    }

    private static String body(Map<String, MediaType> content, Set<String> used) {
        if (content == null || content.isEmpty()) {
            return "";
        }
        var entry = content.entrySet().iterator().next();
        Schema<?> schema = entry.getValue().getSchema();
        if (schema == null) {
            return "";
        }
        String described = type(schema);
        if (schema.get$ref() != null) {
            used.add(name(schema.get$ref()));
        } else if (schema.getItems() != null && schema.getItems().get$ref() != null) {
            used.add(name(schema.getItems().get$ref()));
        }
        return entry.getKey().equals("application/json") ? described : described + " (" + entry.getKey() + ")";
    }

    private static void collect(String name, Map<String, Schema> schemas, Set<String> all) {
        if (!all.add(name)) {
            return;
        }
        Schema<?> schema = schemas.get(name);
        if (schema == null || schema.getProperties() == null) {
            return;
        }
        for (Schema<?> property : schema.getProperties().values()) {
            for (Schema<?> s : List.of(property, property.getItems() == null ? property : property.getItems(),
                    property.getAdditionalProperties() instanceof Schema<?> a ? a : property)) {
                if (s.get$ref() != null) {
                    collect(name(s.get$ref()), schemas, all);
                }
            }
        }
    }

    private static String name(String ref) {
        return ref.substring(ref.lastIndexOf('/') + 1);
    }

    private static String type(Schema<?> schema) {
        if (schema.get$ref() != null) {
            return "`" + name(schema.get$ref()) + "`";
        }
        String type = schema.getType() != null ? schema.getType()
                : schema.getTypes() != null && !schema.getTypes().isEmpty() ? String.join("/", schema.getTypes()) : "";
        if ("array".equals(type) && schema.getItems() != null) {
            return "list of " + type(schema.getItems());
        }
        if ("object".equals(type) && schema.getAdditionalProperties() instanceof Schema<?> values) {
            return "object of " + (values.getOneOf() != null
                    ? String.join(" or ", values.getOneOf().stream().map(ServiceDocBodies::type).toList()) : type(values));
        }
        if (type.isEmpty() && schema.getOneOf() != null) {
            return String.join(" or ", schema.getOneOf().stream().map(ServiceDocBodies::type).toList());
        }
        return type + (schema.getFormat() == null ? "" : " (" + schema.getFormat() + ")");
    }

    private static String takes(Schema<?> schema) {
        List<String> parts = new ArrayList<>();
        if (schema.getEnum() != null) {
            parts.add("one of " + String.join(", ", schema.getEnum().stream().map(v -> "`" + v + "`").toList()));
        }
        if (schema.getPattern() != null) {
            parts.add("pattern `" + schema.getPattern().replace("|", "\\|") + "`");
        }
        if (schema.getMinLength() != null) {
            parts.add("at least " + schema.getMinLength() + " characters");
        }
        if (schema.getMaxLength() != null) {
            parts.add("at most " + schema.getMaxLength() + " characters");
        }
        if (schema.getDescription() != null) {
            parts.add(oneLine(schema.getDescription()));
        }
        if (schema.getExample() != null) {
            parts.add("e.g. `" + schema.getExample() + "`");
        }
        return String.join("; ", parts);
    }

    private static String oneLine(String text) {
        return text.replace("\n", " ").replace("|", "\\|").strip();
    }
}
