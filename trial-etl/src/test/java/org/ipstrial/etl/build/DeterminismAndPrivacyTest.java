package org.ipstrial.etl.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.ipstrial.etl.config.ConfigurationLoader;
import org.ipstrial.etl.demo.SyntheticTrialFiles;
import org.ipstrial.etl.read.Progress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a generated trial: a second run gives byte-identical outputs, and no identifier value from any
 * input (in any spelling) appears in any file an analyst receives.
 */
class DeterminismAndPrivacyTest {
    private static final long SEED = 42L;
    @TempDir
    static Path dir;
    static Path config;

    @BeforeAll
    static void generate() throws IOException {
        new SyntheticTrialFiles(new SyntheticTrialFiles.Scale(400, 20_000, 3_000, SEED)).writeTo(dir.resolve("in"));
        config = dir.resolve("etl.yml");
        Files.writeString(config, """
                participants: in/participants.csv
                baseline: in/baseline.csv
                payroll: {file: in/payroll.csv, extractDate: 2021-03-31}
                benefits: {file: in/benefits.csv, extractDate: 2021-03-31}
                surveyWaves: {4m: in/survey-4m.csv, 12m: in/survey-12m.csv}
                pseudonymisationKeyFile: in/demo.key
                outputFolder: out
                options: {writeCrosswalk: true}
                """);
    }

    private static Map<String, byte[]> outputs() throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        Path out = dir.resolve("out");
        try (Stream<Path> walk = Files.walk(out)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                files.put(out.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return files;
    }

    @Test
    void aSecondRunGivesByteIdenticalOutputs() throws IOException {
        BuildCommand.build(ConfigurationLoader.load(config), Progress.silent());
        Map<String, byte[]> first = outputs();
        BuildCommand.build(ConfigurationLoader.load(config), Progress.silent());
        Map<String, byte[]> second = outputs();
        assertThat(second.keySet()).isEqualTo(first.keySet()).contains("analysis.csv", "manifest.json", "linkage-report.html");
        first.forEach((name, bytes) -> assertThat(second.get(name)).as("seed %d, file %s", SEED, name).isEqualTo(bytes));
    }

    @Test
    void noIdentifierFromTheInputsReachesTheAnalystsFiles() throws IOException {
        BuildCommand.build(ConfigurationLoader.load(config), Progress.silent());
        Set<String> identifiers = identifierValues();
        assertThat(identifiers).hasSizeGreaterThan(1000);
        Path out = dir.resolve("out");
        List<String> shared = List.of("analysis.csv", "dictionary.csv", "dictionary.json", "labels.do", "labels.R",
                "linkage-report.json", "linkage-report.html", "manifest.json");
        for (String name : shared) {
            String text = Files.readString(out.resolve(name), StandardCharsets.UTF_8);
            String upper = text.toUpperCase(Locale.ROOT);
            for (String id : identifiers) {
                assertThat(upper.contains(id.toUpperCase(Locale.ROOT))).as("seed %d: an identifier value found in %s", SEED, name).isFalse();
            }
        }
        // And the restricted folder does hold them, so the scan can see identifiers where they are.
        String crosswalk = Files.readString(out.resolve("restricted/crosswalk.csv"));
        assertThat(identifiers.stream().anyMatch(crosswalk::contains)).isTrue();
    }

    /** Every identifier value of every input, in the spellings a reader might meet. */
    private static Set<String> identifierValues() {
        Set<String> ids = new HashSet<>();
        Path in = dir.resolve("in");
        for (Map<String, String> r : SmallTrial.readCsv(in.resolve("participants.csv"))) {
            String pidColumn = r.keySet().stream().filter(k -> k.endsWith("participant_id")).findFirst().orElseThrow();
            addParticipantId(ids, r.get(pidColumn));
            addNino(ids, r.get("nino"));
            add(ids, r.get("nhs_number"));
            addDate(ids, r.get("date_of_birth"));
            add(ids, r.get("postcode"));
            add(ids, r.get("postcode").replace(" ", ""));
        }
        for (Map<String, String> r : SmallTrial.readCsv(in.resolve("payroll.csv"))) {
            addNino(ids, r.get("NINO"));
            addDate(ids, r.get("Date_Of_Birth"));
            add(ids, r.get("employer_ref"));
        }
        for (Map<String, String> r : SmallTrial.readCsv(in.resolve("benefits.csv"))) {
            addNino(ids, r.get("\uFEFFnino") != null ? r.get("\uFEFFnino") : r.get("nino"));
            addDate(ids, r.get("date_of_birth"));
        }
        for (String wave : List.of("survey-4m.csv", "survey-12m.csv")) {
            for (Map<String, String> r : SmallTrial.readCsv(in.resolve(wave))) {
                String column = r.keySet().stream().filter(k -> k.endsWith("participant_id")).findFirst().orElseThrow();
                addParticipantId(ids, r.get(column));
            }
        }
        return ids;
    }

    private static void add(Set<String> ids, String value) {
        if (value != null && value.strip().length() >= 5) {
            ids.add(value.strip());
        }
    }

    private static void addParticipantId(Set<String> ids, String written) {
        String digits = written.replace("-", "").replace(" ", "");
        add(ids, written);
        add(ids, digits);
        if (digits.length() == 8) {
            add(ids, digits.substring(0, 4) + "-" + digits.substring(4));
        }
    }

    private static void addNino(Set<String> ids, String written) {
        if (written == null || written.isBlank()) {
            return;
        }
        String n = written.replace(" ", "").toUpperCase(Locale.ROOT);
        add(ids, written);
        add(ids, n);
        if (n.length() >= 8) {
            add(ids, n.substring(0, 8));
            add(ids, n.substring(0, 2) + " " + n.substring(2, 4) + " " + n.substring(4, 6) + " " + n.substring(6, 8));
        }
    }

    private static void addDate(Set<String> ids, String date) {
        if (date == null || date.length() != 10) {
            return;
        }
        add(ids, date);
        if (date.charAt(4) == '-') {
            add(ids, date.substring(8) + "/" + date.substring(5, 7) + "/" + date.substring(0, 4));
        }
    }
}
