package org.ipstrial.etl.simulation;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A node of a YAML file together with its path from the root ("recruitment.monthly_weights[3]"), so
 * that every error names the file and the field. Unknown fields are errors: a misspelt
 * {@code withdrawl_rate} must not silently fall back to a default.
 */
final class ConfigNode {
    /** A key given twice is an error too: otherwise the second would silently win. */
    private static final ObjectMapper YAML = new ObjectMapper(
            YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

    private final JsonNode node;
    private final String path;
    private final String source;

    private ConfigNode(JsonNode node, String path, String source) {
        this.node = node;
        this.path = path;
        this.source = source;
    }

    static ConfigNode read(Path file) {
        try {
            JsonNode root = YAML.readTree(Files.readString(file));
            if (root == null || !root.isObject()) {
                throw new SimulationConfigException(file + ": expected a mapping of fields at the top level");
            }
            return new ConfigNode(root, "", file.toString());
        } catch (NoSuchFileException e) {
            throw new SimulationConfigException(file + ": file does not exist");
        } catch (IOException e) {
            throw new SimulationConfigException(file + ": cannot be read as YAML: " + e.getMessage(), e);
        }
    }

    String path() {
        return path.isEmpty() ? "(top level)" : path;
    }

    String source() {
        return source;
    }

    SimulationConfigException fail(String message) {
        return new SimulationConfigException(source + ": field " + path() + ": " + message);
    }

    private String child(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** Fails on any field not listed: a typo is an error, not a default. */
    ConfigNode allowOnly(String... names) {
        requireMapping();
        Set<String> allowed = Set.of(names);
        Set<String> unknown = new TreeSet<>();
        node.fieldNames().forEachRemaining(n -> {
            if (!allowed.contains(n)) {
                unknown.add(n);
            }
        });
        if (!unknown.isEmpty()) {
            throw fail("unknown field(s) " + unknown + "; allowed here: " + new TreeSet<>(allowed));
        }
        return this;
    }

    private void requireMapping() {
        if (!node.isObject()) {
            throw fail("expected a mapping of names to values");
        }
    }

    boolean has(String name) {
        requireMapping();
        JsonNode value = node.get(name);
        return value != null && !value.isNull();
    }

    ConfigNode required(String name) {
        requireMapping();
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            throw new SimulationConfigException(source + ": field " + child(name) + ": is missing");
        }
        return new ConfigNode(value, child(name), source);
    }

    Optional<ConfigNode> optional(String name) {
        return has(name) ? Optional.of(required(name)) : Optional.empty();
    }

    /** The entries of a mapping, in file order. */
    Map<String, ConfigNode> entries() {
        requireMapping();
        Map<String, ConfigNode> entries = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            entries.put(field.getKey(), new ConfigNode(field.getValue(), child(field.getKey()), source));
        }
        return entries;
    }

    List<ConfigNode> list() {
        if (!node.isArray()) {
            throw fail("expected a list");
        }
        List<ConfigNode> items = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            items.add(new ConfigNode(node.get(i), path + "[" + i + "]", source));
        }
        return items;
    }

    String text() {
        if (!node.isValueNode() || node.asText().isBlank()) {
            throw fail("expected a value, found " + (node.isValueNode() ? "a blank" : "a " + node.getNodeType().name().toLowerCase()));
        }
        return node.asText().strip();
    }

    List<String> texts() {
        return list().stream().map(ConfigNode::text).toList();
    }

    long wholeNumber() {
        if (!node.isIntegralNumber()) {
            throw fail("'" + node.asText() + "' is not a whole number");
        }
        return node.asLong();
    }

    int integer(int min, int max) {
        long value = wholeNumber();
        if (value < min || value > max) {
            throw fail(value + " is outside " + min + ".." + max);
        }
        return (int) value;
    }

    double number() {
        if (!node.isNumber()) {
            throw fail("'" + node.asText() + "' is not a number");
        }
        double value = node.asDouble();
        if (!Double.isFinite(value)) {
            throw fail("must be a finite number");
        }
        return value;
    }

    double number(double min, double max) {
        double value = number();
        if (value < min || value > max) {
            throw fail(value + " is outside " + min + ".." + max);
        }
        return value;
    }

    /** A probability or a share: 0 to 1. */
    double probability() {
        return number(0, 1);
    }

    LocalDate date() {
        String text = text();
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw fail("'" + text + "' is not a date as YYYY-MM-DD");
        }
    }

    /** A path, resolved against the directory of the file that names it. */
    Path file(Path baseDirectory) {
        return baseDirectory.resolve(text()).normalize();
    }
}
