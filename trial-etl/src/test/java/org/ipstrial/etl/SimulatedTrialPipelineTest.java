package org.ipstrial.etl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ipstrial.etl.impact.ImpactAnalysisCommand;
import org.ipstrial.etl.read.Progress;
import org.ipstrial.etl.simulation.SimulateTrialCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three programs an analyst chains, on one small simulated trial: the simulator's files are
 * what the ETL reads, and the ETL's dataset is what the impact analysis reads (the README's
 * scripts/demo-trial, at a small scale).
 */
class SimulatedTrialPipelineTest {

    @Test
    void aSimulatedTrialIsLinkedAndAnalysed(@TempDir Path dir) throws IOException {
        Path trial = dir.resolve("trial");
        SimulateTrialCommand.generate(Path.of("../config/simulation-small.yml"), 11L, null, trial);
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
                "  questionnaires: " + Path.of("../config/etl-questionnaires.yml").toAbsolutePath(),
                ""));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int built = EtlMain.run(new String[] {"build", "--config", config.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), Progress.silent());
        assertThat(built).as(err.toString(StandardCharsets.UTF_8)).isZero();

        long participants = Files.readAllLines(trial.resolve("participants.csv")).size() - 1;
        List<String> dataset = Files.readAllLines(dir.resolve("etl/analysis.csv"));
        assertThat(dataset).hasSize((int) participants + 1);
        assertThat(dataset.get(0)).contains("m0_work_last_2y").contains("employed_13wk_12m").contains("m12_swemwbs_raw");

        int analysed = ImpactAnalysisCommand.run(new String[] {"--plan", "../config/analysis-demo.yml",
                "--data", dir.resolve("etl/analysis.csv").toString(), "--out", dir.resolve("impact").toString()});
        assertThat(analysed).isZero();
        List<String> headline = Files.readAllLines(dir.resolve("impact/impact-table.csv")).stream()
                .filter(l -> l.contains(",yes,")).toList();
        assertThat(headline).hasSize(25); // 5 analysis groups x 5 outcomes of the demo plan
    }
}
