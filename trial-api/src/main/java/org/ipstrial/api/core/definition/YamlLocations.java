package org.ipstrial.api.core.definition;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The line of every value in a YAML document, by its JSON pointer ("/sites/0/areas/1/code"), so a
 * semantic error found after binding can still name the line a person has to fix.
 */
public final class YamlLocations {
    private final Map<String, Integer> lineByPointer;

    private YamlLocations(Map<String, Integer> lineByPointer) {
        this.lineByPointer = Map.copyOf(lineByPointer);
    }

    public static YamlLocations of(String yaml) {
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser parser = new YAMLFactory().createParser(yaml)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token == JsonToken.FIELD_NAME) {
                    continue;
                }
                String pointer = parser.getParsingContext().pathAsPointer().toString();
                if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                    pointer = parser.getParsingContext().getParent() == null
                            ? "" : parser.getParsingContext().getParent().pathAsPointer().toString();
                }
                lines.putIfAbsent(pointer, parser.currentLocation().getLineNr());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new YamlLocations(lines);
    }

    /** The line of the value at the pointer, or of its nearest enclosing value, or 1. */
    public int lineOf(String pointer) {
        String p = pointer;
        while (true) {
            Integer line = lineByPointer.get(p);
            if (line != null) {
                return line;
            }
            if (p.isEmpty()) {
                return 1;
            }
            p = p.substring(0, p.lastIndexOf('/'));
        }
    }
}
