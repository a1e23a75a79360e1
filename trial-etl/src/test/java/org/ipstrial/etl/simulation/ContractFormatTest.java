package org.ipstrial.etl.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated files parse as the ETL contract (../shared/contracts/etl-inputs.md) says they must. */
class ContractFormatTest {
    private static final long SEED = 21;
    private static final Pattern ISO = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern DAY_FIRST = Pattern.compile("\\d{2}/\\d{2}/\\d{4}");
    private static final DateTimeFormatter DAY_FIRST_FORMAT = DateTimeFormatter.ofPattern("dd/MM/uuuu")
            .withResolverStyle(ResolverStyle.STRICT);
    private static final Pattern MONEY = Pattern.compile("-?£?(\\d{1,3}(,\\d{3})+|\\d+)(\\.\\d{1,2})?");
    private static final Set<String> FREQUENCIES = Set.of("W1", "W2", "W4", "M1", "M3", "M6", "MA", "IO", "IR");
    private static final Set<String> REGIMES = Set.of("searching", "planning", "preparing", "no_work_requirements",
            "working_with_requirements", "light_touch");

    @TempDir
    static Path directory;
    static SimulatedTrial trial;

    @BeforeAll
    static void generate() {
        trial = TrialSimulator.simulate(Fixtures.small(SEED, 0.05));
        TrialFiles.write(trial, directory);
    }

    /** A contract date, or null when the text is not one. */
    static LocalDate date(String text) {
        try {
            if (ISO.matcher(text).matches()) {
                return LocalDate.parse(text);
            }
            if (DAY_FIRST.matcher(text).matches()) {
                return LocalDate.parse(text, DAY_FIRST_FORMAT);
            }
        } catch (DateTimeParseException e) {
            return null;
        }
        return null;
    }

    static String normalisedNino(String text) {
        return text.toUpperCase(java.util.Locale.ROOT).replaceAll("\\s", "");
    }

    /** The contract's validity rule for a normalised number (suffix may be missing). */
    static boolean validNino(String n) {
        if (!n.matches("[A-Z]{2}\\d{6}[A-D]?")) {
            return false;
        }
        String prefix = n.substring(0, 2);
        return "DFIQUV".indexOf(n.charAt(0)) < 0 && "DFIOQUV".indexOf(n.charAt(1)) < 0
                && !Set.of("BG", "GB", "KN", "NK", "NT", "TN", "ZZ").contains(prefix);
    }

    private static List<String> header(List<CSVRecord> records) {
        return records.get(0).toList();
    }

    @Test
    void participantFileIsTheServicesExport() {
        List<CSVRecord> rows = Fixtures.records(directory.resolve("participants.csv"));
        assertThat(header(rows)).isEqualTo(ServiceExportWriter.PARTICIPANT_COLUMNS);
        assertThat(rows).hasSize(1 + (int) trial.persons().stream().filter(p -> !p.erased()).count());
        Set<String> ids = new HashSet<>();
        String previous = "";
        for (CSVRecord row : rows.subList(1, rows.size())) {
            String id = row.get(0);
            assertThat(Identifiers.isValidParticipantId(id)).as("participant id Damm check, seed %d", SEED).isTrue();
            assertThat(id).matches("\\d{8}").isGreaterThan(previous);
            previous = id;
            assertThat(ids.add(id)).isTrue();
            assertThat(row.get(1)).isIn("A", "B");
            assertThat(row.get(3)).isIn("A-OOW", "A-IW", "B-OOW");
            assertThat(row.get(2)).startsWith(row.get(1) + "-");
            assertThat(row.get(4)).isIn("treatment", "control");
            assertThat(OffsetDateTime.parse(row.get(5)).getYear()).isBetween(2018, 2019);
            assertThat(row.get(6).isEmpty() || validNino(row.get(6)) && row.get(6).length() == 9).isTrue();
            assertThat(row.get(7)).matches("|\\d{10}");
            assertThat(LocalDate.parse(row.get(8))).isBefore(LocalDate.of(2001, 1, 1));
            assertThat(row.get(9)).isIn("female", "male", "intersex", "prefer_not_to_say");
            assertThat(row.get(10)).matches("Z[A-Z]\\d{1,2} \\d[A-Z]{2}");
            assertThat(row.get(11)).isIn("true", "false");
            assertThat(row.get(12)).isIn("true", "false");
            assertThat(row.get(13)).isIn("active", "withdrawn", "deceased");
            assertThat(row.get(14).isEmpty()).isEqualTo(row.get(13).equals("active"));
            assertThat(row.get(17)).isEqualTo(row.get(1) + "/" + row.get(3));
            assertThat(row.get(18)).isEqualTo("1");
        }
    }

