package org.ipstrial.etl.impact;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.ipstrial.etl.impact.AnalysisDataset.Baseline;
import org.ipstrial.etl.impact.AnalysisPlan.Outcome;
import org.ipstrial.randomiser.BlockSizeChoice;
import org.ipstrial.randomiser.MinimisationDesign;
import org.ipstrial.randomiser.MinimisedAllocation;
import org.ipstrial.randomiser.diagnostics.MinimisationDiagnostics;
import org.ipstrial.randomiser.diagnostics.MinimisationDiagnosticsReport;

/**
 * Simulation study of the headline estimators: for each listed seed, a trial with the reference
 * planted effects ({@link PlantedEffectTrial}) is written to CSV, read, locked and analysed exactly
 * as the command does; each trial group's headline estimate of each outcome is compared with its
 * planted effect.
 *
 * <p>Two sets of checks. Per group x outcome, the brief's criteria: the 95% interval covers the
 * planted effect in 92% to 98% of trials, and the mean estimate is within two Monte Carlo standard
 * errors (empirical SD / sqrt(trials)) of it. Each of those fails about 4% of the time for a
 * perfect estimator, so over 15 cells some failure is more likely than not; they are reported, and
 * the pass/fail of the study rests on checks that are honest about the multiplicity: (1) all
 * intervals of all checked cells together cover their planted effects 92% to 98% of the time; (2)
 * each cell's coverage and bias lie within Bonferroni bounds for all 2 x cells checks at a 5%
 * family-wise error rate (exact binomial bounds for coverage; normal bounds for bias in Monte
 * Carlo standard errors). The unweighted, unadjusted estimate of the survey outcomes is shown for
 * comparison and not checked: non-response differs by arm, so it may be biased.
 *
 * <p>The complier study ({@link #runComplier}) does the same for the complier average causal
 * effect: trials with delivery data and the reference effects planted among compliers
 * ({@link PlantedEffectTrial#writeWithDelivery}), the plan asking for the CACE of attending at
 * least one session, and each trial group's 2SLS estimate (same strata, covariates and weights as
 * the headline) compared with the planted effect, by the same checks.
 */
public final class ImpactSimulationStudy {
    public static final int DEFAULT_PARTICIPANTS = 2000;

    static final String STUDY_PLAN = """
            plan: simulation-study-v1
            groups:
              - {name: A-IW, trial_groups: [A-IW]}
              - {name: A-OOW, trial_groups: [A-OOW]}
              - {name: B-OOW, trial_groups: [B-OOW]}
            outcomes:
              - {name: employed_13wk_12m, type: binary, source: admin}
              - {name: earnings_12m, type: continuous, source: admin}
              - {name: months_employed_12m, type: continuous, source: admin}
              - {name: m12_eq5d_lss, type: continuous, source: survey, wave: m12, standardised: true}
              - {name: m12_swemwbs_raw, type: continuous, source: survey, wave: m12, standardised: true}
            covariates:
              - {name: age_at_randomisation, kind: numeric}
              - {name: sex, kind: categorical, levels: [female, male]}
              - {name: m0_work_last_2y, kind: categorical, levels: [1, 2, 3, 4]}
              - {name: m0_eq5d_lss, kind: numeric}
              - {name: m0_swemwbs_raw, kind: numeric}
            nonresponse:
              m12: [age_at_randomisation, sex, m0_work_last_2y, m0_eq5d_lss, m0_swemwbs_raw]
            """;

    /** The study plan with the complier average causal effect of attending. */
    static final String COMPLIER_PLAN = STUDY_PLAN.replace("plan: simulation-study-v1", "plan: simulation-study-cace-v1")
            + "complier_average_causal_effect:\n  received: " + PlantedEffectTrial.RECEIVED + "\n";

    /** Label of the complier cells in the table. */
    static final String CACE = "cace_2sls";

    private ImpactSimulationStudy() {}

    /** The seeds of the study: 1, 2, ..., count. */
    public static int[] seeds(int count) {
        return IntStream.rangeClosed(1, count).toArray();
    }

