package org.ipstrial.api.core.design;

import java.io.IOException;
import java.math.BigDecimal;
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
import org.ipstrial.randomiser.ImbalanceMeasure;
import org.ipstrial.randomiser.MinimisationDesign;
import org.ipstrial.randomiser.MinimisationFactor;
import org.ipstrial.randomiser.MinimisationVersion;
import org.ipstrial.randomiser.RandomisationDesign;
import org.ipstrial.randomiser.Stratum;

/**
 * Reads a randomisation design from YAML (see config/randomisation-demo.yml for the format, and
 * docs/randomisation.md). Every error names the file, the line and the field, and nothing is
 * guessed: an unknown field is an error, so a misspelt {@code block_size} cannot silently fall back
 * to a default.
 */
public final class DesignFile {

    private static final Set<String> DESIGN_FIELDS =
            Set.of("kind", "name", "factors", "strata", "levels", "arms", "versions");
    private static final Set<String> MINIMISATION_FIELDS =
            Set.of("kind", "name", "stratify_by", "strata", "levels", "factors", "arms", "versions");
    private static final Set<String> MINIMISATION_VERSION_FIELDS =
            Set.of("number", "effective_from", "ratio", "factor_weights", "imbalance", "minimising_probability");
    private static final Set<String> FACTOR_FIELDS = Set.of("name", "levels");
    static final String BLOCKS_KIND = "permuted_blocks";
    static final String MINIMISATION_KIND = "minimisation";

    /** A design file of either kind. */
    public sealed interface Read {
        String name();

        List<String> arms();

        /** {@code kind: permuted_blocks} (the default). */
        record Blocks(RandomisationDesign design) implements Read {
            public String name() {
                return design.name();
            }

            public List<String> arms() {
                return design.arms();
            }
        }

        /** {@code kind: minimisation}. */
        record Minimisation(MinimisationDesign design) implements Read {
            public String name() {
                return design.name();
            }

            public List<String> arms() {
                return design.arms();
            }
        }
    }
    private static final Set<String> VERSION_FIELDS = Set.of("number", "effective_from", "ratio", "block_sizes", "strata");
    private static final Set<String> OVERRIDE_FIELDS = Set.of("ratio", "block_sizes");
    private static final Set<String> SIZE_FIELDS = Set.of("size", "weight");

    private final String source;

    private DesignFile(String source) {
        this.source = source;
    }

    /** Reads and validates a permuted-block design in a file; a design of another kind is refused, naming it. */
    public static RandomisationDesign read(Path path) {
        return blocksOnly(readAny(path), path.toString());
    }

    /** Reads and validates a design of either kind in a file. */
    public static Read readAny(Path path) {
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
        return parseAny(new StringReader(text), path.toString());
    }

    /** Reads and validates a permuted-block design; {@code source} names it in errors. */
    public static RandomisationDesign parse(Reader reader, String source) {
        return blocksOnly(parseAny(reader, source), source);
    }

    /** Reads and validates a design of either kind; {@code source} names it in errors. */
    public static Read parseAny(Reader reader, String source) {
        return new DesignFile(source).any(YamlTree.read(reader, source));
    }

    private static RandomisationDesign blocksOnly(Read read, String source) {
        if (read instanceof Read.Blocks blocks) {
            return blocks.design();
        }
        throw new DesignInputException(source + ": kind: design " + read.name() + " is a " + MINIMISATION_KIND
                + " design; the service runs " + BLOCKS_KIND + " designs only so far (scripts/allocation-list and "
                + "scripts/design-diagnostics read both kinds)");
    }

    private Read any(Node root) {
        Mapping design = mapping(root, "the design");
        Node kind = design.entries().get("kind");
        String kindText = kind == null ? BLOCKS_KIND : text(kind, "kind");
        return switch (kindText) {
            case BLOCKS_KIND -> new Read.Blocks(design(design));
            case MINIMISATION_KIND -> new Read.Minimisation(minimisation(design));
            default -> throw fail(kind.line(), "kind", "'" + kindText + "' is not a design kind (expected one of ["
                    + MINIMISATION_KIND + ", " + BLOCKS_KIND + "])");
        };
    }