    @Test
    void baselineFileHasTheDemoQuestionnairesItemsAndCodes() {
        List<CSVRecord> rows = Fixtures.records(directory.resolve("baseline.csv"));
        List<String> header = header(rows);
        assertThat(header.subList(0, 4)).containsExactly("participant_id", "questionnaire_version", "gender", "ethnicity");
        assertThat(header).contains("health_conditions_1", "health_conditions_21", "eq5d_mo", "eq5d_vas", "work_last_2y",
                "barriers_8", "jsse_1", "jsse_9");
        for (CSVRecord row : rows.subList(1, rows.size())) {
            assertThat(row.get(1)).isEqualTo("baseline-1");
            for (int c = 2; c < header.size(); c++) {
                int value = Integer.parseInt(row.get(c));
                String column = header.get(c);
                if (value < 0) {
                    assertThat(value).as(column).isIn(-8, -9);
                } else if (column.equals("eq5d_vas")) {
                    assertThat(value).isBetween(0, 100);
                } else if (column.startsWith("eq5d_") || column.startsWith("jsse_")) {
                    assertThat(value).as(column).isBetween(1, 5);
                } else if (column.startsWith("health_conditions_") || column.startsWith("barriers_")) {
                    assertThat(value).as(column).isBetween(0, 1);
                } else {
                    assertThat(value).as(column).isBetween(1, 7);
                }
            }
        }
    }

    @Test
    void payrollRowsParseExceptTheFewMalformedOnes() throws IOException {
        Path file = directory.resolve("payroll.csv");
        assertThat(Files.readString(file)).contains("\r\n").doesNotStartWith("\uFEFF");
        List<CSVRecord> rows = Fixtures.records(file);
        assertThat(header(rows)).isEqualTo(ProviderFileWriter.PAYROLL_COLUMNS);
        int bad = 0;
        Set<String> styles = new HashSet<>();
        for (CSVRecord row : rows.subList(1, rows.size())) {
            String nino = row.get(0);
            boolean ok = validNino(normalisedNino(nino)) && date(row.get(5)) != null && MONEY.matcher(row.get(7)).matches()
                    && (row.get(1).isEmpty() || date(row.get(1)) != null) && (row.get(3).isEmpty() || date(row.get(3)) != null)
                    && (row.get(4).isEmpty() || date(row.get(4)) != null);
            if (!ok) {
                bad++;
                continue;
            }
            assertThat(row.get(6)).isIn(FREQUENCIES);
            assertThat(row.get(8)).isIn("", "A", "B", "C", "D", "E");
            if (nino.contains(" ")) {
                styles.add("spaced");
            }
            if (!nino.equals(nino.toUpperCase())) {
                styles.add("lower case");
            }
            if (normalisedNino(nino).length() == 8) {
                styles.add("no suffix");
            }
            if (DAY_FIRST.matcher(row.get(5)).matches()) {
                styles.add("day-first date");
            }
            if (row.get(7).startsWith("£")) {
                styles.add("pound sign");
            }
            if (row.get(7).contains(",")) {
                styles.add("thousands separator");
            }
            if (row.get(7).startsWith("-")) {
                styles.add("negative adjustment");
            }
        }
        int expected = (int) Math.round((rows.size() - 1) / 1.003 * 0.003);
        assertThat(bad).as("malformed payroll rows, seed %d", SEED).isBetween(1, expected + 1);
        assertThat(styles).containsExactlyInAnyOrder("spaced", "lower case", "no suffix", "day-first date", "pound sign",
                "thousands separator", "negative adjustment");
    }