    /** Results for one group x outcome x estimator over all trials. */
    public record Cell(String group, String outcome, String estimator, double truth, int trials, double meanEstimate,
                       double empiricalSd, double meanStandardError, int covered, boolean checked) {
        public double monteCarloSe() {
            return empiricalSd / Math.sqrt(trials);
        }

        public double coverage() {
            return (double) covered / trials;
        }

        public double biasInMonteCarloSe() {
            return (meanEstimate - truth) / monteCarloSe();
        }

        /** The brief's per-effect coverage criterion: 92% to 98%. */
        public boolean coverageMeetsBrief() {
            return coverage() >= 0.92 && coverage() <= 0.98;
        }

        /** The brief's per-effect bias criterion: within two Monte Carlo standard errors. */
        public boolean biasMeetsBrief() {
            return Math.abs(meanEstimate - truth) <= 2 * monteCarloSe();
        }
    }

    /**
     * Bounds for all checks at once: Bonferroni over {@code checks} two-sided checks at a 5%
     * family-wise error rate. Coverage: the smallest and largest number of covering intervals out
     * of {@code trials} whose exact binomial tail under 95% coverage exceeds alpha / 2; bias: the
     * normal quantile, in Monte Carlo standard errors.
     */
    public record FamilyBounds(int fewestCovered, int mostCovered, double biasInMonteCarloSe) {
        public static FamilyBounds of(int checks, int trials) {
            double tail = 0.05 / checks / 2;
            org.apache.commons.math3.distribution.BinomialDistribution covered =
                    new org.apache.commons.math3.distribution.BinomialDistribution(null, trials, 0.95);
            // fewest: the largest k with P(X < k) <= tail; most: the smallest k with P(X > k) <= tail.
            int fewest = 0;
            while (covered.cumulativeProbability(fewest) <= tail) fewest++;
            int most = trials;
            while (most > 0 && 1 - covered.cumulativeProbability(most - 1) <= tail) most--;
            double bias = new org.apache.commons.math3.distribution.NormalDistribution(null, 0, 1).inverseCumulativeProbability(1 - tail);
            return new FamilyBounds(fewest, most, bias);
        }

        public boolean holds(Cell c) {
            return c.covered() >= fewestCovered && c.covered() <= mostCovered
                    && Math.abs(c.biasInMonteCarloSe()) <= biasInMonteCarloSe;
        }
    }

    /** Share of all checked cells' intervals, over all trials, that cover their planted effect. */
    public static double overallCoverage(List<Cell> cells) {
        int covered = 0;
        int trials = 0;
        for (Cell c : cells) {
            if (!c.checked()) continue;
            covered += c.covered();
            trials += c.trials();
        }
        return (double) covered / trials;
    }

    public static FamilyBounds familyBounds(List<Cell> cells) {
        int checked = (int) cells.stream().filter(Cell::checked).count();
        return FamilyBounds.of(2 * checked, cells.get(0).trials());
    }

    /** The study passes when the overall coverage is 92-98% and every checked cell is within the family bounds. */
    public static boolean passes(List<Cell> cells) {
        FamilyBounds bounds = familyBounds(cells);
        double overall = overallCoverage(cells);
        return overall >= 0.92 && overall <= 0.98 && cells.stream().filter(Cell::checked).allMatch(bounds::holds);
    }

    public static List<Cell> run(int[] seeds, int participants) {
        AnalysisPlan plan = AnalysisPlanReader.parse(STUDY_PLAN, "simulation study plan");
        List<String[]> keys = new ArrayList<>();
        for (var g : plan.groups()) {
            for (Outcome o : plan.outcomes()) {
                keys.add(new String[] {g.name(), o.name(), Estimator.headline(o).name(), "checked"});
                if (o.survey()) keys.add(new String[] {g.name(), o.name(), Estimator.UNADJUSTED.name(), "comparison"});
            }
        }
        Map<String, Map<String, Double>> truth = PlantedEffectTrial.referenceEffects();
        return study(seeds, plan, keys, (csv, seed) -> PlantedEffectTrial.write(csv, participants, seed, truth));
    }

