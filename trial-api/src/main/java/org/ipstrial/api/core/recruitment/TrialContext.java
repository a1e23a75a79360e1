package org.ipstrial.api.core.recruitment;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.ipstrial.config.DesignFile;
import org.ipstrial.definition.TrialDefinition;
import org.ipstrial.randomiser.MinimisationDesign;
import org.ipstrial.randomiser.MinimisationFactor;
import org.ipstrial.randomiser.MinimisationRandomiser;
import org.ipstrial.randomiser.PermutedBlockRandomiser;
import org.ipstrial.randomiser.RandomisationDesign;
import org.ipstrial.randomiser.RandomisationSecret;
import org.ipstrial.randomiser.Stratum;

/**
 * What every part of the workflow needs to know about the running trial: its definition, the
 * randomisation design (permuted blocks or minimisation, one kind for the trial's life) and its
 * generator, and the clock. Days are in Europe/London, as the trial's are.
 */
public final class TrialContext {
    public static final ZoneId TRIAL_ZONE = ZoneId.of("Europe/London");

    private final TrialDefinition definition;
    /** The block design, or null under minimisation. */
    private final RandomisationDesign design;
    /** The minimisation design, or null under permuted blocks. */
    private final MinimisationDesign minimisation;
    private final DesignFile.Read designFile;
    private final PermutedBlockRandomiser randomiser;
    private final MinimisationRandomiser minimiser;
    private final byte[] personKeySecret;
    private final Clock clock;

    public TrialContext(TrialDefinition definition, RandomisationDesign design, RandomisationSecret secret, Clock clock) {
        this(definition, new DesignFile.Read.Blocks(design), secret, clock);
    }

    /** A trial under a design file of either kind ({@code DesignFile.readAny}). */
    public TrialContext(TrialDefinition definition, DesignFile.Read design, RandomisationSecret secret, Clock clock) {
        this.definition = definition;
        this.designFile = design;
        this.design = design instanceof DesignFile.Read.Blocks blocks ? blocks.design() : null;
        this.minimisation = design instanceof DesignFile.Read.Minimisation m ? m.design() : null;
        this.randomiser = new PermutedBlockRandomiser(secret);
        this.minimiser = new MinimisationRandomiser(secret);
        this.clock = clock;
        this.personKeySecret = hmac(secret.bytes(), "ipstrial/person-keys/v1".getBytes(StandardCharsets.UTF_8));
        checkStrata();
        checkMinimisationFactors();
    }

    /** Every trial group must be a stratum of the design, or randomising its recruits would fail. */
    private void checkStrata() {
        for (var group : definition.trialGroups()) {
            var site = definition.site(group.site()).orElseThrow();
            for (var area : site.areas()) {
                Stratum stratum = stratumOf(site.code(), area.code(), group.code());
                if (!contains(stratum)) {
                    throw new IllegalStateException("The randomisation design '" + designName() + "' has no stratum "
                            + stratum.key() + " for trial group " + group.code() + " (design factors " + stratumFactors() + ")");
                }
            }
        }
    }

    /**
     * Every minimisation factor must be one the service can read from a recruit: site, area, trial
     * group, a single-choice or whole-number baseline item, or a screening question (levels
     * {@code true} and {@code false}). Refused at start, naming the factor, rather than at the first
     * randomisation.
     */
    private void checkMinimisationFactors() {
        if (minimisation == null) {
            return;
        }
        for (MinimisationFactor factor : minimisation.factors()) {
            String name = factor.name();
            if (STRATUM_FACTORS.contains(name) || isScreeningQuestion(name)) {
                continue;
            }
            var item = definition.baseline().item(name);
            if (item.isEmpty()) {
                throw new IllegalStateException("The minimisation factor '" + name + "' of design '" + designName()
                        + "' is none the service can read: site, area, trial_group, a baseline item or a screening question");
            }
            if (item.get().type() == TrialDefinition.ItemType.multi) {
                throw new IllegalStateException("The minimisation factor '" + name + "' of design '" + designName()
                        + "' is a multiple-choice baseline item: a recruit has no one level of it");
            }
        }
    }

    private static final java.util.Set<String> STRATUM_FACTORS = java.util.Set.of("site", "area", "trial_group");

    private boolean isScreeningQuestion(String id) {
        return definition.eligibility().stream().anyMatch(rules -> rules.questions().stream().anyMatch(q -> q.id().equals(id)));
    }

    /** The factors a stratum is made of: the block design's, or the minimisation's {@code stratify_by}. */
    private List<String> stratumFactors() {
        return design != null ? design.factors() : minimisation.stratifyBy();
    }

