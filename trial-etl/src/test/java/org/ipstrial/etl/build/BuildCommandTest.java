package org.ipstrial.etl.build;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.ipstrial.etl.EtlMain;
import org.ipstrial.etl.read.Progress;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole build on SmallTrial, every expected value worked out by hand. */
class BuildCommandTest {
    @TempDir
    Path dir;
    SmallTrial trial;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() {
        trial = new SmallTrial(dir);
    }

    int build() {
        return EtlMain.run(new String[] {"build", "--config", trial.config.toString()}, new PrintStream(out, true),
                new PrintStream(err, true), Progress.silent());
    }

    @Test
    void participantWithOverlappingSpellsInferredAndReportedEndsAndAnAdjustment() {
        assertThat(build()).as(err.toString()).isZero();
        Map<String, String> p1 = trial.analysisByParticipant().get(SmallTrial.P1);
        // Spells: EMP1 2019-01-01..2019-04-29 (last M1 payment 2019-03-31, more than 92 days before the
        // extract: +1 month -1 day), EMP2 2019-04-15..2019-04-28 (inside EMP1), EMP3 2019-10-01..2019-11-10 (reported).
        // R = 2019-01-15: 105 + 41 days employed in the year.
        assertThat(p1).containsEntry("days_employed_12m", "146").containsEntry("employed_13wk_12m", "1")
                .containsEntry("earnings_12m", "2799.50").containsEntry("months_employed_12m", "6");
        assertThat(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 17).stream().map(m -> p1.get("employed_m" + m)))
                .containsExactly("1", "1", "1", "1", "0", "0", "0", "0", "1", "1", "0", "0", "0", "0");
        assertThat(p1.get("employed_m18")).isEmpty(); // 2020-06-15..2020-07-14 ends after the payroll extract
        assertThat(p1).containsEntry("earnings_m1", "1000.00").containsEntry("earnings_m2", "1000.00")
                .containsEntry("earnings_m3", "99.50").containsEntry("earnings_m4", "200.00").containsEntry("earnings_m5", "0.00")
                .containsEntry("earnings_m10", "500.00").containsEntry("earnings_m17", "0.00").containsEntry("earnings_m18", "");
        // Benefits: JSA 2019-01-15..20 (6 days in the year) + UC searching 2019-02-01..10 (10); UC working_with_requirements is not out of work.
        assertThat(p1).containsEntry("days_oow_benefit_12m", "16").containsEntry("oow_benefit_m1", "1")
                .containsEntry("oow_benefit_m2", "0").containsEntry("oow_benefit_m14", "0").containsEntry("oow_benefit_m15", "")
                .containsEntry("employed_on_benefit_m1", "1").containsEntry("employed_on_benefit_m2", "0")
                .containsEntry("employed_on_benefit_m15", "");
        assertThat(p1).containsEntry("admin_linked", "1").containsEntry("admin_missing_reason", "")
                .containsEntry("payroll_censored_12m", "0").containsEntry("benefits_censored_12m", "0")
                .containsEntry("age_at_randomisation", "38").containsEntry("arm", "treatment").containsEntry("status", "active")
                .containsEntry("randomisation_month", "2019-01");
        // Survey: the complete interview is kept over the one missing swemwbs_7; phq8_8 = -8 leaves PHQ-8 empty.
        assertThat(p1).containsEntry("m4_responded", "1").containsEntry("m4_swemwbs_raw", "21").containsEntry("m4_phq8", "")
                .containsEntry("m4_mode", "web").containsEntry("m4_days_to_interview", "125").containsEntry("m4_gad7", "")
                .containsEntry("m0_responded", "1").containsEntry("m0_swemwbs_raw", "28");
    }

    @Test
    void consentNinoStatusAndTimeZoneRules() {
        assertThat(build()).isZero();
        Map<String, Map<String, String>> rows = trial.analysisByParticipant();
        assertThat(rows).hasSize(5).doesNotContainKey("20000010");
        Map<String, String> p2 = rows.get(SmallTrial.P2);
        assertThat(p2).containsEntry("admin_missing_reason", "no_consent").containsEntry("admin_linked", "")
                .containsEntry("employed_13wk_12m", "").containsEntry("earnings_12m", "").containsEntry("employed_m1", "")
                .containsEntry("m4_responded", "0").containsEntry("m4_swemwbs_raw", "").containsEntry("m0_swemwbs_raw", "");
        assertThat(rows.get(SmallTrial.P3)).containsEntry("admin_missing_reason", "no_valid_nino").containsEntry("admin_linked", "")
                .containsEntry("age_at_randomisation", "33").containsEntry("m4_mode", "").containsEntry("m4_swemwbs_raw", "")
                .containsEntry("m4_phq8", "3");
        assertThat(rows.get(SmallTrial.P4)).containsEntry("admin_missing_reason", "no_valid_nino");
        // P5: randomised 2019-06-30T23:30Z = 2019-07-01 00:30 in London, so R = 2019-07-01; one IO payment.
        Map<String, String> p5 = rows.get(SmallTrial.P5);
        assertThat(p5).containsEntry("randomisation_month", "2019-07").containsEntry("status", "withdrawn")
                .containsEntry("days_to_status", "62").containsEntry("age_at_randomisation", "28")
                .containsEntry("days_employed_12m", "1").containsEntry("employed_13wk_12m", "0").containsEntry("earnings_12m", "300.00")
                .containsEntry("admin_linked", "1").containsEntry("benefits_censored_12m", "1").containsEntry("days_oow_benefit_12m", "")
                .containsEntry("payroll_censored_12m", "0").containsEntry("oow_benefit_m1", "0")
                .containsEntry("m4_swemwbs_raw", "35").containsEntry("m4_phq8", "0").containsEntry("m4_days_to_interview", "123");
    }

    @Test
    void everyRowIsAccountedForInTheContractsBuckets() throws IOException {
        assertThat(build()).isZero();
        JsonNode report = new ObjectMapper().readTree(trial.out().resolve("linkage-report.json").toFile());
        JsonNode payroll = report.at("/row_accounting/payroll");
        assertThat(payroll.get("read").asLong()).isEqualTo(14);
        assertThat(payroll.get("linked").asLong()).isEqualTo(7);
        assertThat(payroll.get("quarantined").asLong()).isEqualTo(4);
        assertThat(payroll.get("date_of_birth_conflict").asLong()).isEqualTo(1);
        assertThat(payroll.get("no_linkage_consent").asLong()).isEqualTo(1);
        assertThat(payroll.get("not_a_participant").asLong()).isEqualTo(1);
        assertThat(report.at("/quarantine_by_reason/payroll").toString()).isEqualTo(
                "{\"invalid_payment_date\":1,\"missing_nino\":1,\"unknown_pay_frequency\":1,\"wrong_number_of_fields\":1}");
        assertThat(report.at("/quarantine_by_reason/benefits").toString()).isEqualTo("{\"end_before_start\":1,\"unknown_uc_regime\":1}");
        assertThat(report.at("/row_accounting/benefits/linked").asLong()).isEqualTo(3);
        assertThat(report.at("/row_accounting/benefits/date_of_birth_conflict").asLong()).isEqualTo(1);
        assertThat(report.at("/row_accounting/benefits/not_a_participant").asLong()).isEqualTo(1);
        assertThat(report.at("/quarantine_by_reason/survey_m4").toString()).isEqualTo("{\"invalid_interview_date\":1,"
                + "\"malformed_participant_id\":1,\"superseded_duplicate_interview\":1,\"unknown_participant_id\":1,\"wrong_wave\":1}");
        assertThat(report.at("/row_accounting/survey_m4/linked").asLong()).isEqualTo(3);
        assertThat(report.at("/quarantine_by_reason/participants").toString()).isEqualTo("{\"malformed_participant_id\":1}");
        assertThat(report.at("/duplicate_survey_interviews/survey_m4/participants_with_duplicate_interviews").asLong()).isEqualTo(1);
        assertThat(report.at("/date_of_birth_conflicts/payroll").asLong()).isEqualTo(1);
        assertThat(report.at("/unknown_columns/payroll").toString()).isEqualTo("[\"batch\"]");
        assertThat(report.at("/unknown_columns/participants").toString()).isEqualTo("[\"export_version\"]");
        assertThat(report.at("/unknown_columns/survey_m4").toString()).isEqualTo("[\"interviewer\"]");
        assertThat(report.at("/field_problems").toString()).contains("survey_m4: mode: unknown code", "survey_m4: swemwbs_4: out of range");
        assertThat(report.at("/participants/administrative_outcomes_missing_no_consent").asLong()).isEqualTo(1);
        assertThat(report.at("/participants/administrative_outcomes_missing_no_valid_nino").asLong()).isEqualTo(2);
        assertThat(report.at("/match_rates/administrative_any/overall/linked").asLong()).isEqualTo(2);
        assertThat(report.at("/match_rates/administrative_any/chi_square_by_arm/computable").asBoolean()).isTrue();
        assertThat(report.at("/censored_outcomes/participants_with_benefits_year_censored").asLong()).isEqualTo(1);
        assertThat(report.at("/restricted_outputs/warning").asText()).startsWith("RESTRICTED");
        for (JsonNode source : report.get("row_accounting")) {
            assertThat(source.get("identity").asText()).endsWith("holds");
        }
        String summary = out.toString(StandardCharsets.UTF_8);
        assertThat(summary).contains("payroll").contains("14").contains("quarantined").contains("discarded");
    }

    @Test
    void quarantineHoldsTheRejectedRowsOwnerOnly() throws IOException {
        assertThat(build()).isZero();
        Path q = trial.out().resolve("restricted/quarantine/payroll.csv");
        List<Map<String, String>> rows = SmallTrial.readCsv(q);
        assertThat(rows).extracting(r -> r.get("reason"))
                .containsExactly("invalid_payment_date", "wrong_number_of_fields", "unknown_pay_frequency", "missing_nino");
        assertThat(rows.get(0).get("line")).isEqualTo("11");
        assertThat(Files.getPosixFilePermissions(q)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(trial.out().resolve("restricted"))).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.getPosixFilePermissions(trial.out().resolve("restricted/crosswalk.csv")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void analysisCsvHasTheContractsNamesAndNoIdentifierColumns() throws IOException {
        assertThat(build()).isZero();
        String header = Files.readAllLines(trial.out().resolve("analysis.csv")).get(0);
        List<String> names = List.of(header.split(","));
        assertThat(names).startsWith("pid").contains("site", "area", "trial_group", "arm", "age_at_randomisation", "sex", "status",
                "employed_13wk_12m", "earnings_12m", "months_employed_12m", "days_oow_benefit_12m", "payroll_censored_12m",
                "benefits_censored_12m", "admin_missing_reason", "admin_linked", "m4_responded", "m4_swemwbs_raw", "m4_eq5d_lss",
                "m4_eq5d_vas", "m4_phq8", "m4_gad7", "m4_jsse", "m4_ons_life_sat");
        for (int m = 1; m <= 22; m++) {
            assertThat(names).contains("employed_m" + m, "earnings_m" + m, "oow_benefit_m" + m, "employed_on_benefit_m" + m);
        }
        assertThat(names).doesNotContain("participant_id", "nino", "nhs_number", "date_of_birth", "postcode", "employer_ref");
        List<Map<String, String>> dictionary = SmallTrial.readCsv(trial.out().resolve("dictionary.csv"));
        assertThat(dictionary).extracting(d -> d.get("name")).containsExactlyElementsOf(names);
        assertThat(dictionary).allSatisfy(d -> assertThat(d.get("label")).isNotBlank());
        assertThat(Files.readString(trial.out().resolve("labels.do"))).contains("label variable employed_13wk_12m")
                .contains("label values employed_13wk_12m");
        assertThat(Files.readString(trial.out().resolve("labels.R"))).contains("attr(analysis$earnings_12m, \"label\")");
    }

    @Test
    void aMissingRequiredColumnStopsTheRunBeforeAnythingIsWritten() {
        trial.write("benefits.csv", "nino,date_of_birth,benefit,uc_regime,start_date\n");
        assertThat(build()).isEqualTo(1);
        assertThat(err.toString()).contains("benefit file").contains("benefits.csv").contains("'end_date'");
        assertThat(trial.out()).doesNotExist();
    }

    @Test
    void aRunThatFailsPartWayLeavesNoDatasetOfAnEarlierRun() throws IOException {
        assertThat(build()).isZero();
        assertThat(trial.out().resolve("analysis.csv")).exists();
        // Broken quoting on line 4 of the payroll file is only found while reading rows.
        trial.write("payroll.csv", Files.readString(dir.resolve("payroll.csv")).replace("AB123456,,EMP1", "\"AB123456\"x,,EMP1"));
        err.reset();
        assertThat(build()).isEqualTo(1);
        assertThat(err.toString()).contains("payroll.csv").contains("not valid CSV after line 3");
        assertThat(trial.out().resolve("analysis.csv")).doesNotExist();
        assertThat(trial.out().resolve("manifest.json")).doesNotExist();
        assertThat(trial.out().resolve("linkage-report.json")).doesNotExist();
    }

    @Test
    void anEmptyFileOrAFileThatIsNotCsvIsAClearError() throws IOException {
        trial.write("survey-4m.csv", "");
        assertThat(build()).isEqualTo(1);
        assertThat(err.toString()).contains("survey-4m.csv").contains("empty");
        Files.write(dir.resolve("survey-4m.csv"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 13});
        err.reset();
        assertThat(build()).isEqualTo(1);
        assertThat(err.toString()).contains("not a CSV text file");
    }

    @Test
    void configurationAndUsageErrorsExitTwo() {
        assertThat(EtlMain.run(new String[] {"build"}, new PrintStream(out), new PrintStream(err), Progress.silent())).isEqualTo(2);
        trial.write("custodian.key", "too short\n");
        assertThat(build()).isEqualTo(2);
        assertThat(err.toString()).contains("fewer than 32 bytes").doesNotContain("too short");
        assertThat(EtlMain.run(new String[] {"bogus"}, new PrintStream(out), new PrintStream(err), Progress.silent())).isEqualTo(2);
    }

    @Test
    void manifestRecordsHashesAndTheKeyIdentifierNeverTheKey() throws IOException {
        assertThat(build()).isZero();
        String manifest = Files.readString(trial.out().resolve("manifest.json"));
        JsonNode m = new ObjectMapper().readTree(manifest);
        assertThat(m.get("key_identifier").asText()).hasSize(8);
        assertThat(m.get("configuration_sha256").asText()).hasSize(64);
        assertThat(m.get("inputs")).hasSize(5);
        assertThat(m.get("outputs").toString()).contains("analysis.csv", "dictionary.csv", "linkage-report.html", "restricted/crosswalk.csv");
        assertThat(manifest).doesNotContain(SmallTrial.KEY).doesNotContain(SmallTrial.KEY.substring(0, 16));
        assertThat(Files.readString(trial.out().resolve("linkage-report.html"))).contains("<table>").contains("RESTRICTED");
    }

    @Test
    void prorationAndSuppliedScoringTablesAreUsedAndRecorded() throws IOException {
        trial.write("sw.csv", "raw,metric\n21,19.98\n35,35.00\n");
        trial.write("q.yml", """
                scores:
                  - name: swemwbs_raw
                    label: SWEMWBS raw total
                    items: [swemwbs_1, swemwbs_2, swemwbs_3, swemwbs_4, swemwbs_5, swemwbs_6, swemwbs_7]
                    min: 1
                    max: 5
                    proratedMissingItems: 1
                    precision: 0
                """);
        trial.write("etl.yml", Files.readString(trial.config).replace("  writeCrosswalk: true",
                "  writeCrosswalk: true\n  questionnaires: q.yml\n  swemwbsConversion: sw.csv"));
        assertThat(build()).as(err.toString()).isZero();
        Map<String, Map<String, String>> rows = trial.analysisByParticipant();
        // P3 answered six items of 3 and one out of range: prorated 18/6 x 7 = 21, converted to 19.98.
        assertThat(rows.get(SmallTrial.P3)).containsEntry("m4_swemwbs_raw", "21").containsEntry("m4_swemwbs_metric", "19.98")
                .doesNotContainKey("m4_phq8");
        assertThat(rows.get(SmallTrial.P5)).containsEntry("m4_swemwbs_metric", "35.00");
        String dictionary = Files.readString(trial.out().resolve("dictionary.json"));
        assertThat(dictionary).contains("up to 1 missing item(s) prorated").contains("sw.csv");
        assertThat(Files.readString(trial.out().resolve("manifest.json"))).contains("\"prorated_missing_items\" : 1");
    }

    @Test
    void crosswalkOnlyWhenAskedFor() throws IOException {
        trial.write("etl.yml", Files.readString(trial.config).replace("writeCrosswalk: true", "writeCrosswalk: false"));
        assertThat(build()).isZero();
        assertThat(trial.out().resolve("restricted/crosswalk.csv")).doesNotExist();
    }
}
