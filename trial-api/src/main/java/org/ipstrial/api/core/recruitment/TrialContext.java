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
import org.ipstrial.definition.TrialDefinition;
import org.ipstrial.randomiser.PermutedBlockRandomiser;
import org.ipstrial.randomiser.RandomisationDesign;
import org.ipstrial.randomiser.RandomisationSecret;
import org.ipstrial.randomiser.Stratum;

/**
 * What every part of the workflow needs to know about the running trial: its definition, the
 * randomisation design and generator, and the clock. Days are in Europe/London, as the trial's are.
 */
public final class TrialContext {
    public static final ZoneId TRIAL_ZONE = ZoneId.of("Europe/London");

    private final TrialDefinition definition;
    private final RandomisationDesign design;
    private final PermutedBlockRandomiser randomiser;
    private final byte[] personKeySecret;
    private final Clock clock;

    public TrialContext(TrialDefinition definition, RandomisationDesign design, RandomisationSecret secret, Clock clock) {
        this.definition = definition;
        this.design = design;
        this.randomiser = new PermutedBlockRandomiser(secret);
        this.clock = clock;
        this.personKeySecret = hmac(secret.bytes(), "ipstrial/person-keys/v1".getBytes(StandardCharsets.UTF_8));
        checkStrata();
    }

    /** Every trial group must be a stratum of the design, or randomising its recruits would fail. */
    private void checkStrata() {
        for (var group : definition.trialGroups()) {
            var site = definition.site(group.site()).orElseThrow();
            for (var area : site.areas()) {
                Stratum stratum = stratumOf(site.code(), area.code(), group.code());
                if (!design.contains(stratum)) {
                    throw new IllegalStateException("The randomisation design '" + design.name() + "' has no stratum "
                            + stratum.key() + " for trial group " + group.code() + " (design factors " + design.factors() + ")");
                }
            }
        }
    }

    /** The stratum of a recruit: the design's factors, in its order, from the recruit's site, area and group. */
    public Stratum stratumOf(String site, String area, String trialGroup) {
        List<String> levels = new ArrayList<>();
        for (String factor : design.factors()) {
            switch (factor) {
                case "site" -> levels.add(site);
                case "area" -> levels.add(area);
                case "trial_group", "trialGroup", "group" -> levels.add(trialGroup);
                default -> throw new IllegalStateException("The design factor '" + factor
                        + "' is not one the service knows (site, area, trial_group)");
            }
        }
        return new Stratum(levels);
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

    public RandomisationDesign design() {
        return design;
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
