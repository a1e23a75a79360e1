package org.ipstrial.etl.build;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.ipstrial.etl.config.ConfigurationLoader;
import org.ipstrial.etl.config.EtlConfiguration;
import org.ipstrial.etl.read.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service's delivery file through the whole build: each check's quarantine reason, the row
 * accounting, the dataset's delivery columns for linked, control and missing participants, and the
 * same bytes whatever the number of partitions.
 */
class DeliveryLinkageTest {
    /** Treatment recruits added to the small trial, one per rule below (valid Damm identifiers). */
    private static final List<String> EXTRA = List.of("30000018", "30000026", "30000039", "30000047", "30000052", "30000060",
            "30000071", "30000083", "30000094", "30000107");
    private static final String HEADER = "\uFEFFParticipant_ID,Sessions,sessions_over_15_minutes,first_session_date,ENGAGED,"
            + "vocational_profile_date,first_employer_contact_date,job_starts,first_job_start_date,first_job_hours_per_week,note\r\n";

    private SmallTrial trialWithDelivery(Path dir) throws IOException {
        SmallTrial trial = new SmallTrial(dir);
        StringBuilder extra = new StringBuilder();
        for (String id : EXTRA) {
            extra.append(id).append(",A,A1,A-OOW,treatment,2019-04-01T09:00:00Z,,,1980-01-01,female,LS1 1AA,false,active,,3\r\n");
        }
        Files.writeString(dir.resolve("participants.csv"), extra.toString(), StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        trial.write("delivery.csv", HEADER
                // P1 (R 2019-01-15): linked; dates in both formats
                + SmallTrial.P1 + ",5,3,20/01/2019,TRUE,2019-02-01,10/03/2019,1,2019-04-15,37.50,x\r\n"
                // never engaged: linked, zeros
                + "3000-0018,0,0,,false,,,0,,,x\r\n"
                // 30000026 has no row: not_in_delivery_file
                + "30000039,1,1,2019-04-02,true,,,0,,,first\r\n"
                + "30000039,2,1,2019-04-02,true,,,0,,,second\r\n"
                + "30000047,1,1,2019-04-02,yes,,,0,,,x\r\n"
                + "30000052,2,3,2019-04-02,true,,,0,,,x\r\n"
                + "30000060,1,0,2019-02-30,true,,,0,,,x\r\n"
                + "30000071,1,0,2019-04-02,true,,,1,,,x\r\n"
                + "30000083,1,0,2019-04-02,true,,,1,2019-05-01,120,x\r\n"
                + "30000094,1,0,2019-03-31,true,,,0,,,x\r\n"
                + "30000107,1,0,2019-04-02,true,,,-1,,,x\r\n"
                // P3 (treatment): engaged but no session
                + SmallTrial.P3 + ",0,0,,true,,,0,,,x\r\n"
                // P2 is a control participant
                + SmallTrial.P2 + ",1,1,2019-03-01,true,,,0,,,x\r\n"
                + "20000065,1,1,2019-03-01,true,,,0,,,x\r\n"
                + "1234,1,1,2019-03-01,true,,,0,,,x\r\n"
                + SmallTrial.P2 + ",1\r\n");
        String config = Files.readString(trial.config).replace("outputFolder: out\n", "outputFolder: out\ndelivery: delivery.csv\n");
        trial.write("etl.yml", config);
        return trial;
    }

    @Test
    void everyRowIsAccountedForAndEachCheckHasItsReason(@TempDir Path dir) throws IOException {
        SmallTrial trial = trialWithDelivery(dir);
        BuildCommand.build(ConfigurationLoader.load(trial.config), Progress.silent());

        JsonNode report = new ObjectMapper().readTree(trial.out().resolve("linkage-report.json").toFile());
        JsonNode accounting = report.get("row_accounting").get("delivery");
        assertThat(accounting.get("read").asLong()).isEqualTo(16);
        assertThat(accounting.get("linked").asLong()).isEqualTo(2);
        assertThat(accounting.get("quarantined").asLong()).isEqualTo(14);
        assertThat(accounting.get("identity").asText()).endsWith("holds");
        Map<String, Long> reasons = new TreeMap<>();
        report.get("quarantine_by_reason").get("delivery").fields().forEachRemaining(e -> reasons.put(e.getKey(), e.getValue().asLong()));
        assertThat(reasons).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("duplicate_participant_id", 2L), Map.entry("invalid_engaged", 1L), Map.entry("invalid_session_count", 1L),
                Map.entry("invalid_delivery_date", 1L), Map.entry("inconsistent_delivery", 2L), Map.entry("invalid_hours_per_week", 1L),
                Map.entry("delivery_before_randomisation", 1L), Map.entry("invalid_job_starts", 1L),
                Map.entry("delivery_for_control_participant", 1L), Map.entry("unknown_participant_id", 1L),
                Map.entry("malformed_participant_id", 1L), Map.entry("wrong_number_of_fields", 1L)));
        assertThat(report.get("unknown_columns").get("delivery").toString()).contains("note");
        JsonNode delivery = report.get("delivery");
        assertThat(delivery.get("treatment_participants").asLong()).isEqualTo(12);
        assertThat(delivery.get("treatment_with_delivery").asLong()).isEqualTo(2);
        assertThat(delivery.get("treatment_missing_by_reason").get("not_in_delivery_file").asLong()).isEqualTo(1);
        assertThat(delivery.get("treatment_missing_by_reason").get("duplicate_delivery_rows").asLong()).isEqualTo(1);
        assertThat(delivery.get("treatment_missing_by_reason").get("delivery_row_quarantined").asLong()).isEqualTo(8);
        assertThat(delivery.get("treatment_engaged").asLong()).isEqualTo(1);