    /**
     * The complier study: per trial group and outcome, the 2SLS estimate of the effect of attending
     * among compliers against the effect planted among them (checked), and the headline
     * intention-to-treat estimate against the same number (comparison only: it estimates the
     * complier share times it, so it should fall short).
     */
    public static List<Cell> runComplier(int[] seeds, int participants) {
        AnalysisPlan plan = AnalysisPlanReader.parse(COMPLIER_PLAN, "simulation study plan (complier)");
        List<String[]> keys = new ArrayList<>();
        for (var g : plan.groups()) {
            for (Outcome o : plan.outcomes()) {
                keys.add(new String[] {g.name(), o.name(), CACE, "checked"});
                keys.add(new String[] {g.name(), o.name(), Estimator.headline(o).name(), "comparison"});
            }
        }
        Map<String, Map<String, Double>> truth = PlantedEffectTrial.referenceEffects();
        return study(seeds, plan, keys, (csv, seed) -> PlantedEffectTrial.writeWithDelivery(csv, participants, seed, truth));
    }

    /** The study plan of minimised trials: the headline plan plus the design's factors. */
    static final String MINIMISED_PLAN = STUDY_PLAN.replace("plan: simulation-study-v1", "plan: simulation-study-minimised-v1")
            + "minimisation_factors: [" + String.join(", ", PlantedEffectTrial.MINIMISATION_COLUMNS) + "]\n";

    /** Replications of the minimisation diagnostics whose 99th percentiles bound the trials' imbalance. */
    public static final int DIAGNOSTICS_REPLICATIONS = 1000;
    /** The diagnostics' seed (printed with their figures). */
    public static final long DIAGNOSTICS_SEED = 1;

    /**
     * The recruits' level shares of the minimised trials, as the diagnostics' level weights: trial
     * groups 26:37:37; areas A1..A3 a third of site A (63%), B1, B2 half of site B (37%); work in
     * the last two years mixed over the groups (A-IW mostly "always").
     */
    static final Map<String, List<Integer>> LEVEL_WEIGHTS = Map.of(
            "trial_group", List.of(26, 37, 37),
            "area", List.of(42, 42, 42, 37, 37),
            "work_last_2y", List.of(306, 187, 240, 267));

    /**
     * One factor's final trial-wide marginal imbalance (the largest over its levels of |treatment -
     * control|, as the diagnostics define it) over the minimised trials, against the diagnostics'
     * 99th percentile: exceeded in {@code exceeded} trials, where Binomial(trials, 0.01) allows at
     * most {@code mostExceedances} (Bonferroni over the factors at 5%).
     */
    public record FactorBalance(String factor, double percentile99, int trials, int exceeded, int mostExceedances,
                                double meanImbalance, long largest) {
        public boolean holds() {
            return exceeded <= mostExceedances;
        }
    }

    /** The minimised study: the estimates' cells and each factor's balance. */
    public record MinimisedStudy(List<Cell> cells, List<FactorBalance> balance, int diagnosticsRecruitsPerStratum,
                                 int diagnosticsReplications) {
        public boolean passes() {
            return ImpactSimulationStudy.passes(cells) && balance.stream().allMatch(FactorBalance::holds);
        }
    }

