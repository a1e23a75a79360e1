package org.ipstrial.etl.config;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.ipstrial.etl.derive.OutOfWorkBenefitSet;
import org.ipstrial.etl.derive.Questionnaires;

/**
 * A validated ETL configuration. Paths are resolved against the configuration file's folder.
 *
 * @param configFile            the file it was read from (its hash goes into the manifest)
 * @param scratchFolder         where the build writes its temporary partition files (a safe
 *                              haven's scratch area); default {@code <outputFolder>/restricted/scratch}
 * @param memoryBudgetMegabytes the memory one partition's linked administrative rows may take; the
 *                              number of partitions follows from it and the input size (default 256,
 *                              which with a million participants fits a 2 GB heap)
 * @param delivery              the IPS service's delivery file (optional): when given, the dataset
 *                              gains the {@code delivery_*} columns; when not, it is as before, byte for byte
 */
public record EtlConfiguration(
        Path configFile,
        Path participants,
        Path baseline,
        AdministrativeSource payroll,
        AdministrativeSource benefits,
        List<SurveyWave> surveyWaves,
        Path pseudonymisationKeyFile,
        Path outputFolder,
        OutOfWorkBenefitSet outOfWorkBenefits,
        Questionnaires questionnaires,
        String questionnairesSource,
        Optional<Path> eq5dValueSet,
        Optional<Path> swemwbsConversion,
        boolean writeCrosswalk,
        Path scratchFolder,
        int memoryBudgetMegabytes,
        Optional<Path> delivery) {

    public static final int DEFAULT_MEMORY_BUDGET_MEGABYTES = 256;

    public EtlConfiguration {
        Objects.requireNonNull(configFile, "configFile");
        Objects.requireNonNull(participants, "participants");
        Objects.requireNonNull(baseline, "baseline");
        Objects.requireNonNull(payroll, "payroll");
        Objects.requireNonNull(benefits, "benefits");
        surveyWaves = List.copyOf(surveyWaves);
        Objects.requireNonNull(pseudonymisationKeyFile, "pseudonymisationKeyFile");
        Objects.requireNonNull(outputFolder, "outputFolder");
        Objects.requireNonNull(outOfWorkBenefits, "outOfWorkBenefits");
        Objects.requireNonNull(questionnaires, "questionnaires");
        Objects.requireNonNull(questionnairesSource, "questionnairesSource");
        Objects.requireNonNull(eq5dValueSet, "eq5dValueSet");
        Objects.requireNonNull(swemwbsConversion, "swemwbsConversion");
        Objects.requireNonNull(scratchFolder, "scratchFolder");
        Objects.requireNonNull(delivery, "delivery");
        if (memoryBudgetMegabytes < 1) {
            throw new IllegalArgumentException("memoryBudgetMegabytes must be at least 1");
        }
    }

    /** A provider's file and the day the provider cut the data. */
    public record AdministrativeSource(Path file, LocalDate extractDate) {
        public AdministrativeSource {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(extractDate, "extractDate");
        }
    }

    /**
     * One survey wave: the code written in the file's {@code wave} column (e.g. {@code 12m}) and the
     * months after randomisation it stands for, which give the dataset prefix ({@code m12}).
     */
    public record SurveyWave(String code, int months, Path file) {
        public SurveyWave {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(file, "file");
            if (months < 1 || months > 120) {
                throw new IllegalArgumentException("wave months must be 1..120");
            }
        }

        public String prefix() {
            return "m" + months;
        }
    }
}
