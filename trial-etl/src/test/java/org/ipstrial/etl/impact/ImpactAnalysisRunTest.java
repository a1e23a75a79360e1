package org.ipstrial.etl.impact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end, files to files: the lock, the hash in every output, re-runs, errors. */
class ImpactAnalysisRunTest {
    private static final long SEED = 20261123L;

    @TempDir
    static Path shared;
    static Path plan;
    static Path data;

    @BeforeAll
    static void writeInputs() throws IOException {
        plan = shared.resolve("analysis-plan.yml");
        Files.writeString(plan, AnalysisPlanReaderTest.testPlanYaml());
        data = shared.resolve("analysis.csv");
        PlantedEffectTrial.write(data, 3000, SEED, PlantedEffectTrial.referenceEffects());
    }

    @Test
    void locksThePlanAndRecordsItsHashInEveryOutput(@TempDir Path out) throws IOException {
        ImpactResults results = ImpactAnalysisRun.run(plan, data, out, quiet());
        String hash = AnalysisPlanReader.sha256(AnalysisPlanReader.read(plan));

        assertThat(results.planSha256()).isEqualTo(hash);
        String lock = Files.readString(out.resolve(PlanLock.FILE_NAME));
        assertThat(lock).contains("\"plan_sha256\" : \"" + hash + "\"").contains("\"dataset_rows\" : 3000");
        for (String table : List.of(ImpactTablesWriter.IMPACT_TABLE, ImpactTablesWriter.SUBGROUP_TABLE,
                ImpactTablesWriter.BALANCE_TABLE, ImpactTablesWriter.NONRESPONSE_MODELS)) {
            List<CSVRecord> rows = read(out.resolve(table));
            assertThat(rows).as(table).isNotEmpty();
            assertThat(rows).as(table).allSatisfy(r -> assertThat(r.get("plan_sha256")).isEqualTo(hash));
        }
        assertThat(Files.readString(out.resolve(ImpactTablesWriter.REPORT))).contains(hash);
    }

    @Test
    void aRerunIsByteIdentical(@TempDir Path first, @TempDir Path second) throws IOException {
        ImpactAnalysisRun.run(plan, data, first, quiet());
        ImpactAnalysisRun.run(plan, data, second, quiet());

        List<Path> files;
        try (Stream<Path> s = Files.list(first)) {
            files = s.sorted().toList();
        }
        assertThat(files).hasSize(6);
        for (Path f : files) {
            assertThat(Files.readAllBytes(second.resolve(f.getFileName()))).as(f.getFileName().toString())
                    .isEqualTo(Files.readAllBytes(f));
        }
    }

    @Test
    void impactTableHasEveryGroupOutcomeAndEstimatorWithPlantedEffectsNearby(@TempDir Path out) throws IOException {
        ImpactAnalysisRun.run(plan, data, out, quiet());
        List<CSVRecord> rows = read(out.resolve(ImpactTablesWriter.IMPACT_TABLE));

        // 2 groups x (2 admin outcomes x 2 estimators + 1 survey outcome x 4 estimators)
        assertThat(rows).hasSize(2 * (2 * 2 + 4));
        Map<String, Double> truth = PlantedEffectTrial.referenceEffects().get("B-OOW");
        for (CSVRecord r : rows) {
            if (!r.get("group").equals("B-OOW") || !r.get("headline").equals("yes")) continue;
            double estimate = Double.parseDouble(r.get("difference"));
            double se = Double.parseDouble(r.get("se_hc2"));
            // Seeded: a planted effect more than 4 standard errors away would mean a broken estimator.
            assertThat(Math.abs(estimate - truth.get(r.get("outcome")))).as(r.get("outcome")).isLessThan(4 * se);
        }
        CSVRecord employed = rows.stream().filter(r -> r.get("group").equals("B-OOW")
                && r.get("outcome").equals("employed_13wk_12m") && r.get("estimator").equals("unadjusted")).findFirst().orElseThrow();
        assertThat(Double.parseDouble(employed.get("risk_ratio"))).isCloseTo(
                Double.parseDouble(employed.get("mean_treatment")) / Double.parseDouble(employed.get("mean_control")),
                org.assertj.core.api.Assertions.within(1e-5));
        CSVRecord wellbeing = rows.stream().filter(r -> r.get("outcome").equals("m12_swemwbs_raw")
                && r.get("estimator").equals("weighted_adjusted")).findFirst().orElseThrow();
        assertThat(Double.parseDouble(wellbeing.get("effect_sd"))).isCloseTo(
                Double.parseDouble(wellbeing.get("difference")) / Double.parseDouble(wellbeing.get("control_sd")),
                org.assertj.core.api.Assertions.within(1e-5));
    }

