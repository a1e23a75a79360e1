package org.ipstrial.etl.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.ipstrial.etl.config.ConfigurationLoader;
import org.ipstrial.etl.config.EtlConfiguration;
import org.ipstrial.etl.demo.SyntheticTrialFiles;
import org.ipstrial.etl.read.InputFileException;
import org.ipstrial.etl.read.Progress;
import org.ipstrial.etl.simulation.SimulateTrialCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The administrative files are processed in partitions: every output is byte for byte the same
 * whatever the number of partitions (one partition is the whole input at once, as the in-memory
 * path was), on the demonstration trial and on a simulated trial; the temporary files live under
 * the configured scratch folder, owner-only, hold no identifier of the inputs, and are gone after
 * a run that succeeded and after one that failed.
 */
class PartitionedBuildTest {
    @TempDir
    Path dir;

    private Path demoConfig(String extraOptions) throws IOException {
        new SyntheticTrialFiles(new SyntheticTrialFiles.Scale(600, 30_000, 4_000, 5L)).writeTo(dir.resolve("in"));
        return config("""
                participants: in/participants.csv
                baseline: in/baseline.csv
                payroll: {file: in/payroll.csv, extractDate: 2021-03-31}
                benefits: {file: in/benefits.csv, extractDate: 2021-03-31}
                surveyWaves: {4m: in/survey-4m.csv, 12m: in/survey-12m.csv}
                pseudonymisationKeyFile: in/demo.key
                outputFolder: out
                options: {writeCrosswalk: true, scratchFolder: scratch%s}
                """.formatted(extraOptions));
    }

    private Path config(String yaml) throws IOException {
        Path config = dir.resolve("etl.yml");
        Files.writeString(config, yaml);
        return config;
    }

    @Test
    void theDemonstrationTrialGivesTheSameBytesWithOneSevenOrAPartitionPerPerson() throws IOException {
        EtlConfiguration config = ConfigurationLoader.load(demoConfig(""));
        assertSameOutputsWhateverThePartitions(config, new int[] {1, 7, 600});
    }

