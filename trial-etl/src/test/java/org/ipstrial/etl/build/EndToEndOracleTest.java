package org.ipstrial.etl.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ipstrial.etl.config.ConfigurationLoader;
import org.ipstrial.etl.demo.SyntheticTrialFiles;
import org.ipstrial.etl.oracle.SimpleOracle;
import org.ipstrial.etl.read.Progress;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Generated, messy files (seeded) through the real build, every value compared with the simple
 * oracle in {@code org.ipstrial.etl.oracle}, which counts days one by one from the contract's text.
 */
class EndToEndOracleTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1L, 20191003L, 777L})
    void everyValueAgreesWithTheOracle(long seed) throws IOException {
        Path in = dir.resolve("in");
        new SyntheticTrialFiles(new SyntheticTrialFiles.Scale(300, 15_000, 2_000, seed)).writeTo(in);
        // Extract dates chosen so that some outcome years and months are censored and some are not.
        LocalDate payrollExtract = LocalDate.of(2020, 3, 31);
        LocalDate benefitExtract = LocalDate.of(2020, 1, 31);
        Files.writeString(dir.resolve("etl.yml"), """
                participants: in/participants.csv
                baseline: in/baseline.csv
                payroll: {file: in/payroll.csv, extractDate: %s}
                benefits: {file: in/benefits.csv, extractDate: %s}
                surveyWaves: {4m: in/survey-4m.csv, 12m: in/survey-12m.csv}
                pseudonymisationKeyFile: in/demo.key
                outputFolder: out
                options: {writeCrosswalk: true}
                """.formatted(payrollExtract, benefitExtract));
        BuildCommand.build(ConfigurationLoader.load(dir.resolve("etl.yml")), Progress.silent());

        Map<String, Path> waves = new LinkedHashMap<>();
        waves.put("4m", in.resolve("survey-4m.csv"));
        waves.put("12m", in.resolve("survey-12m.csv"));
        SimpleOracle oracle = new SimpleOracle();
        Map<String, Map<String, String>> expected = oracle.expected(in.resolve("participants.csv"), in.resolve("baseline.csv"), waves,
                in.resolve("payroll.csv"), payrollExtract, in.resolve("benefits.csv"), benefitExtract);
        Map<String, Map<String, String>> actual = new SmallTrial(dir, false).analysisByParticipant();

        assertThat(actual.keySet()).as("seed %d", seed).isEqualTo(expected.keySet());
        int compared = 0;
        for (Map.Entry<String, Map<String, String>> person : expected.entrySet()) {
            Map<String, String> row = actual.get(person.getKey());
            for (Map.Entry<String, String> value : person.getValue().entrySet()) {
                assertThat(row.get(value.getKey())).as("seed %d, participant #%d, column %s", seed,
                        compared / person.getValue().size(), value.getKey()).isEqualTo(value.getValue());
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(300 * 100);
        // The data exercise the rules: some employment, some benefits, some censoring, some responses.
        assertThat(expected.values()).anySatisfy(v -> assertThat(v.get("employed_13wk_12m")).isEqualTo("1"));
        assertThat(expected.values()).anySatisfy(v -> assertThat(v.get("employed_13wk_12m")).isEqualTo("0"));
        assertThat(expected.values()).anySatisfy(v -> assertThat(v.get("employed_on_benefit_m3")).isEqualTo("1"));
        assertThat(expected.values()).anySatisfy(v -> assertThat(v.get("payroll_censored_12m")).isEqualTo("1"));
        assertThat(expected.values()).anySatisfy(v -> assertThat(v.get("admin_missing_reason")).isEqualTo("no_consent"));
        assertThat(expected.values()).anySatisfy(v -> assertThat(v.get("m12_swemwbs_raw")).isNotEmpty());
        var report = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("out/linkage-report.json").toFile());
        assertThat(report.at("/row_accounting/payroll/linked").asLong()).as("seed %d", seed).isEqualTo(oracle.payrollLinked);
        assertThat(report.at("/row_accounting/benefits/linked").asLong()).as("seed %d", seed).isEqualTo(oracle.benefitsLinked);
    }
}
