package org.ipstrial.api.core.design;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.ipstrial.api.core.design.YamlTree.Mapping;
import org.ipstrial.api.core.design.YamlTree.Node;
import org.ipstrial.api.core.design.YamlTree.Scalar;
import org.ipstrial.api.core.design.YamlTree.Sequence;
import org.ipstrial.randomiser.AllocationRatio;
import org.ipstrial.randomiser.BlockSizeChoice;
import org.ipstrial.randomiser.DesignVersion;
import org.ipstrial.randomiser.RandomisationDesign;
import org.ipstrial.randomiser.Stratum;

/**
 * Reads a randomisation design from YAML (see config/randomisation-demo.yml for the format, and
 * docs/randomisation.md). Every error names the file, the line and the field, and nothing is
 * guessed: an unknown field is an error, so a misspelt {@code block_size} cannot silently fall back
 * to a default.
 */
public final class DesignFile {

    private static final Set<String> DESIGN_FIELDS = Set.of("name", "factors", "strata", "levels", "arms", "versions");
    private static final Set<String> VERSION_FIELDS = Set.of("number", "effective_from", "ratio", "block_sizes", "strata");
    private static final Set<String> OVERRIDE_FIELDS = Set.of("ratio", "block_sizes");
    private static final Set<String> SIZE_FIELDS = Set.of("size", "weight");

    private final String source;

    private DesignFile(String source) {
        this.source = source;
    }