    @Test
    void balanceAndSubgroupTablesUseTheLevelLabelsAndMonthBands(@TempDir Path out) throws IOException {
        ImpactAnalysisRun.run(plan, data, out, quiet());

        List<CSVRecord> balance = read(out.resolve(ImpactTablesWriter.BALANCE_TABLE));
        assertThat(balance).filteredOn(r -> r.get("group").equals("B-OOW") && r.get("variable").equals("m0_work_last_2y"))
                .extracting(r -> r.get("level")).containsExactly("always", "more than half", "less than half", "not at all", "(missing)");
        List<CSVRecord> subgroups = read(out.resolve(ImpactTablesWriter.SUBGROUP_TABLE));
        List<CSVRecord> cohort = subgroups.stream().filter(r -> r.get("group").equals("B-OOW")
                && r.get("outcome").equals("earnings_12m") && r.get("subgroup").equals("cohort")).toList();
        assertThat(cohort).extracting(r -> r.get("level")).containsExactly("before", "pandemic overlap");
        // Recruitment May 2018 .. October 2019: 11 of 18 months before April 2019.
        int before = Integer.parseInt(cohort.get(0).get("n_treatment")) + Integer.parseInt(cohort.get(0).get("n_control"));
        int overlap = Integer.parseInt(cohort.get(1).get("n_treatment")) + Integer.parseInt(cohort.get(1).get("n_control"));
        assertThat((double) before / (before + overlap)).isBetween(11.0 / 18 - 0.05, 11.0 / 18 + 0.05);
        assertThat(cohort.get(0).get("interaction_p")).isEqualTo(cohort.get(1).get("interaction_p")).isNotEmpty();
    }