    /**
     * The minimised study: trials allocated by minimisation ({@link PlantedEffectTrial#writeMinimised})
     * and analysed with the minimisation factors in every adjusted model; per group x outcome the
     * headline estimate is checked as in {@link #run}, the unadjusted difference in means shown
     * beside it for comparison (its standard error ignores the balance the design forced). Then each factor's final imbalance against the 99th percentile the
     * minimisation diagnostics report for the same design and level shares, with
     * {@code diagnosticsRecruitsPerStratum} = the larger site's expected size (63% of the trial) in
     * each of the two sites.
     */
    public static MinimisedStudy runMinimised(int[] seeds, int participants, int diagnosticsReplications) {
        AnalysisPlan plan = AnalysisPlanReader.parse(MINIMISED_PLAN, "simulation study plan (minimised)");
        List<String[]> keys = new ArrayList<>();
        for (var g : plan.groups()) {
            for (Outcome o : plan.outcomes()) {
                keys.add(new String[] {g.name(), o.name(), Estimator.headline(o).name(), "checked"});
                keys.add(new String[] {g.name(), o.name(), Estimator.UNADJUSTED.name(), "comparison"});
            }
        }
        Map<String, Map<String, Double>> truth = PlantedEffectTrial.referenceEffects();
        Map<Integer, List<MinimisedAllocation>> allocations = new HashMap<>();
        List<Cell> cells = study(seeds, plan, keys,
                (csv, seed) -> allocations.put(seed, PlantedEffectTrial.writeMinimised(csv, participants, seed, truth)));

        MinimisationDesign design = PlantedEffectTrial.minimisationDesign();
        int perStratum = (int) Math.round(0.63 * participants);
        MinimisationDiagnosticsReport diagnostics = MinimisationDiagnostics.of(design, design.version(1), perStratum,
                diagnosticsReplications, DIAGNOSTICS_SEED, List.of(new BlockSizeChoice(2, 1), new BlockSizeChoice(4, 2),
                        new BlockSizeChoice(6, 1)), LEVEL_WEIGHTS);
        MinimisationDiagnosticsReport.SchemeResult minimisation = diagnostics.scheme(MinimisationDiagnostics.Scheme.MINIMISATION);
        List<String> factors = new ArrayList<>(design.stratifyBy());
        factors.addAll(design.factorNames());
        int most = mostExceedances(seeds.length, 0.01, 0.05 / factors.size());
        List<FactorBalance> balance = new ArrayList<>();
        for (String factor : factors) {
            double percentile99 = minimisation.finalImbalanceByFactor().get(factor).percentile99();
            int exceeded = 0;
            double sum = 0;
            long largest = 0;
            for (int seed : seeds) {
                long imbalance = finalImbalance(allocations.get(seed), factor, design.stratifyBy().contains(factor));
                exceeded += imbalance > percentile99 ? 1 : 0;
                sum += imbalance;
                largest = Math.max(largest, imbalance);
            }
            balance.add(new FactorBalance(factor, percentile99, seeds.length, exceeded, most, sum / seeds.length, largest));
        }
        return new MinimisedStudy(cells, balance, perStratum, diagnosticsReplications);
    }

    /** The largest, over the factor's levels, of |treatment - control| over the whole trial (1:1). */
    static long finalImbalance(List<MinimisedAllocation> allocations, String factor, boolean stratification) {
        Map<String, long[]> byLevel = new HashMap<>();
        for (MinimisedAllocation a : allocations) {
            String level = stratification ? a.stratum().key() : a.levels().get(factor);
            byLevel.computeIfAbsent(level, l -> new long[2])[a.arm().equals("treatment") ? 0 : 1]++;
        }
        long largest = 0;
        for (long[] counts : byLevel.values()) largest = Math.max(largest, Math.abs(counts[0] - counts[1]));
        return largest;
    }

    /** The smallest k with P(X > k) <= alpha for X ~ Binomial(trials, p): the most exceedances chance allows. */
    static int mostExceedances(int trials, double p, double alpha) {
        org.apache.commons.math3.distribution.BinomialDistribution exceedances =
                new org.apache.commons.math3.distribution.BinomialDistribution(null, trials, p);
        int k = 0;
        while (1 - exceedances.cumulativeProbability(k) > alpha) k++;
        return k;
    }