    @Test
    void benefitSpellsParseAndSomeAreOpen() throws IOException {
        Path file = directory.resolve("benefits.csv");
        assertThat(Files.readString(file)).startsWith("\uFEFF").doesNotContain("\r\n");
        List<CSVRecord> rows = Fixtures.records(file);
        assertThat(header(rows)).isEqualTo(ProviderFileWriter.BENEFIT_COLUMNS);
        int bad = 0;
        int open = 0;
        for (CSVRecord row : rows.subList(1, rows.size())) {
            LocalDate start = date(row.get(4));
            LocalDate end = row.get(5).isEmpty() ? null : date(row.get(5));
            if (!validNino(normalisedNino(row.get(0))) || start == null || (!row.get(5).isEmpty() && (end == null || end.isBefore(start)))) {
                bad++;
                continue;
            }
            assertThat(row.get(2)).isIn("JSA", "ESA", "IS", "IB", "UC", "PIP", "DLA", "CA", "HB");
            if (!row.get(3).isEmpty()) {
                assertThat(row.get(2)).isEqualTo("UC");
                assertThat(row.get(3)).isIn(REGIMES);
            }
            if (end == null) {
                open++;
            }
        }
        assertThat(open).isGreaterThan(0);
        assertThat(bad).isLessThanOrEqualTo((int) Math.round(rows.size() * 0.003) + 1);
    }

    @Test
    void surveyFilesHaveTheContractsColumnsAndCodes() throws IOException {
        int duplicatesInAllWaves = 0;
        Set<String> participants = new HashSet<>();
        trial.persons().stream().filter(p -> !p.erased()).forEach(p -> participants.add(p.participantId()));
        for (String wave : List.of("4m", "12m")) {
            Path file = directory.resolve("survey-" + wave + ".csv");
            String text = Files.readString(file);
            assertThat(text.startsWith("\uFEFF")).isEqualTo(wave.equals("12m"));
            assertThat(text.contains("\r\n")).isEqualTo(wave.equals("12m"));
            List<CSVRecord> rows = Fixtures.records(file);
            List<String> header = header(rows);
            assertThat(header.subList(0, 4)).containsExactly("participant_id", "wave", "interview_date", "mode");
            assertThat(header).contains("swemwbs_7", "phq8_8", "gad7_7", "jsse_9", "eq5d_mo", "eq5d_sc", "eq5d_ua", "eq5d_pd",
                    "eq5d_ad", "eq5d_vas", "ons_life_sat", "employed_now", "hours_per_week");
            int malformed = 0;
            int unknown = 0;
            Set<String> seen = new HashSet<>();
            int duplicates = 0;
            for (CSVRecord row : rows.subList(1, rows.size())) {
                if (!Identifiers.isValidParticipantId(row.get(0)) || date(row.get(2)) == null) {
                    malformed++;
                    continue;
                }
                String id = row.get(0).replaceAll("[- ]", "");
                if (!participants.contains(id)) {
                    unknown++;
                    continue;
                }
                if (!seen.add(id)) {
                    duplicates++;
                }
                assertThat(row.get(1)).isEqualTo(wave);
                assertThat(row.get(3)).isIn("face_to_face", "telephone", "web");
                for (int c = 4; c < header.size(); c++) {
                    String cell = row.get(c);
                    if (cell.isEmpty()) {
                        continue;
                    }
                    int value = Integer.parseInt(cell);
                    String item = header.get(c);
                    if (value == -8 || value == -9 || (value == -1 && item.equals("hours_per_week"))) {
                        continue;
                    }
                    int[] range = switch (item.replaceAll("_\\d+$", "")) {
                        case "swemwbs", "jsse" -> new int[] {1, 5};
                        case "phq8", "gad7" -> new int[] {0, 3};
                        case "eq5d_vas", "hours_per_week" -> new int[] {0, 100};
                        case "ons_life_sat" -> new int[] {0, 10};
                        case "employed_now" -> new int[] {1, 2};
                        default -> new int[] {1, 5};
                    };
                    assertThat(value).as("%s %s", wave, item).isBetween(range[0], range[1]);
                }
            }
            duplicatesInAllWaves += duplicates;
            assertThat(malformed + unknown).isLessThanOrEqualTo((int) Math.round(rows.size() * 0.006) + 2);
        }
        assertThat(duplicatesInAllWaves).as("partial + complete interviews, seed %d", SEED).isPositive();
    }