    private MinimisationDesign minimisation(Mapping design) {
        allowOnly(design, MINIMISATION_FIELDS, "");
        String name = text(required(design, "name", ""), "name");
        Node stratifyNode = design.entries().get("stratify_by");
        List<String> stratifyBy = stratifyNode == null ? List.of() : texts(stratifyNode, "stratify_by");
        List<Stratum> strata;
        if (stratifyBy.isEmpty()) {
            for (String field : List.of("strata", "levels")) {
                Node node = design.entries().get(field);
                if (node != null) {
                    throw fail(node.line(), field, "a design without stratify_by has the one stratum "
                            + MinimisationDesign.UNSTRATIFIED.key() + ": give stratify_by, or leave " + field + " out");
                }
            }
            strata = List.of(MinimisationDesign.UNSTRATIFIED);
        } else {
            strata = strata(design, stratifyBy);
        }
        Sequence factorNodes = sequence(required(design, "factors", ""), "factors");
        List<MinimisationFactor> factors = new ArrayList<>();
        for (int i = 0; i < factorNodes.items().size(); i++) {
            String field = "factors[" + i + "]";
            Mapping factor = mapping(factorNodes.items().get(i), field);
            allowOnly(factor, FACTOR_FIELDS, field + ".");
            String factorName = text(required(factor, "name", field + "."), field + ".name");
            List<String> levels = texts(required(factor, "levels", field + "."), field + ".levels");
            factors.add(build(factor.line(), field, () -> new MinimisationFactor(factorName, levels)));
        }
        List<String> arms = texts(required(design, "arms", ""), "arms");
        Sequence versionNodes = sequence(required(design, "versions", ""), "versions");
        List<MinimisationVersion> versions = new ArrayList<>();
        for (int i = 0; i < versionNodes.items().size(); i++) {
            versions.add(minimisationVersion(versionNodes.items().get(i), "versions[" + i + "]", arms));
        }
        return build(design.line(), "design",
                () -> new MinimisationDesign(name, stratifyBy, strata, factors, versions));
    }

    private MinimisationVersion minimisationVersion(Node node, String field, List<String> arms) {
        Mapping version = mapping(node, field);
        allowOnly(version, MINIMISATION_VERSION_FIELDS, field + ".");
        int number = integer(required(version, "number", field + "."), field + ".number");
        Instant effectiveFrom = instant(required(version, "effective_from", field + "."), field + ".effective_from");
        AllocationRatio ratio = ratio(required(version, "ratio", field + "."), field + ".ratio");
        Mapping weightNodes = mapping(required(version, "factor_weights", field + "."), field + ".factor_weights");
        Map<String, Integer> weights = new LinkedHashMap<>();
        weightNodes.entries().forEach((factor, weight) ->
                weights.put(factor, integer(weight, field + ".factor_weights." + factor)));
        Node measureNode = required(version, "imbalance", field + ".");
        String measureText = text(measureNode, field + ".imbalance");
        ImbalanceMeasure measure = build(measureNode.line(), field + ".imbalance", () -> ImbalanceMeasure.ofCode(measureText));
        Node probabilityNode = required(version, "minimising_probability", field + ".");
        String probabilityText = text(probabilityNode, field + ".minimising_probability");
        BigDecimal probability;
        try {
            probability = new BigDecimal(probabilityText);
        } catch (NumberFormatException e) {
            throw fail(probabilityNode.line(), field + ".minimising_probability",
                    "'" + probabilityText + "' is not a decimal number such as 0.8");
        }
        return build(version.line(), field,
                () -> new MinimisationVersion(number, effectiveFrom, arms, ratio, weights, measure, probability));
    }

    private Instant instant(Node node, String field) {
        String text = text(node, field);
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw fail(node.line(), field, "'" + text + "' is not a UTC time such as 2026-01-05T09:00:00Z");
        }
    }

    private RandomisationDesign design(Mapping design) {
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
