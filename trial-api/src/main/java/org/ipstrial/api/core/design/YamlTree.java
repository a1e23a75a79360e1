package org.ipstrial.api.core.design;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as a small tree that remembers the line of every node, so an error can name the
 * line of the field at fault (Jackson's own tree forgets locations). Scalars stay text: the reader
 * of each field parses and checks it.
 */
final class YamlTree {

    sealed interface Node permits Scalar, Sequence, Mapping {
        int line();
    }

    /** A scalar; {@code text} is null for an empty value ({@code key:} with nothing after it). */
    record Scalar(String text, int line) implements Node {}

    record Sequence(List<Node> items, int line) implements Node {}

    record Mapping(Map<String, Node> entries, int line) implements Node {}

    private YamlTree() {}

    /** Reads one YAML document; {@code source} names it in errors. */
    static Node read(Reader reader, String source) {
        try (JsonParser parser = new YAMLFactory().createParser(reader)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new DesignInputException(source + ": the file is empty");
            }
            return node(parser, source);
        } catch (JsonProcessingException e) {
            JsonLocation location = e.getLocation();
            String line = location == null ? "" : " line " + location.getLineNr();
            throw new DesignInputException(source + line + ": not valid YAML: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new DesignInputException(source + ": cannot be read: " + e.getMessage(), e);
        }
    }

    private static Node node(JsonParser parser, String source) throws IOException {
        int line = parser.currentTokenLocation().getLineNr();
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT -> {
                Map<String, Node> entries = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    int keyLine = parser.currentTokenLocation().getLineNr();
                    parser.nextToken();
                    if (entries.put(key, node(parser, source)) != null) {
                        throw new DesignInputException(source + " line " + keyLine + ": " + key + " is given twice");
                    }
                }
                return new Mapping(Collections.unmodifiableMap(entries), line);
            }
            case START_ARRAY -> {
                List<Node> items = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    items.add(node(parser, source));
                }
                return new Sequence(List.copyOf(items), line);
            }
            case VALUE_NULL -> {
                return new Scalar(null, line);
            }
            default -> {
                if (token.isScalarValue()) {
                    return new Scalar(parser.getText(), line);
                }
                throw new DesignInputException(source + " line " + line + ": unexpected " + token);
            }
        }
    }
}
