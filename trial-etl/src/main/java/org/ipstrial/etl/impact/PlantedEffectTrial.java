package org.ipstrial.etl.impact;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.io.StringReader;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.ipstrial.config.DesignFile;
import org.ipstrial.randomiser.MarginalTotals;
import org.ipstrial.randomiser.MinimisationDesign;
import org.ipstrial.randomiser.MinimisationRandomiser;
import org.ipstrial.randomiser.MinimisedAllocation;
import org.ipstrial.randomiser.RandomisationSecret;
import org.ipstrial.randomiser.Stratum;

/**
 * A small, seeded generator of analysis datasets with known ("planted") intention-to-treat
 * effects, in the columns of {@code analysis.csv}, for the simulation study, the benchmark and the
 * impact analysis's own tests. It is not the trial simulator (which produces raw provider files):
 * it goes straight to the linked, derived dataset so that the analysis can be checked against a
 * truth it knows exactly.
 *
 * <p>Each effect is exact in expectation: a binary outcome's probability is p0 + effect with p0
 * held inside [0.10, 0.85]; months employed is Binomial(12, p0 + effect / 12); earnings add
 * effect x m with m equal to 0 or 2 with even odds (so individual effects vary, their mean is the
 * planted effect); survey scores are continuous (not rounded) plus the effect. Survey response
 * depends on arm and baseline covariates (missing at random given them), so the unweighted
 * difference among respondents may be biased and the weighted, adjusted estimate is not. Work in
 * the last two years is a baseline item coded 1 always, 2 more than half, 3 less than half,
 * 4 not at all (the trial service's codes), as the ETL carries items ({@code m0_} prefix); {@code randomisation_month} is
 * {@code YYYY-MM} as the ETL writes it.
 *
 * <p>With delivery ({@link #writeWithDelivery}), everyone also has a complier type: a complier
 * attends at least one support session when offered it (the share by trial group is the reference
 * trial's 92%, 86%, 96% of the treatment group, moved by work history and baseline health), and
 * only compliers who are offered support get the effect, so the planted effects are effects among
 * compliers (complier average causal effects) and the exclusion restriction holds by
 * construction; the intention-to-treat effect is the complier share times them. Compliers are also
 * more employable whatever their arm (p0 + 0.06), so comparing those who attended with everyone
 * else would be biased; only the instrument recovers the planted effect. The treatment received is
 * the column {@code delivery_engaged}: 1 for a treated complier, 0 otherwise, empty for 1% of the
 * treatment arm (absent from the service's file). Without delivery, the stream of random draws and
 * so every dataset are exactly what they were.
 */
public final class PlantedEffectTrial {
    /** Trial groups with their site and share of recruits (reference trial: 2,519 / 3,591 / 3,675). */
    static final List<String> TRIAL_GROUPS = List.of("A-IW", "A-OOW", "B-OOW");
    private static final double[] SHARE = {0.26, 0.37, 0.37};
    private static final double[] BASE_EMPLOYMENT = {0.55, 0.27, 0.18};
    /** Share of the treatment arm who attend at least one session, by trial group. */
    private static final double[] ENGAGED = {0.92, 0.86, 0.96};
    /** The treatment-received column written with delivery. */
    public static final String RECEIVED = "delivery_engaged";

    public static final List<String> OUTCOMES = List.of("employed_13wk_12m", "earnings_12m", "months_employed_12m",
            "m12_eq5d_lss", "m12_swemwbs_raw");

    /** Planted effects by trial group and outcome, shaped like the reference trial's published impacts. */
    public static Map<String, Map<String, Double>> referenceEffects() {
        Map<String, Map<String, Double>> e = new LinkedHashMap<>();
        e.put("A-IW", effects(0.03, 442, 0.3, -0.35, 0.9));
        e.put("A-OOW", effects(-0.02, -233, 0.0, -0.35, 0.6));
        e.put("B-OOW", effects(0.04, 150, 0.4, -0.17, 0.45));
        return e;
    }