    @Test
    void aSimulatedTrialGivesTheSameBytesWithOneOrManyPartitions() throws IOException {
        Path trial = dir.resolve("trial");
        SimulateTrialCommand.generate(Path.of("../config/simulation-small.yml"), 11L, null, trial);
        Files.writeString(dir.resolve("etl.key"), "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
        EtlConfiguration config = ConfigurationLoader.load(config("""
                participants: trial/participants.csv
                baseline: trial/baseline.csv
                payroll: {file: trial/payroll.csv, extractDate: 2021-09-30}
                benefits: {file: trial/benefits.csv, extractDate: 2021-08-31}
                surveyWaves: {4m: trial/survey-4m.csv, 12m: trial/survey-12m.csv}
                pseudonymisationKeyFile: etl.key
                outputFolder: out
                options: {writeCrosswalk: true, scratchFolder: scratch}
                """));
        assertSameOutputsWhateverThePartitions(config, new int[] {1, 3, 64});
    }

    private void assertSameOutputsWhateverThePartitions(EtlConfiguration config, int[] partitions) throws IOException {
        BuildCommand.build(config, Progress.silent(), partitions[0]);
        Map<String, byte[]> reference = outputs(config.outputFolder());
        assertThat(reference).containsKeys("analysis.csv", "manifest.json", "linkage-report.json", "restricted/quarantine/payroll.csv");
        assertThat(Files.readAllLines(config.outputFolder().resolve("analysis.csv")).size()).isGreaterThan(100);
        for (int i = 1; i < partitions.length; i++) {
            BuildCommand.build(config, Progress.silent(), partitions[i]);
            Map<String, byte[]> again = outputs(config.outputFolder());
            assertThat(again.keySet()).isEqualTo(reference.keySet());
            for (Map.Entry<String, byte[]> file : reference.entrySet()) {
                assertThat(again.get(file.getKey())).as("%s with %d partitions", file.getKey(), partitions[i]).isEqualTo(file.getValue());
            }
        }
    }

    @Test
    void partitionFilesAreOwnerOnlyUnderTheScratchFolderHoldNoIdentifierAndAreRemovedAfterSuccess() throws IOException {
        EtlConfiguration config = ConfigurationLoader.load(demoConfig(", memoryBudgetMegabytes: 16"));
        Path scratch = dir.resolve("scratch");
        Map<String, byte[]> seen = new LinkedHashMap<>();
        List<String> permissions = new ArrayList<>();
        Progress watching = onStart("deriving outcomes", () -> {
            for (Path file : filesUnder(scratch)) {
                seen.put(scratch.relativize(file).toString(), read(file));
                permissions.add(posix(file) + " " + posix(file.getParent()));
            }
        });

        BuildCommand.build(config, watching, 5);

        assertThat(seen.keySet()).hasSize(10).allMatch(name -> name.matches("etl-build-\\d+/(payroll|benefits)-[0-4]\\.bin"));
        assertThat(permissions).containsOnly("rw------- rwx------");
        assertThat(seen.values().stream().mapToLong(b -> b.length).sum()).isGreaterThan(30_000L * 20);
        assertThat(filesUnder(scratch)).isEmpty();
        assertThat(Files.list(scratch).toList()).isEmpty();

        List<String> identifiers = identifierSpellings(dir.resolve("in"));
        assertThat(identifiers).hasSizeGreaterThan(1000);
        for (Map.Entry<String, byte[]> file : seen.entrySet()) {
            String text = new String(file.getValue(), StandardCharsets.ISO_8859_1);
            for (String identifier : identifiers) {
                assertThat(text).as(file.getKey()).doesNotContain(identifier);
            }
        }
    }

    @Test
    void partitionFilesAreRemovedAfterARunThatFailsPartWay() throws IOException {
        EtlConfiguration config = ConfigurationLoader.load(demoConfig(""));
        Path benefits = dir.resolve("in/benefits.csv");
        Files.writeString(benefits, Files.readString(benefits) + "AB123456C,,JSA,,\"2019-01-01,\n");
        Path scratch = dir.resolve("scratch");
        Map<String, Long> duringBenefits = new LinkedHashMap<>();
        Progress watching = onStart("reading benefits.csv",
                () -> filesUnder(scratch).forEach(f -> duringBenefits.put(f.getFileName().toString(), size(f))));

        assertThatThrownBy(() -> BuildCommand.build(config, watching, 4)).isInstanceOf(InputFileException.class)
                .hasMessageContaining("benefits.csv").hasMessageContaining("not valid CSV");

        assertThat(duringBenefits).hasSize(8);
        assertThat(duringBenefits.keySet()).containsExactlyInAnyOrder("payroll-0.bin", "payroll-1.bin", "payroll-2.bin", "payroll-3.bin",
                "benefits-0.bin", "benefits-1.bin", "benefits-2.bin", "benefits-3.bin");
        assertThat(duringBenefits.get("payroll-0.bin") + duringBenefits.get("payroll-3.bin")).isGreaterThan(1000);
        assertThat(filesUnder(scratch)).isEmpty();
        assertThat(Files.list(scratch).toList()).isEmpty();
        assertThat(config.outputFolder().resolve("analysis.csv")).doesNotExist();
    }

    /** Every NINO (as written and normalised), participant identifier and date of birth of the inputs. */
    private static List<String> identifierSpellings(Path inputs) throws IOException {
        List<String> values = new ArrayList<>();
        for (String file : List.of("participants.csv", "payroll.csv", "benefits.csv")) {
            for (Map<String, String> row : SmallTrial.readCsv(inputs.resolve(file))) {
                for (String column : List.of("nino", "participant_id", "date_of_birth", "nhs_number", "postcode")) {
                    String v = row.getOrDefault(column, "").strip();
                    if (v.length() >= 6) {
                        values.add(v);
                        values.add(v.replace(" ", "").toUpperCase(java.util.Locale.ROOT));
                    }
                }
            }
        }
        return values.stream().distinct().toList();
    }

    private static Progress onStart(String task, Runnable hook) {
        return (name, total) -> {
            if (name.startsWith(task)) {
                hook.run();
            }
            return Progress.silent().start(name, total);
        };
    }

    private static List<Path> filesUnder(Path folder) {
        if (!Files.exists(folder)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, byte[]> outputs(Path out) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (Path p : filesUnder(out)) {
            files.put(out.relativize(p).toString(), Files.readAllBytes(p));
        }
        return files;
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String posix(Path p) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
