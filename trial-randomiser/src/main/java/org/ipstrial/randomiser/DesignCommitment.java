package org.ipstrial.randomiser;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The commitment recorded at go-live: the lower-case hex SHA-256 of a canonical text encoding of
 * the design followed by the secret. Anyone holding the design and the secret can recompute it
 * (the text is plain UTF-8, so {@code sha256sum} does), and so confirm that neither was changed
 * after go-live.
 *
 * <p>The canonical text is one {@code key=value} line per item, each ending in a line feed:
 * <pre>
 * ipstrial-randomisation-design/v1
 * algorithm=ipstrial/permuted-block/v1
 * name=NAME
 * factors=F1,F2
 * stratum=KEY                      (one line per stratum, in the design's order)
 * version=N                        (then, for each version in order:)
 * effective_from=ISO-8601 instant  (java.time.Instant#toString, e.g. 2026-01-05T00:00:00Z)
 * arms=ARM1,ARM2
 * ratio=ARM1:W1,ARM2:W2            (in the arms' order)
 * block_sizes=SIZE:WEIGHT,...      (in the order listed: the order is part of the draw)
 * stratum_ratio=KEY;ARM1:W1,...    (per-stratum overrides, in the design's stratum order)
 * stratum_block_sizes=KEY;SIZE:WEIGHT,...
 * secret=HEX                       (the secret in lower-case hex, last)
 * </pre>
 *
 * <p>A minimisation design has a text of its own, under the same header:
 * <pre>
 * ipstrial-randomisation-design/v1
 * algorithm=ipstrial/minimisation/v1
 * name=NAME
 * stratify_by=F1,F2                (empty after '=' for none)
 * stratum=KEY                      (one line per stratum, in the design's order)
 * factor=NAME;L1,L2,...            (one line per minimisation factor, in order, levels in order)
 * version=N                        (then, for each version in order:)
 * effective_from=ISO-8601 instant
 * arms=ARM1,ARM2
 * ratio=ARM1:W1,ARM2:W2
 * factor_weights=F1:W1,F2:W2       (in the factors' order)
 * imbalance=range|variance
 * minimising_probability=P         (plain decimal without trailing zeros: 0.8, 0.75, 1)
 * secret=HEX
 * </pre>
 */
public final class DesignCommitment {

    static final String HEADER = "ipstrial-randomisation-design/v1";
    static final String ALGORITHM_LINE = "algorithm=ipstrial/permuted-block/v1";
    static final String MINIMISATION_ALGORITHM_LINE = "algorithm=ipstrial/minimisation/v1";

    private DesignCommitment() {}

    /** The commitment of a design and its secret: 64 lower-case hex digits. */
    public static String of(RandomisationSecret secret, RandomisationDesign design) {
        Objects.requireNonNull(secret, "randomisation secret");
        String text = canonicalDesignText(design) + "secret=" + secret.toHex() + "\n";
        return HexFormat.of().formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** The commitment of a minimisation design and its secret. */
    public static String of(RandomisationSecret secret, MinimisationDesign design) {
        Objects.requireNonNull(secret, "randomisation secret");
        return hash(canonicalDesignText(design) + "secret=" + secret.toHex() + "\n");
    }

    /** Whether a recorded commitment (hex, either case) matches this design and secret. */
    public static boolean matches(String recordedCommitment, RandomisationSecret secret, RandomisationDesign design) {
        Objects.requireNonNull(recordedCommitment, "recorded commitment");
        return same(recordedCommitment, of(secret, design));
    }

    /** Whether a recorded commitment matches this minimisation design and secret. */
    public static boolean matches(String recordedCommitment, RandomisationSecret secret, MinimisationDesign design) {
        Objects.requireNonNull(recordedCommitment, "recorded commitment");
        return same(recordedCommitment, of(secret, design));
    }

    private static boolean same(String recordedCommitment, String computedCommitment) {
        byte[] recorded = recordedCommitment.strip().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(recorded, computedCommitment.getBytes(StandardCharsets.US_ASCII));
    }

    private static String hash(String text) {
        return HexFormat.of().formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** The canonical text of a minimisation design, without the secret line. */
    public static String canonicalDesignText(MinimisationDesign design) {
        Objects.requireNonNull(design, "design");
        StringBuilder text = new StringBuilder();
        line(text, HEADER);
        line(text, MINIMISATION_ALGORITHM_LINE);
        line(text, "name=" + design.name());
        line(text, "stratify_by=" + String.join(",", design.stratifyBy()));
        for (Stratum stratum : design.strata()) {
            line(text, "stratum=" + stratum.key());
        }
        for (MinimisationFactor factor : design.factors()) {
            line(text, "factor=" + factor.name() + ";" + String.join(",", factor.levels()));
        }
        for (MinimisationVersion version : design.versions()) {
            line(text, "version=" + version.number());
            line(text, "effective_from=" + version.effectiveFrom());
            line(text, "arms=" + String.join(",", version.arms()));
            line(text, "ratio=" + ratio(version.arms(), version.ratio()));
            line(text, "factor_weights=" + version.factorWeights().entrySet().stream()
                    .map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(",")));
            line(text, "imbalance=" + version.measure().code());
            line(text, "minimising_probability=" + version.probabilityText());
        }
        return text.toString();
    }

    /** The canonical text of the design, without the secret line. */
    public static String canonicalDesignText(RandomisationDesign design) {
        Objects.requireNonNull(design, "design");
        StringBuilder text = new StringBuilder();
        line(text, HEADER);
        line(text, ALGORITHM_LINE);
        line(text, "name=" + design.name());
        line(text, "factors=" + String.join(",", design.factors()));
        for (Stratum stratum : design.strata()) {
            line(text, "stratum=" + stratum.key());
        }
        for (DesignVersion version : design.versions()) {
            line(text, "version=" + version.number());
            line(text, "effective_from=" + version.effectiveFrom());
            line(text, "arms=" + String.join(",", version.arms()));
            line(text, "ratio=" + ratio(version.arms(), version.defaultRatio()));
            line(text, "block_sizes=" + sizes(version.blockSizes()));
            for (Stratum stratum : design.strata()) {
                AllocationRatio ratio = version.ratioByStratum().get(stratum);
                if (ratio != null) {
                    line(text, "stratum_ratio=" + stratum.key() + ";" + ratio(version.arms(), ratio));
                }
            }
            for (Stratum stratum : design.strata()) {
                List<BlockSizeChoice> sizes = version.blockSizesByStratum().get(stratum);
                if (sizes != null) {
                    line(text, "stratum_block_sizes=" + stratum.key() + ";" + sizes(sizes));
                }
            }
        }
        return text.toString();
    }

    private static String ratio(List<String> arms, AllocationRatio ratio) {
        return arms.stream().map(arm -> arm + ":" + ratio.weightOf(arm)).collect(Collectors.joining(","));
    }

    private static String sizes(List<BlockSizeChoice> sizes) {
        return sizes.stream().map(c -> c.size() + ":" + c.weight()).collect(Collectors.joining(","));
    }

    private static void line(StringBuilder text, String line) {
        text.append(line).append('\n');
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK cannot compute SHA-256", e);
        }
    }
}