    /** Reads and validates the design in a file. */
    public static RandomisationDesign read(Path path) {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new DesignInputException("design file " + path + " does not exist");
        } catch (CharacterCodingException e) {
            throw new DesignInputException("design file " + path + " is not UTF-8 text");
        } catch (IOException e) {
            throw new DesignInputException("design file " + path + " cannot be read: " + e.getMessage(), e);
        }
        return parse(new StringReader(text), path.toString());
    }

    /** Reads and validates a design; {@code source} names it in errors. */
    public static RandomisationDesign parse(Reader reader, String source) {
        return new DesignFile(source).design(YamlTree.read(reader, source));
    }

    private RandomisationDesign design(Node root) {
        Mapping design = mapping(root, "the design");
        allowOnly(design, DESIGN_FIELDS, "");
        String name = text(required(design, "name", ""), "name");
        List<String> factors = texts(required(design, "factors", ""), "factors");
        List<Stratum> strata = strata(design, factors);
        List<String> arms = texts(required(design, "arms", ""), "arms");
        Sequence versionNodes = sequence(required(design, "versions", ""), "versions");
        List<DesignVersion> versions = new ArrayList<>();
        for (int i = 0; i < versionNodes.items().size(); i++) {
            versions.add(version(versionNodes.items().get(i), "versions[" + i + "]", arms, strata));
        }
        return build(design.line(), "design", () -> new RandomisationDesign(name, factors, strata, versions));
    }

    private List<Stratum> strata(Mapping design, List<String> factors) {
        Node listed = design.entries().get("strata");
        Node levels = design.entries().get("levels");
        if ((listed == null) == (levels == null)) {
            throw fail(design.line(), "strata",
                    "give either strata (a list of stratum keys such as A/A-OOW) or levels (each factor's levels, "
                            + "crossed), not " + (listed == null ? "neither" : "both"));
        }
        if (listed != null) {
            Sequence keys = sequence(listed, "strata");
            List<Stratum> strata = new ArrayList<>();
            for (int i = 0; i < keys.items().size(); i++) {
                strata.add(stratum(keys.items().get(i), "strata[" + i + "]"));
            }
            return strata;
        }
        Mapping byFactor = mapping(levels, "levels");
        if (!List.copyOf(byFactor.entries().keySet()).equals(factors)) {
            throw fail(byFactor.line(), "levels", "gives levels for " + byFactor.entries().keySet()
                    + " but the factors are " + factors + " (one entry per factor, in the same order)");
        }
        List<List<String>> levelsByFactor = new ArrayList<>();
        byFactor.entries().forEach((factor, node) -> levelsByFactor.add(texts(node, "levels." + factor)));
        return build(byFactor.line(), "levels", () -> RandomisationDesign.product(levelsByFactor));
    }

    private DesignVersion version(Node node, String field, List<String> arms, List<Stratum> strata) {
        Mapping version = mapping(node, field);
        allowOnly(version, VERSION_FIELDS, field + ".");
        int number = integer(required(version, "number", field + "."), field + ".number");
        Node fromNode = required(version, "effective_from", field + ".");
        String from = text(fromNode, field + ".effective_from");
        Instant effectiveFrom;
        try {
            effectiveFrom = Instant.parse(from);
        } catch (DateTimeParseException e) {
            throw fail(fromNode.line(), field + ".effective_from",
                    "'" + from + "' is not a UTC time such as 2026-01-05T09:00:00Z");
        }
        AllocationRatio ratio = ratio(required(version, "ratio", field + "."), field + ".ratio");
        List<BlockSizeChoice> sizes = blockSizes(required(version, "block_sizes", field + "."), field + ".block_sizes");
        Map<Stratum, AllocationRatio> ratioByStratum = new LinkedHashMap<>();
        Map<Stratum, List<BlockSizeChoice>> sizesByStratum = new LinkedHashMap<>();
        Node overrides = version.entries().get("strata");
        if (overrides != null) {
            Mapping byStratum = mapping(overrides, field + ".strata");
            for (Map.Entry<String, Node> entry : byStratum.entries().entrySet()) {
                String overrideField = field + ".strata." + entry.getKey();
                Stratum stratum = build(entry.getValue().line(), overrideField, () -> Stratum.parse(entry.getKey()));
                if (!strata.contains(stratum)) {
                    throw fail(entry.getValue().line(), overrideField, "is not one of the design's strata "
                            + strata.stream().map(Stratum::key).toList());
                }
                Mapping override = mapping(entry.getValue(), overrideField);
                allowOnly(override, OVERRIDE_FIELDS, overrideField + ".");
                if (override.entries().isEmpty()) {
                    throw fail(override.line(), overrideField, "give a ratio, block_sizes or both");
                }
                Node overrideRatio = override.entries().get("ratio");
                if (overrideRatio != null) {
                    ratioByStratum.put(stratum, ratio(overrideRatio, overrideField + ".ratio"));
                }
                Node overrideSizes = override.entries().get("block_sizes");
                if (overrideSizes != null) {
                    sizesByStratum.put(stratum, blockSizes(overrideSizes, overrideField + ".block_sizes"));
                }
            }
        }
        return build(version.line(), field,
                () -> new DesignVersion(number, effectiveFrom, arms, ratio, ratioByStratum, sizes, sizesByStratum));
    }

    private AllocationRatio ratio(Node node, String field) {
        Mapping weights = mapping(node, field);
        Map<String, Integer> byArm = new LinkedHashMap<>();
        weights.entries().forEach((arm, weight) -> byArm.put(arm, integer(weight, field + "." + arm)));
        return build(weights.line(), field, () -> new AllocationRatio(byArm));
    }

    private List<BlockSizeChoice> blockSizes(Node node, String field) {
        Sequence items = sequence(node, field);
        List<BlockSizeChoice> sizes = new ArrayList<>();
        for (int i = 0; i < items.items().size(); i++) {
            String itemField = field + "[" + i + "]";
            Mapping item = mapping(items.items().get(i), itemField);
            allowOnly(item, SIZE_FIELDS, itemField + ".");
            int size = integer(required(item, "size", itemField + "."), itemField + ".size");
            int weight = integer(required(item, "weight", itemField + "."), itemField + ".weight");
            sizes.add(build(item.line(), itemField, () -> new BlockSizeChoice(size, weight)));
        }
        return sizes;
    }

    private Stratum stratum(Node node, String field) {
        String key = text(node, field);
        return build(node.line(), field, () -> Stratum.parse(key));
    }

    private <T> T build(int line, String field, Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw fail(line, field, e.getMessage());
        }
    }

    private Mapping mapping(Node node, String field) {
        if (node instanceof Mapping mapping) {
            return mapping;
        }
        throw fail(node.line(), field, "expected a mapping of names to values");
    }

    private Sequence sequence(Node node, String field) {
        if (node instanceof Sequence sequence) {
            return sequence;
        }
        throw fail(node.line(), field, "expected a list");
    }

    private String text(Node node, String field) {
        if (node instanceof Scalar scalar && scalar.text() != null) {
            return scalar.text();
        }
        throw fail(node.line(), field, node instanceof Scalar ? "has no value" : "expected a single value");
    }

    private List<String> texts(Node node, String field) {
        Sequence sequence = sequence(node, field);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < sequence.items().size(); i++) {
            texts.add(text(sequence.items().get(i), field + "[" + i + "]"));
        }
        return texts;
    }

    private int integer(Node node, String field) {
        String text = text(node, field);
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw fail(node.line(), field, "'" + text + "' is not a whole number");
        }
    }

    private Node required(Mapping mapping, String key, String prefix) {
        Node node = mapping.entries().get(key);
        if (node == null) {
            throw fail(mapping.line(), prefix + key, "is missing");
        }
        return node;
    }

    private void allowOnly(Mapping mapping, Set<String> allowed, String prefix) {
        for (Map.Entry<String, Node> entry : mapping.entries().entrySet()) {
            if (!allowed.contains(entry.getKey())) {
                throw fail(entry.getValue().line(), prefix + entry.getKey(),
                        "is not a field here (expected one of " + allowed.stream().sorted().toList() + ")");
            }
        }
    }

    private DesignInputException fail(int line, String field, String problem) {
        return new DesignInputException(source + " line " + line + ": " + field + ": " + problem);
    }
}
