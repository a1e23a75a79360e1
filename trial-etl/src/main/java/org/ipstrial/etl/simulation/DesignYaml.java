package org.ipstrial.etl.simulation;

import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.ipstrial.randomiser.AllocationRatio;
import org.ipstrial.randomiser.BlockSizeChoice;
import org.ipstrial.randomiser.DesignVersion;
import org.ipstrial.randomiser.RandomisationDesign;
import org.ipstrial.randomiser.Stratum;

/**
 * Reads a randomisation design file in the service's format (config/randomisation-demo.yml,
 * docs/randomisation.md). The service's own reader lives in trial-api, which the ETL must not
 * depend on; this one reads the same fields and leaves every rule to the randomiser's records.
 */
final class DesignYaml {
    private DesignYaml() {}

    static RandomisationDesign read(Path file) {
        ConfigNode root = ConfigNode.read(file).allowOnly("name", "factors", "strata", "levels", "arms", "versions");
        String name = root.required("name").text();
        List<String> factors = root.required("factors").texts();
        List<String> arms = root.required("arms").texts();
        List<Stratum> strata;
        if (root.has("strata") == root.has("levels")) {
            throw root.fail("give either strata (a list of keys such as A/A-OOW) or levels, not both or neither");
        }
        if (root.has("strata")) {
            strata = new ArrayList<>();
            for (ConfigNode key : root.required("strata").list()) {
                strata.add(build(key, () -> Stratum.parse(key.text())));
            }
        } else {
            List<List<String>> levels = new ArrayList<>();
            ConfigNode byFactor = root.required("levels");
            byFactor.entries().values().forEach(l -> levels.add(l.texts()));
            strata = build(byFactor, () -> RandomisationDesign.product(levels));
        }
        List<DesignVersion> versions = new ArrayList<>();
        for (ConfigNode version : root.required("versions").list()) {
            versions.add(version(version, arms));
        }
        return build(root, () -> new RandomisationDesign(name, factors, strata, versions));
    }

    private static DesignVersion version(ConfigNode node, List<String> arms) {
        node.allowOnly("number", "effective_from", "ratio", "block_sizes", "strata");
        int number = node.required("number").integer(1, Integer.MAX_VALUE);
        ConfigNode fromNode = node.required("effective_from");
        Instant from;
        try {
            from = Instant.parse(fromNode.text());
        } catch (DateTimeParseException e) {
            throw fromNode.fail("'" + fromNode.text() + "' is not a UTC time such as 2018-04-01T00:00:00Z");
        }
        AllocationRatio ratio = ratio(node.required("ratio"));
        List<BlockSizeChoice> sizes = sizes(node.required("block_sizes"));
        Map<Stratum, AllocationRatio> ratios = new LinkedHashMap<>();
        Map<Stratum, List<BlockSizeChoice>> sizesByStratum = new LinkedHashMap<>();
        if (node.has("strata")) {
            for (Map.Entry<String, ConfigNode> e : node.required("strata").entries().entrySet()) {
                ConfigNode override = e.getValue().allowOnly("ratio", "block_sizes");
                Stratum stratum = build(override, () -> Stratum.parse(e.getKey()));
                override.optional("ratio").ifPresent(r -> ratios.put(stratum, ratio(r)));
                override.optional("block_sizes").ifPresent(s -> sizesByStratum.put(stratum, sizes(s)));
            }
        }
        return build(node, () -> new DesignVersion(number, from, arms, ratio, ratios, sizes, sizesByStratum));
    }

    private static AllocationRatio ratio(ConfigNode node) {
        Map<String, Integer> weights = new LinkedHashMap<>();
        node.entries().forEach((arm, w) -> weights.put(arm, w.integer(1, 1000)));
        return build(node, () -> new AllocationRatio(weights));
    }

    private static List<BlockSizeChoice> sizes(ConfigNode node) {
        List<BlockSizeChoice> sizes = new ArrayList<>();
        for (ConfigNode item : node.list()) {
            item.allowOnly("size", "weight");
            int size = item.required("size").integer(1, 1000);
            int weight = item.required("weight").integer(0, 1000);
            sizes.add(build(item, () -> new BlockSizeChoice(size, weight)));
        }
        return sizes;
    }

    private static <T> T build(ConfigNode node, Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw node.fail(e.getMessage());
        }
    }
}