        // The quarantine keeps each rejected row with its line and reason.
        List<Map<String, String>> quarantined = SmallTrial.readCsv(trial.out().resolve("restricted/quarantine/delivery.csv"));
        assertThat(quarantined).hasSize(14);
        assertThat(quarantined.stream().filter(r -> r.get("reason").equals("delivery_before_randomisation")).findFirst().orElseThrow()
                .get("line")).isEqualTo("11");
        assertThat(Files.readString(trial.out().resolve("analysis.csv"))).doesNotContain(SmallTrial.P1).doesNotContain("30000039");
    }

    @Test
    void theDatasetCarriesDeliveryWithZerosForControlsAndReasonsForTheMissing(@TempDir Path dir) throws IOException {
        SmallTrial trial = trialWithDelivery(dir);
        BuildCommand.build(ConfigurationLoader.load(trial.config), Progress.silent());
        Map<String, Map<String, String>> rows = trial.analysisByParticipant();

        Map<String, String> p1 = rows.get(SmallTrial.P1);
        assertThat(delivery(p1)).containsExactlyEntriesOf(ordered(
                "delivery_missing_reason", "", "delivery_engaged", "1", "delivery_sessions", "5", "delivery_sessions_over_15", "3",
                "delivery_first_session_days", "5", "delivery_vocational_profile_days", "17",
                "delivery_employer_contact_days", "54", "delivery_job_starts", "1", "delivery_first_job_start_days", "90",
                "delivery_first_job_hours", "37.5"));
        assertThat(delivery(rows.get("30000018"))).containsEntry("delivery_engaged", "0").containsEntry("delivery_sessions", "0")
                .containsEntry("delivery_first_session_days", "").containsEntry("delivery_missing_reason", "");
        assertThat(delivery(rows.get(SmallTrial.P2))).containsExactlyEntriesOf(ordered(
                "delivery_missing_reason", "", "delivery_engaged", "0", "delivery_sessions", "0", "delivery_sessions_over_15", "0",
                "delivery_first_session_days", "", "delivery_vocational_profile_days", "", "delivery_employer_contact_days", "",
                "delivery_job_starts", "0", "delivery_first_job_start_days", "", "delivery_first_job_hours", ""));
        assertThat(delivery(rows.get("30000026"))).containsEntry("delivery_missing_reason", "not_in_delivery_file")
                .containsEntry("delivery_engaged", "").containsEntry("delivery_sessions", "").containsEntry("delivery_job_starts", "");
        assertThat(rows.get("30000039")).containsEntry("delivery_missing_reason", "duplicate_delivery_rows");
        assertThat(rows.get("30000047")).containsEntry("delivery_missing_reason", "delivery_row_quarantined");
        assertThat(rows.get(SmallTrial.P3)).containsEntry("delivery_missing_reason", "delivery_row_quarantined");

        String dictionary = Files.readString(trial.out().resolve("dictionary.csv"));
        for (String column : p1.keySet().stream().filter(c -> c.startsWith("delivery_")).toList()) {
            assertThat(dictionary).contains(column + ",");
        }
        // The delivery columns come last, after every column of a build without the file.
        List<String> header = List.copyOf(p1.keySet());
        assertThat(header.subList(header.size() - 10, header.size())).allMatch(c -> c.startsWith("delivery_"));
    }

    @Test
    void withoutTheFileTheDatasetHasNoDeliveryColumns(@TempDir Path dir) throws IOException {
        SmallTrial trial = new SmallTrial(dir);
        BuildCommand.build(ConfigurationLoader.load(trial.config), Progress.silent());

        assertThat(Files.readAllLines(trial.out().resolve("analysis.csv")).get(0)).doesNotContain("delivery");
        assertThat(Files.readString(trial.out().resolve("linkage-report.json"))).doesNotContain("delivery");
        assertThat(trial.out().resolve("restricted/quarantine/delivery.csv")).doesNotExist();
    }

    @Test
    void sameBytesWithOneOrManyPartitions(@TempDir Path dir) throws IOException {
        SmallTrial trial = trialWithDelivery(dir);
        EtlConfiguration config = ConfigurationLoader.load(trial.config);
        BuildCommand.build(config, Progress.silent(), 1);
        Map<String, String> reference = outputs(trial.out());
        for (int partitions : new int[] {3, 17}) {
            BuildCommand.build(config, Progress.silent(), partitions);
            assertThat(outputs(trial.out())).as("%d partitions", partitions).isEqualTo(reference);
        }
        assertThat(reference.get("analysis.csv")).contains("delivery_engaged");
    }

    private static Map<String, String> outputs(Path out) throws IOException {
        try (var files = Files.walk(out)) {
            return files.filter(Files::isRegularFile).collect(Collectors.toMap(p -> out.relativize(p).toString(), p -> {
                try {
                    return Files.readString(p);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, (a, b) -> a, TreeMap::new));
        }
    }

    private static Map<String, String> delivery(Map<String, String> row) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        row.forEach((k, v) -> {
            if (k.startsWith("delivery_")) m.put(k, v);
        });
        return m;
    }

    private static Map<String, String> ordered(String... pairs) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) m.put(pairs[i], pairs[i + 1]);
        return m;
    }
}