    private boolean contains(Stratum stratum) {
        return design != null ? design.contains(stratum) : minimisation.contains(stratum);
    }

    /** The stratum of a recruit: the design's factors, in its order, from the recruit's site, area and group. */
    public Stratum stratumOf(String site, String area, String trialGroup) {
        if (design == null && minimisation.stratifyBy().isEmpty()) {
            return MinimisationDesign.UNSTRATIFIED;
        }
        List<String> levels = new ArrayList<>();
        for (String factor : stratumFactors()) {
            levels.add(recruitLevel(factor, site, area, trialGroup).orElseThrow(() -> new IllegalStateException(
                    "The design factor '" + factor + "' is not one the service knows (site, area, trial_group)")));
        }
        return new Stratum(levels);
    }

    private static Optional<String> recruitLevel(String factor, String site, String area, String trialGroup) {
        return switch (factor) {
            case "site" -> Optional.of(site);
            case "area" -> Optional.of(area);
            case "trial_group", "trialGroup", "group" -> Optional.of(trialGroup);
            default -> Optional.empty();
        };
    }

    /**
     * A recruit's level of each minimisation factor, in the design's order, as the design names
     * them: site, area and trial group from the recruit, other factors from the screening answers
     * ({@code true}/{@code false}) or the baseline answers (the code as text). A factor the recruit
     * has no answer to is left out; whether each level is one of the design's is the caller's check.
     */
    public Map<String, String> minimisationLevels(String site, String area, String trialGroup, Map<String, ?> screeningAnswers,
            Map<String, ?> baselineAnswers) {
        Map<String, String> levels = new LinkedHashMap<>();
        for (MinimisationFactor factor : minimisation().orElseThrow().factors()) {
            Optional<String> level = recruitLevel(factor.name(), site, area, trialGroup);
            Object answer = isScreeningQuestion(factor.name()) ? screeningAnswers.get(factor.name()) : baselineAnswers.get(factor.name());
            if (level.isEmpty() && (answer instanceof String || answer instanceof Number || answer instanceof Boolean)) {
                level = Optional.of(answer.toString());
            }
            level.ifPresent(l -> levels.put(factor.name(), l));
        }
        return levels;
    }

    /** Where a factor's level comes from, as the request field a user would correct: site, screening.Q or baseline.ITEM. */
    public String minimisationFactorField(String factor) {
        if (recruitLevel(factor, "", "", "").isPresent()) {
            return factor;
        }
        return (isScreeningQuestion(factor) ? "screening." : "baseline.") + factor;
    }

    /** A keyed hash of something that identifies a person, for the never-twice rule. */
    public byte[] personKey(String kind, String value) {
        return hmac(personKeySecret, (kind + ":" + value).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] hmac(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    public TrialDefinition definition() {
        return definition;
    }

    /** The permuted-block design; a trial under minimisation has none ({@link #minimisation()}). */
    public RandomisationDesign design() {
        if (design == null) {
            throw new IllegalStateException("design '" + minimisation.name() + "' is a minimisation design, not permuted blocks");
        }
        return design;
    }

    /** The minimisation design, when the trial runs one; empty under permuted blocks. */
    public Optional<MinimisationDesign> minimisation() {
        return Optional.ofNullable(minimisation);
    }

    /** The design as read, of either kind. */
    public DesignFile.Read designFile() {
        return designFile;
    }

    public MinimisationRandomiser minimiser() {
        return minimiser;
    }

    public String designName() {
        return design != null ? design.name() : minimisation.name();
    }

    /** The arms, in the design's order, whichever the kind. */
    public List<String> arms() {
        return design != null ? design.arms() : minimisation.arms();
    }

    /** The strata's keys, in the design's order. */
    public List<String> strataKeys() {
        return (design != null ? design.strata() : minimisation.strata()).stream().map(Stratum::key).toList();
    }

    /** The number of the design version in force at a moment. */
    public int versionInForceAt(java.time.Instant moment) {
        return design != null ? design.versionInForceAt(moment).number() : minimisation.versionInForceAt(moment).number();
    }

    /** When version 1 came into force. */
    public java.time.Instant goLive() {
        return design != null ? design.versions().get(0).effectiveFrom() : minimisation.versions().get(0).effectiveFrom();
    }

    public PermutedBlockRandomiser randomiser() {
        return randomiser;
    }

    public Clock clock() {
        return clock;
    }

    public LocalDate today() {
        return LocalDate.now(clock.withZone(TRIAL_ZONE));
    }
}
