package org.ipstrial.etl.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeterminismTest {
    private static final double SCALE = 0.03;

    @TempDir
    Path temp;

    private List<Path> files(Path directory) throws IOException {
        try (Stream<Path> walk = Files.walk(directory)) {
            return walk.filter(Files::isRegularFile).map(directory::relativize).sorted().toList();
        }
    }

    @Test
    void sameSeedAndConfigurationGiveByteIdenticalFiles() throws IOException {
        Path first = temp.resolve("first");
        Path second = temp.resolve("second");
        TrialFiles.write(TrialSimulator.simulate(Fixtures.small(11, SCALE)), first);
        TrialFiles.write(TrialSimulator.simulate(Fixtures.small(11, SCALE)), second);

        List<Path> written = files(first);
        assertThat(written).contains(Path.of("participants.csv"), Path.of("baseline.csv"), Path.of("payroll.csv"),
                Path.of("benefits.csv"), Path.of("survey-4m.csv"), Path.of("survey-12m.csv"), Path.of("etl-inputs.json"),
                Path.of("truth", "effects.csv"), Path.of("truth", "latent-outcomes.csv"), Path.of("truth", "allocations.csv"),
                Path.of("truth", "flow.csv"));
        assertThat(files(second)).isEqualTo(written);
        for (Path file : written) {
            assertThat(Fixtures.bytes(second.resolve(file))).as("seed 11, file %s", file).isEqualTo(Fixtures.bytes(first.resolve(file)));
        }
    }

    @Test
    void anotherJavaProcessWritesTheSameBytes() throws IOException, InterruptedException {
        // Each JVM salts the iteration order of Set.of and Map.of differently: a second process
        // catches any output that depends on it.
        Path here = temp.resolve("here");
        Path there = temp.resolve("there");
        TrialFiles.write(TrialSimulator.simulate(Fixtures.small(14, SCALE)), here);
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), SimulateTrialCommand.class.getName(), "--config", Fixtures.SMALL.toString(),
                "--out", there.toString(), "--seed", "14", "--scale", Double.toString(SCALE))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(process.waitFor()).isZero();
        for (Path file : files(here)) {
            assertThat(Fixtures.bytes(there.resolve(file))).as("seed 14, file %s", file).isEqualTo(Fixtures.bytes(here.resolve(file)));
        }
    }

    @Test
    void differentSeedsGiveDifferentTrials() {
        Path first = temp.resolve("seed-11");
        Path second = temp.resolve("seed-12");
        TrialFiles.write(TrialSimulator.simulate(Fixtures.small(11, SCALE)), first);
        TrialFiles.write(TrialSimulator.simulate(Fixtures.small(12, SCALE)), second);
        for (String file : List.of("participants.csv", "baseline.csv", "payroll.csv", "benefits.csv", "survey-4m.csv",
                "survey-12m.csv", "truth/allocations.csv")) {
            assertThat(Fixtures.bytes(second.resolve(file))).as("seeds 11 and 12, file %s", file)
                    .isNotEqualTo(Fixtures.bytes(first.resolve(file)));
        }
    }

    @Test
    void messinessRatesDoNotChangeAnyonesLatentOutcomes() {
        // Streams are per stage and person: making the files messier must not move the trial itself.
        SimulationConfig config = Fixtures.small(13, SCALE);
        SimulationConfig.Messiness m = config.messiness();
        SimulationConfig messier = new SimulationConfig(config.seed(), config.scale(), config.configSha256(), config.trial(),
                config.design(), config.secret(), config.testSecret(), config.recruitment(), config.groups(),
                config.pooledGroups(), config.followUp(), config.consent(), config.waves(), config.extracts(),
                new SimulationConfig.Messiness(m.participantNinoBlank(), 0.5, 0.5, 0.5, 0.9, 0.9, 0.9, 0.2,
                        m.dateOfBirthOnRow(), m.blankEmploymentStart(), m.nonParticipantRows(), 0.1, 0.2, 0.3, 0.1, 0.5,
                        m.itemMissing()));
        SimulatedTrial plain = TrialSimulator.simulate(config);
        SimulatedTrial messy = TrialSimulator.simulate(messier);
        assertThat(TrueEffects.compute(messy)).isEqualTo(TrueEffects.compute(plain));
    }
}