    @Test
    void erasedPeopleAreInNoOutputFile() throws IOException {
        // Erasure at 0.05% gives no erased person at this scale: erase some in a copy of the configuration.
        SimulationConfig config = Fixtures.small(SEED, 0.05);
        SimulationConfig eraseMore = new SimulationConfig(config.seed(), config.scale(), config.configSha256(), config.trial(),
                config.design(), config.secret(), config.testSecret(), config.recruitment(), config.groups(),
                config.pooledGroups(), new SimulationConfig.FollowUp(0.03, 0.001, 0.05, 0.05), config.consent(), config.waves(),
                config.extracts(), config.messiness());
        SimulatedTrial erasing = TrialSimulator.simulate(eraseMore);
        Path out = directory.resolve("erasing");
        TrialFiles.write(erasing, out);
        List<SimulatedPerson> erased = erasing.persons().stream().filter(SimulatedPerson::erased).toList();
        assertThat(erased).hasSizeGreaterThan(5);
        List<String> texts = new ArrayList<>();
        try (var walk = Files.walk(out)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                texts.add(Files.readString(file).toUpperCase().replaceAll("[\\s-]", ""));
            }
        }
        for (SimulatedPerson p : erased) {
            for (String text : texts) {
                assertThat(text).doesNotContain(p.participantId());
                if (!p.nino().isEmpty()) {
                    assertThat(text).doesNotContain(p.nino().substring(0, 8));
                }
            }
        }
        // ...and they are still counted in the flow, by arm.
        long counted = Fixtures.records(out.resolve("truth/flow.csv")).stream().filter(r -> r.get(1).equals("erased"))
                .mapToLong(r -> Long.parseLong(r.get(3))).sum();
        assertThat(counted).isEqualTo(erased.size());
    }

    @Test
    void manifestListsEveryFileWithItsKindWaveExtractDateAndHash() throws IOException {
        JsonNode manifest = new ObjectMapper().readTree(directory.resolve("etl-inputs.json").toFile());
        assertThat(manifest.get("manifest").asText()).isEqualTo("ipstrial-etl-inputs");
        List<String> kinds = new ArrayList<>();
        for (JsonNode file : manifest.get("files")) {
            Path path = directory.resolve(file.get("path").asText());
            assertThat(path).exists();
            assertThat(file.get("sha256").asText()).isEqualTo(TrialFiles.sha256(path));
            String kind = file.get("kind").asText();
            kinds.add(kind + (file.has("wave") ? ":" + file.get("wave").asText() : ""));
            assertThat(file.has("extract_date")).isEqualTo(kind.equals("payroll") || kind.equals("benefits"));
        }
        assertThat(kinds).containsExactly("participants", "baseline", "payroll", "benefits", "survey:4m", "survey:12m");
        assertThat(manifest.get("analysis_groups").get("all out-of-work").toString()).isEqualTo("[\"A-OOW\",\"B-OOW\"]");
    }
}