    @Test
    void valuesThePlanCallsMissingCountAsMissingAndOthersAreErrors(@TempDir Path dir) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(data));
        int sex = List.of(lines.get(0).split(",")).indexOf("sex");
        String[] cells = lines.get(2).split(",", -1);
        cells[sex] = "prefer_not_to_say";
        lines.set(2, String.join(",", cells));
        Path withMissing = dir.resolve("analysis.csv");
        Files.write(withMissing, lines);
        AnalysisPlan parsed = AnalysisPlanReader.read(plan);

        AnalysisDataset.Baseline baseline = AnalysisDatasetReader.readBaseline(withMissing, parsed);

        assertThat(baseline.subgroupLevels().get("sex")[1]).isEqualTo(-1);
        cells[sex] = "unknown";
        lines.set(2, String.join(",", cells));
        Files.write(withMissing, lines);
        assertThatThrownBy(() -> AnalysisDatasetReader.readBaseline(withMissing, parsed))
                .hasMessage("analysis.csv line 3, column sex: 'unknown' is not one of the plan's levels [female, male]"
                        + " or missing values [prefer_not_to_say]");
    }

    @Test
    void anOutcomeErrorStopsAfterTheLockAndWritesNoTable(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("analysis.csv");
        List<String> lines = new ArrayList<>(Files.readAllLines(data));
        int earnings = List.of(lines.get(0).split(",")).indexOf("earnings_12m");
        String[] cells = lines.get(5).split(",", -1);
        cells[earnings] = "£12,000";
        lines.set(5, String.join(",", cells).replace("£12,000", "\"£12,000\""));
        Files.write(bad, lines);
        Path out = dir.resolve("out");

        assertThatThrownBy(() -> ImpactAnalysisRun.run(plan, bad, out, quiet()))
                .isInstanceOf(AnalysisInputException.class)
                .hasMessage("analysis.csv line 6, column earnings_12m: '£12,000' is not a number");
        // The lock was written before the outcome was read, and is all there is.
        try (Stream<Path> s = Files.list(out)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly(PlanLock.FILE_NAME);
        }
    }

    @Test
    void aBaselineErrorChangesNothing(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("analysis.csv");
        List<String> lines = new ArrayList<>(Files.readAllLines(data));
        lines.set(3, lines.get(3).replace(",treatment,", ",IPS,").replace(",control,", ",IPS,"));
        Files.write(bad, lines);
        Path out = dir.resolve("out");

        assertThatThrownBy(() -> ImpactAnalysisRun.run(plan, bad, out, quiet()))
                .isInstanceOf(AnalysisInputException.class)
                .hasMessage("analysis.csv line 4, column arm: must be treatment or control, was 'IPS'");
        assertThat(out).doesNotExist();
    }

    @Test
    void aMissingColumnIsNamedWithThePlanFieldThatNeedsIt(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("analysis.csv");
        List<String> lines = new ArrayList<>(Files.readAllLines(data));
        lines.set(0, lines.get(0).replace("m12_responded", "m12_reponded"));
        Files.write(bad, lines);

        assertThatThrownBy(() -> ImpactAnalysisRun.run(plan, bad, dir.resolve("out"), quiet()))
                .isInstanceOf(AnalysisInputException.class)
                .hasMessage("analysis.csv: missing column(s) 'm12_responded' (needed by outcomes[2].wave)");
    }

    @Test
    void aTrialGroupAbsentFromTheDataIsAnError(@TempDir Path dir) throws IOException {
        Path typo = dir.resolve("plan.yml");
        Files.writeString(typo, AnalysisPlanReaderTest.testPlanYaml().replace("trial_groups: [B-OOW]", "trial_groups: [B_OOW]"));

        assertThatThrownBy(() -> ImpactAnalysisRun.run(typo, data, dir.resolve("out"), quiet()))
                .isInstanceOf(AnalysisInputException.class)
                .hasMessage("analysis plan: groups[0].trial_groups[0]: 'B_OOW' has no participants in analysis.csv");
    }

    @Test
    void commandReturnsItsExitStatus(@TempDir Path out) {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(stdout, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(stderr, true, StandardCharsets.UTF_8);

        assertThat(ImpactAnalysisCommand.run(new String[] {"--plan", plan.toString(), "--data", data.toString()}, o, e)).isEqualTo(2);
        assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("error: --out is required");
        assertThat(ImpactAnalysisCommand.run(new String[] {"--plan", plan.toString(), "--data", data.resolveSibling("nope.csv").toString(),
                "--out", out.toString()}, o, e)).isEqualTo(2);
        assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("nope.csv: no such file");
        assertThat(ImpactAnalysisCommand.run(new String[] {"--plan", plan.toString(), "--data", data.toString(),
                "--out", out.toString()}, o, e)).isEqualTo(0);
        assertThat(stdout.toString(StandardCharsets.UTF_8)).contains("locked, sha256 ");
    }

    @Test
    void outputsHoldNoPseudonym(@TempDir Path out) throws IOException {
        ImpactAnalysisRun.run(plan, data, out, quiet());
        String somePid = Files.readAllLines(data).get(1).split(",")[0];

        try (Stream<Path> s = Files.list(out)) {
            for (Path f : s.toList()) assertThat(Files.readString(f)).as(f.toString()).doesNotContain(somePid);
        }
    }

    /**
     * Tiny trials (12 to 60 people) give empty levels, lone strata, constant outcomes, arms with no
     * respondents: the analysis must still finish, and withhold what is too small to release.
     */
    @Test
    void tinyTrialsFinishAndWithholdSmallCells(@TempDir Path dir) throws IOException {
        int analysed = 0;
        for (int seed = 1; seed <= 40; seed++) {
            int participants = 12 + (seed * 7) % 49;
            Path csv = dir.resolve("tiny-" + seed + ".csv");
            PlantedEffectTrial.write(csv, participants, seed, PlantedEffectTrial.referenceEffects());
            Path out = dir.resolve("out-" + seed);
            try {
                ImpactAnalysisRun.run(plan, csv, out, quiet());
            } catch (AnalysisInputException e) {
                // A trial group may be absent from a tiny trial: the one input error allowed here.
                assertThat(e.getMessage()).as("seed " + seed).contains("has no participants in");
                continue;
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + ", " + participants + " participants", e);
            }
            analysed++;
            for (CSVRecord r : read(out.resolve(ImpactTablesWriter.IMPACT_TABLE))) {
                for (String column : List.of("n_treatment", "n_control", "missing_treatment", "missing_control")) {
                    String n = r.get(column);
                    assertThat(n.equals("<10") || n.equals("0") || Integer.parseInt(n) >= 10).as("seed " + seed + " " + column).isTrue();
                }
                if (r.get("n_treatment").equals("<10") || r.get("n_control").equals("<10")) {
                    assertThat(r.get("suppressed")).as("seed " + seed).isEqualTo("yes");
                    assertThat(r.get("difference")).isEmpty();
                }
            }
        }
        assertThat(analysed).isGreaterThan(30);
    }

    static List<CSVRecord> read(Path csv) throws IOException {
        try (Reader in = Files.newBufferedReader(csv)) {
            return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in).getRecords();
        }
    }

    static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }
}
