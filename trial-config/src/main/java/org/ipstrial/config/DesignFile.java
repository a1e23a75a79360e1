package org.ipstrial.config;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 * A randomisation design file (config/randomisation-demo.yml, docs/randomisation.md), read the same
 * way by the service, its commands and the trial simulation. The randomiser's records check every
 * rule of a design; a refusal names the field of the file it came from.
 */
public final class DesignFile {
    static final String BLOCKS_KIND = "permuted_blocks";
    static final String MINIMISATION_KIND = "minimisation";

    private DesignFile() {}

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

    /** The kind names the record; a file without one is of the first kind, permuted blocks. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.EXISTING_PROPERTY, property = "kind", visible = true)
    @JsonSubTypes({@JsonSubTypes.Type(value = BlocksFile.class, name = BLOCKS_KIND),
        @JsonSubTypes.Type(value = MinimisationFile.class, name = MINIMISATION_KIND)})
    sealed interface Written permits BlocksFile, MinimisationFile {}

    /** The strata: listed as keys (A/A-OOW), or each factor's levels, crossed. */
    interface Stratified {
        List<String> strata();

        Map<String, List<String>> levels();

        default List<Stratum> strataOf(List<String> factors) {
            if ((strata() == null) == (levels() == null)) {
                throw new Problem.Refused(Problem.at("give either strata (a list of stratum keys such as A/A-OOW) or levels "
                        + "(each factor's levels, crossed), not " + (strata() == null ? "neither" : "both"), "strata"));
            }
            if (strata() != null) {
                List<Stratum> strata = new ArrayList<>();
                for (int i = 0; i < strata().size(); i++) {
                    String key = strata().get(i);
                    strata.add(Problem.build(() -> Stratum.parse(key), "strata", i));
                }
                return strata;
            }
            if (!List.copyOf(levels().keySet()).equals(factors)) {
                throw new Problem.Refused(Problem.at("gives levels for " + levels().keySet() + " but the factors are " + factors
                        + " (one entry per factor, in the same order)", "levels"));
            }
            return Problem.build(() -> RandomisationDesign.product(List.copyOf(levels().values())), "levels");
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record BlocksFile(String kind,
            @NotBlank String name, @NotNull List<@NotBlank String> factors, List<@NotBlank String> strata,
            Map<String, List<@NotBlank String>> levels, @NotNull List<@NotBlank String> arms,
            @NotNull @Valid List<@NotNull BlocksVersion> versions) implements Written, Stratified {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record BlocksVersion(@NotNull Integer number, @NotNull Instant effectiveFrom, @NotNull Map<String, @NotNull Integer> ratio,
            @NotNull @Valid List<@NotNull Size> blockSizes, @Valid Map<String, @NotNull Override> strata) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Override(Map<String, @NotNull Integer> ratio, @Valid List<@NotNull Size> blockSizes)
            implements ConfigFile.CrossFieldRules {
        @java.lang.Override
        public List<Problem> problems() {
            return ratio == null && blockSizes == null ? List.of(Problem.at("give a ratio, block_sizes or both")) : List.of();
        }
    }

    record Size(@NotNull Integer size, @NotNull Integer weight) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record MinimisationFile(String kind, @NotBlank String name, List<@NotBlank String> stratifyBy, List<@NotBlank String> strata,
            Map<String, List<@NotBlank String>> levels, @NotNull @Valid List<@NotNull Factor> factors,
            @NotNull List<@NotBlank String> arms, @NotNull @Valid List<@NotNull MinimisationVersionFile> versions)
            implements Written, Stratified, ConfigFile.CrossFieldRules {
        @java.lang.Override
        public List<Problem> problems() {
            if (stratifyBy != null && !stratifyBy.isEmpty()) {
                return List.of();
            }
            return (strata != null ? List.of("strata") : levels != null ? List.of("levels") : List.<String>of()).stream()
                    .map(field -> Problem.at("a design without stratify_by has the one stratum " + MinimisationDesign.UNSTRATIFIED.key()
                            + ": give stratify_by, or leave " + field + " out", field)).toList();
        }
    }

    record Factor(@NotBlank String name, @NotNull List<@NotBlank String> levels) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record MinimisationVersionFile(@NotNull Integer number, @NotNull Instant effectiveFrom, @NotNull Map<String, @NotNull Integer> ratio,
            @NotNull Map<String, @NotNull Integer> factorWeights, @NotBlank String imbalance, @NotNull BigDecimal minimisingProbability) {}

    /** Reads a permuted-block design; a design of another kind is refused, naming it. */
    public static RandomisationDesign read(Path file) {
        return ConfigFile.of(Written.class).read(file, written -> blocksOnly(design(written)));
    }

    public static Read readAny(Path file) {
        return ConfigFile.of(Written.class).read(file, DesignFile::design);
    }

    public static RandomisationDesign parse(Reader reader, String source) {
        return ConfigFile.of(Written.class).parse(text(reader), source, written -> blocksOnly(design(written)));
    }

    public static Read parseAny(Reader reader, String source) {
        return ConfigFile.of(Written.class).parse(text(reader), source, DesignFile::design);
    }

    private static String text(Reader reader) {
        java.io.StringWriter text = new java.io.StringWriter();
        try {
            reader.transferTo(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private static RandomisationDesign blocksOnly(Read read) {
        if (read instanceof Read.Blocks blocks) {
            return blocks.design();
        }
        throw new Problem.Refused(Problem.at("design " + read.name() + " is a " + MINIMISATION_KIND + " design; this reader takes "
                + BLOCKS_KIND + " designs only (the service, scripts/allocation-list and scripts/design-diagnostics read both kinds)", "kind"));
    }

    private static Read design(Written written) {
        if (written instanceof MinimisationFile file) {
            List<Stratum> strata = file.stratifyBy() == null || file.stratifyBy().isEmpty() ? List.of(MinimisationDesign.UNSTRATIFIED)
                    : file.strataOf(file.stratifyBy());
            List<MinimisationFactor> factors = new ArrayList<>();
            for (int i = 0; i < file.factors().size(); i++) {
                Factor factor = file.factors().get(i);
                factors.add(Problem.build(() -> new MinimisationFactor(factor.name(), factor.levels()), "factors", i));
            }
            List<MinimisationVersion> versions = new ArrayList<>();
            for (int i = 0; i < file.versions().size(); i++) {
                MinimisationVersionFile v = file.versions().get(i);
                AllocationRatio ratio = Problem.build(() -> new AllocationRatio(v.ratio()), "versions", i, "ratio");
                ImbalanceMeasure measure = Problem.build(() -> ImbalanceMeasure.ofCode(v.imbalance()), "versions", i, "imbalance");
                versions.add(Problem.build(() -> new MinimisationVersion(v.number(), v.effectiveFrom(), file.arms(), ratio,
                        v.factorWeights(), measure, v.minimisingProbability()), "versions", i));
            }
            return new Read.Minimisation(Problem.build(() -> new MinimisationDesign(file.name(),
                    Objects.requireNonNullElse(file.stratifyBy(), List.of()), strata, factors, versions)));
        }
        BlocksFile file = (BlocksFile) written;
        List<Stratum> strata = file.strataOf(file.factors());
        List<DesignVersion> versions = new ArrayList<>();
        for (int i = 0; i < file.versions().size(); i++) {
            versions.add(version(file.versions().get(i), i, file.arms(), strata));
        }
        return new Read.Blocks(Problem.build(() -> new RandomisationDesign(file.name(), file.factors(), strata, versions)));
    }

    private static DesignVersion version(BlocksVersion v, int i, List<String> arms, List<Stratum> strata) {
        AllocationRatio ratio = Problem.build(() -> new AllocationRatio(v.ratio()), "versions", i, "ratio");
        List<BlockSizeChoice> sizes = sizes(v.blockSizes(), "versions", i, "block_sizes");
        Map<Stratum, AllocationRatio> ratioByStratum = new LinkedHashMap<>();
        Map<Stratum, List<BlockSizeChoice>> sizesByStratum = new LinkedHashMap<>();
        Objects.requireNonNullElse(v.strata(), Map.<String, Override>of()).forEach((key, override) -> {
            Stratum stratum = Problem.build(() -> Stratum.parse(key), "versions", i, "strata", key);
            if (!strata.contains(stratum)) {
                throw new Problem.Refused(Problem.at("is not one of the design's strata " + strata.stream().map(Stratum::key).toList(),
                        "versions", i, "strata", key));
            }
            if (override.ratio() != null) {
                ratioByStratum.put(stratum, Problem.build(() -> new AllocationRatio(override.ratio()), "versions", i, "strata", key, "ratio"));
            }
            if (override.blockSizes() != null) {
                sizesByStratum.put(stratum, sizes(override.blockSizes(), "versions", i, "strata", key, "block_sizes"));
            }
        });
        return Problem.build(() -> new DesignVersion(v.number(), v.effectiveFrom(), arms, ratio, ratioByStratum, sizes, sizesByStratum),
                "versions", i);
    }

    private static List<BlockSizeChoice> sizes(List<Size> sizes, Object... at) {
        List<BlockSizeChoice> choices = new ArrayList<>();
        for (int j = 0; j < sizes.size(); j++) {
            Size size = sizes.get(j);
            List<Object> path = new ArrayList<>(List.of(at));
            path.add(j);
            choices.add(Problem.build(() -> new BlockSizeChoice(size.size(), size.weight()), path.toArray()));
        }
        return choices;
    }
}
