package org.ipstrial.etl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.ipstrial.etl.impact.ImpactAnalysisCommand;
import org.ipstrial.etl.read.Progress;
import org.ipstrial.etl.simulation.SimulateTrialCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulator with a delivery model (effects planted among compliers) through the ETL, with its
 * delivery file, and the impact analysis with the complier average causal effect: the file is in
 * the contract's format, every row links, attendance sits in the dataset, and each trial group's
 * CACE lands near the effect planted among its compliers. The coverage over many trials is the
 * simulation study's (docs/impact-simulation-study.md).
 */
class SimulatedDeliveryPipelineTest {
    private static final long SEED = 11L;
    private static final String HEADER = "participant_id,sessions,sessions_over_15_minutes,first_session_date,engaged,"
            + "vocational_profile_date,first_employer_contact_date,job_starts,first_job_start_date,first_job_hours_per_week";

    @Test
    void theDeliveryFileIsLinkedAndTheComplierEffectRecoversThePlantedEffect(@TempDir Path dir) throws IOException {
        System.out.println("SimulatedDeliveryPipelineTest seed " + SEED);
        Path configFolder = Path.of("../config").toAbsolutePath().normalize();
        String small = Files.readString(configFolder.resolve("simulation-small.yml"))
                .replace("trial_definition: trial-demo.yml", "trial_definition: " + configFolder.resolve("trial-demo.yml"))
                .replace("design: randomisation-simulation.yml", "design: " + configFolder.resolve("randomisation-simulation.yml"));
        Path simulation = dir.resolve("simulation.yml");
        Files.writeString(simulation, small + "\ndelivery:\n  engaged_share: 0.8\n");
        Path trial = dir.resolve("trial");
        SimulateTrialCommand.generate(simulation, SEED, 0.2, trial);

        List<Map<String, String>> participants = rows(trial.resolve("participants.csv"));
        List<Map<String, String>> delivery = rows(trial.resolve("delivery.csv"));
        assertThat(Files.readAllLines(trial.resolve("delivery.csv")).get(0)).isEqualTo(HEADER);
        Set<String> treated = new HashSet<>();
        participants.stream().filter(p -> p.get("arm").equals("treatment")).forEach(p -> treated.add(p.get("participant_id")));
        assertThat(delivery).hasSize(treated.size()).allSatisfy(d -> assertThat(treated).contains(d.get("participant_id")));
        long engaged = delivery.stream().filter(d -> d.get("engaged").equals("true")).count();
        assertThat((double) engaged / delivery.size()).isBetween(0.74, 0.86);
        assertThat(delivery).allSatisfy(d -> assertThat(d.get("engaged").equals("true")).isEqualTo(!d.get("sessions").equals("0")));
        assertThat(Files.readString(trial.resolve("etl-inputs.json"))).contains("\"delivery.csv\"");

        Path key = dir.resolve("etl.key");
        Files.writeString(key, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
        Path config = dir.resolve("etl.yml");
        Files.writeString(config, String.join("\n",
                "participants: trial/participants.csv",
                "baseline: trial/baseline.csv",
                "payroll: {file: trial/payroll.csv, extractDate: 2021-09-30}",
                "benefits: {file: trial/benefits.csv, extractDate: 2021-08-31}",
                "surveyWaves: {4m: trial/survey-4m.csv, 12m: trial/survey-12m.csv}",
                "delivery: trial/delivery.csv",
                "pseudonymisationKeyFile: etl.key",
                "outputFolder: etl",
                "options:",
                "  questionnaires: " + configFolder.resolve("etl-questionnaires.yml"),
                ""));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int built = EtlMain.run(new String[] {"build", "--config", config.toString()}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8), Progress.silent());
        assertThat(built).as(err.toString(StandardCharsets.UTF_8)).isZero();
        String report = Files.readString(dir.resolve("etl/linkage-report.json"));
        assertThat(report).contains("\"treatment_with_delivery\" : " + delivery.size());
        List<Map<String, String>> dataset = rows(dir.resolve("etl/analysis.csv"));
        assertThat(dataset.stream().filter(r -> r.get("delivery_engaged").equals("1")).count()).isEqualTo(engaged);
        assertThat(dataset).allSatisfy(r -> assertThat(r.get("delivery_missing_reason")).isEmpty());

        Path plan = dir.resolve("plan.yml");
        Files.writeString(plan, Files.readString(configFolder.resolve("analysis-demo.yml"))
                + "\ncomplier_average_causal_effect:\n  received: delivery_engaged\n");
        int analysed = ImpactAnalysisCommand.run(new String[] {"--plan", plan.toString(), "--data",
                dir.resolve("etl/analysis.csv").toString(), "--out", dir.resolve("impact").toString()});
        assertThat(analysed).isZero();
        List<Map<String, String>> cace = rows(dir.resolve("impact/cace-table.csv"));
        Map<String, Map<String, Double>> planted = Map.of(
                "A-IW", Map.of("employed_13wk_12m", 0.03, "earnings_12m", 442.0),
                "A-OOW", Map.of("employed_13wk_12m", 0.0, "earnings_12m", 0.0),
                "B-OOW", Map.of("employed_13wk_12m", 0.04, "earnings_12m", 150.0));
        int checked = 0;
        for (Map<String, String> row : cace) {
            Double truth = planted.getOrDefault(row.get("group"), Map.of()).get(row.get("outcome"));
            if (truth == null) continue;
            double effect = Double.parseDouble(row.get("cace"));
            double se = Double.parseDouble(row.get("se_hc1"));
            double compliance = Double.parseDouble(row.get("compliance"));
            double itt = Double.parseDouble(row.get("itt_difference"));
            // Near the planted effect among compliers (three SEs: six checks, each fails 0.3% of the time by chance).
            assertThat(Math.abs(effect - truth)).as("%s %s: %s (SE %s), planted %s", row.get("group"), row.get("outcome"),
                    effect, se, truth).isLessThan(3 * se);
            // Indirect least squares: the CACE is the adjusted ITT over the adjusted complier share (no one's attendance missing).
            assertThat(effect).isCloseTo(itt / compliance, org.assertj.core.api.Assertions.within(1e-4 * Math.max(1, Math.abs(effect))));
            assertThat(compliance).isBetween(0.65, 0.95);
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
