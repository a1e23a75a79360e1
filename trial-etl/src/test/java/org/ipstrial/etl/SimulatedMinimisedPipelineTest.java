package org.ipstrial.etl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.ipstrial.etl.impact.ImpactAnalysisCommand;
import org.ipstrial.etl.read.Progress;
import org.ipstrial.etl.simulation.SimulateTrialCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trial minimised with config/randomisation-minimisation-simulation.yml through the whole
 * platform: the simulator allocates with the minimisation rule, the ETL links it as any other
 * trial, and the analysis with config/analysis-minimised-demo.yml adds the minimisation factor
 * area to every adjusted model (trial_group and m0_work_last_2y are already there) and recovers the
 * planted employment and earnings effects. Coverage over many trials: the simulation study
 * (docs/impact-simulation-study.md, "Minimised trials").
 */
class SimulatedMinimisedPipelineTest {
    private static final long SEED = 12L;

    @Test
    void aMinimisedTrialIsLinkedAndAnalysedWithItsMinimisationFactors(@TempDir Path dir) throws IOException {
        System.out.println("SimulatedMinimisedPipelineTest seed " + SEED);
        Path configFolder = Path.of("../config").toAbsolutePath().normalize();
        Path trial = dir.resolve("trial");
        SimulateTrialCommand.generate(configFolder.resolve("simulation-small.yml"), SEED, 0.2,
                configFolder.resolve("randomisation-minimisation-simulation.yml"), trial);

        Path key = dir.resolve("etl.key");
        Files.writeString(key, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
        Path config = dir.resolve("etl.yml");
        Files.writeString(config, String.join("\n",
                "participants: trial/participants.csv",
                "baseline: trial/baseline.csv",
                "payroll: {file: trial/payroll.csv, extractDate: 2021-09-30}",
                "benefits: {file: trial/benefits.csv, extractDate: 2021-08-31}",
                "surveyWaves: {4m: trial/survey-4m.csv, 12m: trial/survey-12m.csv}",
                "pseudonymisationKeyFile: etl.key",
                "outputFolder: etl",
                "options:",
                "  questionnaires: " + configFolder.resolve("etl-questionnaires.yml"),
                ""));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int built = EtlMain.run(new String[] {"build", "--config", config.toString()}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8), Progress.silent());
        assertThat(built).as(err.toString(StandardCharsets.UTF_8)).isZero();
        List<Map<String, String>> dataset = rows(dir.resolve("etl/analysis.csv"));
        assertThat(dataset).allSatisfy(r -> {
            assertThat(r.get("area")).isNotEmpty();
            assertThat(r.get("m0_work_last_2y")).isIn("1", "2", "3", "4");
        });

        Path data = dir.resolve("etl/analysis.csv");
        assertThat(ImpactAnalysisCommand.run(new String[] {"--plan", configFolder.resolve("analysis-minimised-demo.yml").toString(),
                "--data", data.toString(), "--out", dir.resolve("minimised").toString()})).isZero();
        assertThat(ImpactAnalysisCommand.run(new String[] {"--plan", configFolder.resolve("analysis-demo.yml").toString(),
                "--data", data.toString(), "--out", dir.resolve("blocks-plan").toString()})).isZero();
        assertThat(Files.readString(dir.resolve("minimised/analysis-plan.lock.json"))).contains("minimisation_factors");
        assertThat(Files.readString(dir.resolve("minimised/impact-report.html")))
                .contains("the minimisation factors of the allocation (trial_group, area, m0_work_last_2y)");
        assertThat(Files.readString(dir.resolve("blocks-plan/impact-report.html"))).doesNotContain("minimisation factors");

        Map<String, Double> planted = new HashMap<>();
        for (Map<String, String> r : rows(trial.resolve("truth/effects.csv"))) {
            planted.put(r.get("analysis_group") + "|" + r.get("outcome"), Double.parseDouble(r.get("planted_effect")));
        }
        Map<String, Map<String, String>> withoutFactors = new HashMap<>();
        for (Map<String, String> r : rows(dir.resolve("blocks-plan/impact-table.csv"))) {
            withoutFactors.put(r.get("group") + "|" + r.get("outcome") + "|" + r.get("estimator"), r);
        }
        // Each group's areas add (areas - 1) dummies to the adjusted model: A-IW and A-OOW 3 areas, B-OOW 2.
        Map<String, Integer> areaTerms = Map.of("A-IW", 2, "A-OOW", 2, "B-OOW", 1);
        int checked = 0;
        for (Map<String, String> row : rows(dir.resolve("minimised/impact-table.csv"))) {
            String group = row.get("group");
            String outcome = row.get("outcome");
            if (!areaTerms.containsKey(group) || !row.get("estimator").equals("adjusted")
                    || !List.of("employed_13wk_12m", "earnings_12m").contains(outcome)) {
                continue;
            }
            Map<String, String> blocksPlan = withoutFactors.get(group + "|" + outcome + "|adjusted");
            assertThat(Integer.parseInt(row.get("model_terms"))).as("%s %s", group, outcome)
                    .isEqualTo(Integer.parseInt(blocksPlan.get("model_terms")) + areaTerms.get(group));
            double truth = planted.get(group + "|" + outcome);
            double effect = Double.parseDouble(row.get("difference"));
            double se = Double.parseDouble(row.get("se_hc2"));
            // Three SEs: six checks, each fails 0.3% of the time by chance.
            assertThat(Math.abs(effect - truth)).as("%s %s: %s (SE %s), planted %s", group, outcome, effect, se, truth)
                    .isLessThan(3 * se);
            checked++;
        }
        assertThat(checked).isEqualTo(6);
    }

    private static List<Map<String, String>> rows(Path file) throws IOException {
        try (CSVParser parser = CSVParser.parse(file, StandardCharsets.UTF_8,
                CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get())) {
            return parser.getRecords().stream().map(CSVRecord::toMap).toList();
        }
    }
}