    private static Map<String, Double> effects(double employed, double earnings, double months, double eq5d, double swemwbs) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("employed_13wk_12m", employed);
        m.put("earnings_12m", earnings);
        m.put("months_employed_12m", months);
        m.put("m12_eq5d_lss", eq5d);
        m.put("m12_swemwbs_raw", swemwbs);
        return m;
    }

    static final List<String> COLUMNS = List.of("pid", "site", "area", "trial_group", "arm", "age_at_randomisation", "sex",
            "status", "m0_work_last_2y", "m0_eq5d_lss", "m0_swemwbs_raw", "randomisation_month", "admin_missing_reason",
            "employed_13wk_12m", "earnings_12m", "months_employed_12m", "m12_responded", "m12_eq5d_lss", "m12_swemwbs_raw");
    /** Recruitment: May 2018 to October 2019, as month counts year x 12 + month - 1. */
    private static final int FIRST_MONTH = 2018 * 12 + 4;
    private static final int RECRUITMENT_MONTHS = 18;
    /** Outcome years of people randomised from April 2019 overlap the lockdown of 23 March 2020. */
    private static final int FIRST_PANDEMIC_OVERLAP_MONTH = 2019 * 12 + 3;

    private PlantedEffectTrial() {}

    /** Writes an analysis dataset of {@code participants} rows to {@code csv}. */
    public static void write(Path csv, int participants, long seed, Map<String, Map<String, Double>> effects) {
        write(csv, participants, seed, effects, false);
    }

    /**
     * Writes an analysis dataset with the treatment received ({@link #RECEIVED}); {@code effectsAmongCompliers}
     * are the effects of attending among compliers.
     */
    public static void writeWithDelivery(Path csv, int participants, long seed, Map<String, Map<String, Double>> effectsAmongCompliers) {
        write(csv, participants, seed, effectsAmongCompliers, true);
    }

    private static void write(Path csv, int participants, long seed, Map<String, Map<String, Double>> effects, boolean delivery) {
        write(csv, participants, seed, effects, delivery, null);
    }

    /**
     * The minimisation design of a minimised planted-effect trial: within each site, the trial
     * group, the area and work in the last two years (prognostic: it moves employment, earnings
     * and response), 1:1, range, p = 0.8, as {@code config/randomisation-minimisation-simulation.yml}.
     */
    static final String MINIMISATION_DESIGN = """
            kind: minimisation
            name: planted-effect-trial-minimised
            stratify_by: [site]
            strata: [A, B]
            factors:
              - {name: trial_group, levels: [A-IW, A-OOW, B-OOW]}
              - {name: area, levels: [A1, A2, A3, B1, B2]}
              - {name: work_last_2y, levels: ["1", "2", "3", "4"]}
            arms: [treatment, control]
            versions:
              - number: 1
                effective_from: 2018-01-01T00:00:00Z
                ratio: {treatment: 1, control: 1}
                factor_weights: {trial_group: 1, area: 1, work_last_2y: 1}
                imbalance: range
                minimising_probability: 0.8
            """;

    /** The analysis-dataset columns of the design's factors, in the design's order. */
    public static final List<String> MINIMISATION_COLUMNS = List.of("trial_group", "area", "m0_work_last_2y");

    public static MinimisationDesign minimisationDesign() {
        return ((DesignFile.Read.Minimisation) DesignFile.parseAny(new StringReader(MINIMISATION_DESIGN),
                "planted-effect trial design")).design();
    }

    /**
     * Writes a minimised trial: the same recruits and outcomes as {@link #write}, but each recruit
     * allocated in turn by the platform's {@link MinimisationRandomiser} ({@link #minimisationDesign},
     * version 1, within the recruit's site) under a secret derived from the seed, on the recruit's
     * trial group, area and work in the last two years (always recorded: the allocation needs it).
     * Returns the allocations in recruit order.
     */
    public static List<MinimisedAllocation> writeMinimised(Path csv, int participants, long seed,
                                                           Map<String, Map<String, Double>> effects) {
        List<MinimisedAllocation> allocations = new ArrayList<>();
        write(csv, participants, seed, effects, false, allocations);
        return allocations;
    }

    private static void write(Path csv, int participants, long seed, Map<String, Map<String, Double>> effects, boolean delivery,
                              List<MinimisedAllocation> minimised) {
        SplittableRandom random = new SplittableRandom(seed);
        int[][] blockPosition = new int[TRIAL_GROUPS.size()][1];
        boolean[][] block = new boolean[TRIAL_GROUPS.size()][];
        MinimisationDesign design = minimised == null ? null : minimisationDesign();
        MinimisationRandomiser minimiser = minimised == null ? null : new MinimisationRandomiser(secretOf(seed));
        Map<Stratum, MarginalTotals> totals = new HashMap<>();
        try (BufferedWriter out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8);
             CSVPrinter printer = new CSVPrinter(out, CSVFormat.RFC4180.builder().setRecordSeparator("\n").get())) {
            List<String> header = new ArrayList<>(COLUMNS);
            if (delivery) header.add(RECEIVED);
            printer.printRecord(header);
            for (int i = 0; i < participants; i++) {
                int g = pick(random, SHARE);
                String group = TRIAL_GROUPS.get(g);
                Map<String, Double> effect = effects.getOrDefault(group, Map.of());
                if (design == null) {
                    // Permuted blocks of 4 within each stratum, as the randomiser would allocate.
                    if (block[g] == null || blockPosition[g][0] == 4) {
                        block[g] = shuffledBlock(random);
                        blockPosition[g][0] = 0;
                    }
                    boolean treated = block[g][blockPosition[g][0]++];
                    printer.printRecord(row(random, baseline(random, g), g, group, treated, effect, delivery, false));
                    continue;
                }
                // Minimisation: the recruit's levels first, then the arm from the rule (no draw from this stream).
                Recruit recruit = baseline(random, g);
                Stratum site = Stratum.of(recruit.site());
                MarginalTotals before = totals.computeIfAbsent(site, s -> new MarginalTotals(design));
                Map<String, String> levels = new LinkedHashMap<>();
                levels.put("trial_group", group);
                levels.put("area", recruit.area());
                levels.put("work_last_2y", Integer.toString(recruit.work() + 1));
                MinimisedAllocation allocation = minimiser.allocate(design, design.version(1), site, before.allocations() + 1,
                        levels, before);
                before.add(allocation.levels(), allocation.arm());
                minimised.add(allocation);
                printer.printRecord(row(random, recruit, g, group, allocation.arm().equals("treatment"), effect, delivery, true));
            }
        } catch (IOException e) {
            throw new AnalysisInputException("cannot write " + csv + " (" + e.getMessage() + ")", e);
        }
    }

    /** A secret for simulated data only, derived from the seed: SHA-256 of "planted-effect-trial/" and the seed. */
    static RandomisationSecret secretOf(long seed) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(("planted-effect-trial/" + seed).getBytes(StandardCharsets.UTF_8));
            return RandomisationSecret.fromHex(HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }

    /** What is known at randomisation: drawn before the arm, so that an allocation can depend on it. */
    private record Recruit(String site, String area, double age, boolean female, boolean sexMissing, int work, boolean workMissing,
                           double eq5d, boolean eq5dMissing, double swemwbs, boolean swemwbsMissing, int month, double status,
                           boolean noConsent) {}

    /** The baseline draws, in the order they were always drawn. */
    private static Recruit baseline(SplittableRandom r, int g) {
        String site = TRIAL_GROUPS.get(g).substring(0, 1);
        String area = site + (1 + r.nextInt(site.equals("A") ? 3 : 2));
        double age = Math.min(66, Math.max(18, Math.round(40 + 11 * r.nextGaussian())));
        boolean female = r.nextDouble() < 0.55;
        boolean sexMissing = r.nextDouble() < 0.01;
        int work = g == 0 ? pick(r, new double[] {0.75, 0.15, 0.07, 0.03}) : pick(r, new double[] {0.15, 0.2, 0.3, 0.35});
        boolean workMissing = r.nextDouble() < 0.04;
        double eq5d = Math.min(25, Math.max(5, Math.round(11 + 3.5 * r.nextGaussian())));
        boolean eq5dMissing = r.nextDouble() < 0.02;
        double swemwbs = Math.min(35, Math.max(7, Math.round(20 + 5 * r.nextGaussian())));
        boolean swemwbsMissing = r.nextDouble() < 0.03;
        int month = FIRST_MONTH + r.nextInt(RECRUITMENT_MONTHS);
        double status = r.nextDouble();
        boolean noConsent = r.nextDouble() < 0.03;
        return new Recruit(site, area, age, female, sexMissing, work, workMissing, eq5d, eq5dMissing, swemwbs, swemwbsMissing, month,
                status, noConsent);
    }

    /** The outcomes of a recruit given the arm; {@code minimised}: work in the last two years is always recorded. */
    private static List<String> row(SplittableRandom r, Recruit recruit, int g, String group, boolean treated, Map<String, Double> effect,
                                    boolean delivery, boolean minimised) {
        double assigned = treated ? 1 : 0;
        double t = assigned;
        String site = recruit.site();
        String area = recruit.area();
        double age = recruit.age();
        boolean female = recruit.female();
        boolean sexMissing = recruit.sexMissing();
        int work = recruit.work();
        boolean workMissing = recruit.workMissing() && !minimised;
        double eq5d = recruit.eq5d();
        boolean eq5dMissing = recruit.eq5dMissing();
        double swemwbs = recruit.swemwbs();
        boolean swemwbsMissing = recruit.swemwbsMissing();
        int month = recruit.month();
        boolean pandemic = month >= FIRST_PANDEMIC_OVERLAP_MONTH;
        double status = recruit.status();
        boolean noConsent = recruit.noConsent();

        double workAlways = work == 0 ? 1 : 0;
        boolean complier = false;
        boolean receivedUnknown = false;
        if (delivery) {
            complier = r.nextDouble() < clamp(ENGAGED[g] + 0.04 * workAlways - 0.01 * (eq5d - 11), 0.5, 0.99);
            receivedUnknown = treated && r.nextDouble() < 0.01;
            t = treated && complier ? 1 : 0; // only compliers offered support get the effect
        }
        double p0 = clamp(BASE_EMPLOYMENT[g] + 0.08 * workAlways - 0.01 * (eq5d - 11) - 0.04 * (pandemic ? 1 : 0)
                + (complier ? 0.06 : 0), 0.10, 0.85);
        String employed = "";
        String earnings = "";
        String months = "";
        if (!noConsent) {
            employed = r.nextDouble() < p0 + t * effect.getOrDefault("employed_13wk_12m", 0.0) ? "1" : "0";
            boolean earns = r.nextDouble() < p0 + 0.1;
            double base = earns ? Math.exp(8.5 + 0.3 * workAlways - 0.03 * (eq5d - 11) + 0.8 * r.nextGaussian()) : 0;
            double multiplier = r.nextBoolean() ? 2 : 0;
            earnings = money(base + t * effect.getOrDefault("earnings_12m", 0.0) * multiplier);
            double pMonth = p0 + t * effect.getOrDefault("months_employed_12m", 0.0) / 12;
            int m = 0;
            for (int k = 0; k < 12; k++) if (r.nextDouble() < pMonth) m++;
            months = Integer.toString(m);
        }
        double logit = -0.3 + 0.35 * assigned + 0.02 * (age - 40) - 0.06 * (eq5d - 11) + 0.3 * (female ? 1 : 0) + 0.2 * workAlways;
        boolean responded = r.nextDouble() < 1 / (1 + Math.exp(-logit));
        String eq5dOut = "";
        String swemwbsOut = "";
        double eq5dFollow = 4 + 0.6 * eq5d + 0.5 * (pandemic ? 1 : 0) + 3.0 * r.nextGaussian() + t * effect.getOrDefault("m12_eq5d_lss", 0.0);
        double swemwbsFollow = 10 + 0.5 * swemwbs - 0.1 * (eq5d - 11) + 4.0 * r.nextGaussian() + t * effect.getOrDefault("m12_swemwbs_raw", 0.0);
        boolean itemMissing = r.nextDouble() < 0.03;
        if (responded && !itemMissing) {
            eq5dOut = score(eq5dFollow);
            swemwbsOut = score(swemwbsFollow);
        }
        List<String> row = new ArrayList<>(List.of(pseudonym(r), site, area, group, treated ? "treatment" : "control", fmt(age),
                sexMissing ? "" : (female ? "female" : "male"),
                status < 0.03 ? "withdrawn" : status < 0.031 ? "deceased" : "active",
                workMissing ? "" : Integer.toString(work + 1), eq5dMissing ? "" : fmt(eq5d), swemwbsMissing ? "" : fmt(swemwbs),
                String.format(Locale.ROOT, "%04d-%02d", month / 12, month % 12 + 1), noConsent ? "no_consent" : "",
                employed, earnings, months, responded ? "1" : "0", eq5dOut, swemwbsOut));
        if (delivery) row.add(receivedUnknown ? "" : treated && complier ? "1" : "0");
        return row;
    }

    private static boolean[] shuffledBlock(SplittableRandom r) {
        boolean[] b = {true, true, false, false};
        for (int i = 3; i > 0; i--) {
            int j = r.nextInt(i + 1);
            boolean tmp = b[i];
            b[i] = b[j];
            b[j] = tmp;
        }
        return b;
    }

    private static int pick(SplittableRandom r, double[] shares) {
        double u = r.nextDouble();
        double cumulative = 0;
        for (int i = 0; i < shares.length - 1; i++) {
            cumulative += shares[i];
            if (u < cumulative) return i;
        }
        return shares.length - 1;
    }

    private static String pseudonym(SplittableRandom r) {
        return String.format(Locale.ROOT, "%016x", r.nextLong());
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static String money(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String score(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    /** {@code PlantedEffectTrial <out.csv> <participants> <seed>}: writes a dataset with the reference effects. */
    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: PlantedEffectTrial <analysis.csv> <participants> <seed>");
            System.exit(2);
        }
        write(Path.of(args[0]), Integer.parseInt(args[1]), Long.parseLong(args[2]), referenceEffects());
        List<String> truth = new ArrayList<>();
        referenceEffects().forEach((g, m) -> m.forEach((o, v) -> truth.add(g + "," + o + "," + v)));
        System.out.println("wrote " + args[0] + "; planted effects (group,outcome,effect):\n" + String.join("\n", truth));
    }
}
