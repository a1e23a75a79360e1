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
        Set<String> requestBodies = new LinkedHashSet<>();
        new TreeMap<>(api.getPaths()).forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            String body = body(operation.getRequestBody() == null ? null : operation.getRequestBody().getContent(), requestBodies);
            used.addAll(requestBodies);
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
                + "pattern. A request body opens with an example holding every field (the document's example, else the first code, else a value of "
                + "the type; `id` stands for an item, question or statement id). Unknown fields are refused (400) in every request body.\n");
        for (String name : all) {
            Schema<?> schema = schemas.get(name);
            out.append("\n#### ").append(name).append("\n\n");
            if (schema.getDescription() != null) {
                out.append(oneLine(schema.getDescription())).append("\n\n");
            }
            if (requestBodies.contains(name)) {
                out.append("```json\n").append(example(schema, schemas)).append("\n```\n\n");
            }
            out.append("| field | type | takes |\n|---|---|---|\n");
            List<String> required = schema.getRequired() == null ? List.of() : schema.getRequired();
            Map<String, Schema> properties = schema.getProperties() == null ? Map.of() : schema.getProperties();
            properties.forEach((field, property) -> out.append("| ").append(required.contains(field) ? "**" + field + "**" : field)
                    .append(" | ").append(type(property)).append(" | ").append(takes(property)).append(" |\n"));
        }
        return out.toString();
    }

    /** A request body with every field, from the schema: its example, else its first code, else a value of its type. */
    static String example(Schema<?> schema, Map<String, Schema> schemas) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(exampleValue(schema, schemas, 0));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private static Object exampleValue(Schema<?> schema, Map<String, Schema> schemas, int depth) {
        if (schema.get$ref() != null) {
            return depth > 5 ? Map.of() : exampleValue(schemas.get(name(schema.get$ref())), schemas, depth + 1);
        }
        if (schema.getExample() != null) {
            return example(schema.getExample());
        }
        if (schema.getEnum() != null && !schema.getEnum().isEmpty()) {
            return schema.getEnum().get(0);
        }
        if (schema.getOneOf() != null && !schema.getOneOf().isEmpty()) {
            return exampleValue(schema.getOneOf().get(0), schemas, depth + 1);
        }
        String type = schema.getType() == null ? "object" : schema.getType();
        switch (type) {
            case "boolean":
                return true;
            case "integer":
            case "number":
                return 1;
            case "array":
                return List.of(exampleValue(schema.getItems(), schemas, depth + 1));
            case "string":
                if ("date".equals(schema.getFormat())) {
                    return "2026-01-30";
                }
                return "date-time".equals(schema.getFormat()) ? "2026-01-30T10:15:00Z" : "text";
            default:
                Map<String, Object> object = new java.util.LinkedHashMap<>();
                if (schema.getProperties() != null) {
                    schema.getProperties().forEach((field, property) -> object.put(field, exampleValue(property, schemas, depth + 1)));
                } else if (schema.getAdditionalProperties() instanceof Schema<?> values) {
                    object.put("id", exampleValue(values, schemas, depth + 1));
                }
                return object;
        }
    }

    /** The parser reads an example of a date field as a Date: written back as the text it was. */
    private static Object example(Object value) {
        return value instanceof java.util.Date date ? date.toInstant().atZone(java.time.ZoneOffset.UTC).toLocalDate().toString() : value;
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
            parts.add("e.g. `" + example(schema.getExample()) + "`");
        }
        return String.join("; ", parts);
    }

    private static String oneLine(String text) {
        return text.replace("\n", " ").replace("|", "\\|").strip();
    }
}