    /** A Markdown table of each factor's balance. */
    public static String balanceTable(MinimisedStudy study) {
        StringBuilder b = new StringBuilder();
        b.append("| factor | diagnostics' 99th percentile | mean final imbalance | largest | trials above the 99th percentile"
                + " | most Binomial allows | |\n");
        b.append("|---|---:|---:|---:|---:|---:|---|\n");
        for (FactorBalance f : study.balance()) {
            b.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %d | %d of %d | %d | %s |%n", f.factor(),
                    Numbers.csv(f.percentile99()), f.meanImbalance(), f.largest(), f.exceeded(), f.trials(), f.mostExceedances(),
                    f.holds() ? "within" : "EXCEEDED"));
        }
        b.append(String.format(Locale.ROOT, "%nDiagnostics: %d simulated trials of %d recruits in each site, seed %d, level weights %s."
                        + " Most exceedances: the smallest k with P(Binomial(%d, 0.01) > k) <= 0.05 / %d factors.%n",
                study.diagnosticsReplications(), study.diagnosticsRecruitsPerStratum(), DIAGNOSTICS_SEED, new java.util.TreeMap<>(LEVEL_WEIGHTS),
                study.balance().get(0).trials(), study.balance().size()));
        return b.toString();
    }

    /** Writes the analysis dataset of one trial, given its seed. */
    private interface TrialWriter {
        void write(Path csv, int seed);
    }

    private static List<Cell> study(int[] seeds, AnalysisPlan plan, List<String[]> keys, TrialWriter writer) {
        Map<String, Map<String, Double>> truth = PlantedEffectTrial.referenceEffects();
        double[][] estimates = new double[keys.size()][seeds.length];
        double[][] errors = new double[keys.size()][seeds.length];
        boolean[][] covers = new boolean[keys.size()][seeds.length];
        Path dir;
        try {
            dir = Files.createTempDirectory("impact-simulation-study");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            for (int s = 0; s < seeds.length; s++) {
                Path csv = dir.resolve("analysis-" + seeds[s] + ".csv");
                writer.write(csv, seeds[s]);
                Baseline baseline = AnalysisDatasetReader.readBaseline(csv, plan);
                PlanLock lock = PlanLock.write(plan, csv.getFileName().toString(), baseline.size(), null);
                ImpactResults results = ImpactAnalysis.analyse(plan,
                        new AnalysisDataset(baseline, AnalysisDatasetReader.readFollowUp(csv, plan, baseline, lock)));
                Files.delete(csv);
                for (int k = 0; k < keys.size(); k++) {
                    String[] key = keys.get(k);
                    double t = truth.get(key[0]).get(key[1]);
                    if (key[2].equals(CACE)) {
                        ComplierEstimate e = results.complierEffect(key[0], key[1]);
                        estimates[k][s] = e.effect();
                        errors[k][s] = e.standardError();
                        covers[k][s] = e.lower() <= t && t <= e.upper();
                    } else {
                        ImpactEstimate e = results.impact(key[0], key[1], Estimator.valueOf(key[2]));
                        estimates[k][s] = e.difference();
                        errors[k][s] = e.standardError();
                        covers[k][s] = e.lower() <= t && t <= e.upper();
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try (Stream<Path> left = Files.walk(dir)) {
                left.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temporary directory left behind is harmless
            }
        }
        List<Cell> cells = new ArrayList<>();
        for (int k = 0; k < keys.size(); k++) {
            String[] key = keys.get(k);
            double mean = 0;
            double meanSe = 0;
            int covered = 0;
            for (int s = 0; s < seeds.length; s++) {
                mean += estimates[k][s] / seeds.length;
                meanSe += errors[k][s] / seeds.length;
                if (covers[k][s]) covered++;
            }
            double squares = 0;
            for (int s = 0; s < seeds.length; s++) squares += (estimates[k][s] - mean) * (estimates[k][s] - mean);
            cells.add(new Cell(key[0], key[1], key[2].equals(CACE) ? CACE : Estimator.valueOf(key[2]).label(), truth.get(key[0]).get(key[1]), seeds.length, mean,
                    Math.sqrt(squares / (seeds.length - 1)), meanSe, covered, key[3].equals("checked")));
        }
        return cells;
    }

    /** A Markdown table of the cells, for the console and for docs/impact-simulation-study.md. */
    public static String table(List<Cell> cells) {
        StringBuilder b = new StringBuilder();
        FamilyBounds bounds = familyBounds(cells);
        b.append("| group | outcome | estimator | planted | mean estimate | empirical SD | mean SE | bias / MCSE | coverage"
                + " | brief's criteria (92-98%, 2 MCSE) | family-wise bounds |\n");
        b.append("|---|---|---|---:|---:|---:|---:|---:|---:|---|---|\n");
        for (Cell c : cells) {
            String brief = !c.checked() ? "comparison only"
                    : c.coverageMeetsBrief() && c.biasMeetsBrief() ? "met"
                    : (c.coverageMeetsBrief() ? "" : "coverage outside") + (c.coverageMeetsBrief() || c.biasMeetsBrief() ? "" : ", ")
                    + (c.biasMeetsBrief() ? "" : "bias beyond 2 MCSE");
            b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.4f | %.4f | %.4f | %+.2f | %.1f%% | %s | %s |%n",
                    c.group(), c.outcome(), c.estimator(), Numbers.csv(c.truth()), c.meanEstimate(), c.empiricalSd(),
                    c.meanStandardError(), c.biasInMonteCarloSe(), 100 * c.coverage(), brief,
                    !c.checked() ? "" : bounds.holds(c) ? "within" : "OUTSIDE"));
        }
        long met = cells.stream().filter(Cell::checked).filter(c -> c.coverageMeetsBrief() && c.biasMeetsBrief()).count();
        long checked = cells.stream().filter(Cell::checked).count();
        b.append(String.format(Locale.ROOT, "%nOverall coverage of the %d checked cells: %.2f%% (required 92-98%%). "
                        + "Family-wise bounds (Bonferroni, %d checks, 5%%): %d to %d of %d intervals covering, |bias| <= %.2f MCSE. "
                        + "Brief's per-effect criteria met by %d of %d cells.%n",
                checked, 100 * overallCoverage(cells), 2 * checked, bounds.fewestCovered(), bounds.mostCovered(),
                cells.get(0).trials(), bounds.biasInMonteCarloSe(), met, checked));
        return b.toString();
    }

    /**
     * {@code ImpactSimulationStudy [seeds] [participants] [itt|cace|minimised|both|all]}: defaults 200
     * seeds (1..200) of 2,000 participants, all three studies ({@code both}: intention-to-treat and complier).
     */
    public static void main(String[] args) {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int participants = args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_PARTICIPANTS;
        String which = args.length > 2 ? args[2] : "all";
        if (!List.of("itt", "cace", "minimised", "both", "all").contains(which)) {
            System.err.println("usage: ImpactSimulationStudy [seeds] [participants] [itt|cace|minimised|both|all]");
            System.exit(2);
        }
        boolean pass = true;
        if (List.of("itt", "both", "all").contains(which)) pass &= report("Intention-to-treat estimates", () -> run(seeds(count), participants), count, participants);
        if (List.of("cace", "both", "all").contains(which)) {
            pass &= report("Complier average causal effects (effects planted among compliers)",
                    () -> runComplier(seeds(count), participants), count, participants);
        }
        if (List.of("minimised", "all").contains(which)) {
            long start = System.nanoTime();
            MinimisedStudy study = runMinimised(seeds(count), participants, DIAGNOSTICS_REPLICATIONS);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.println("## Minimised trials (minimisation factors in every adjusted model)\n");
            System.out.print(table(study.cells()));
            System.out.println();
            System.out.print(balanceTable(study));
            System.out.printf(Locale.ROOT, "%nseeds 1..%d, %d participants per trial, %.1f s; checks %s%n%n", count, participants,
                    seconds, study.passes() ? "all pass" : "FAIL");
            pass &= study.passes();
        }
        System.exit(pass ? 0 : 1);
    }

    private static boolean report(String title, java.util.function.Supplier<List<Cell>> study, int count, int participants) {
        long start = System.nanoTime();
        List<Cell> cells = study.get();
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.println("## " + title + "\n");
        System.out.print(table(cells));
        boolean pass = passes(cells);
        System.out.printf(Locale.ROOT, "%nseeds 1..%d, %d participants per trial, %.1f s; checks %s%n%n", count, participants,
                seconds, pass ? "all pass" : "FAIL");
        return pass;
    }
}
