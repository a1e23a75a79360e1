package org.ipstrial.etl.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.ipstrial.config.ConfigFile;
import org.ipstrial.config.ConfigFileException;
import org.ipstrial.config.Problem;
import org.ipstrial.etl.config.EtlConfiguration.AdministrativeSource;
import org.ipstrial.etl.config.EtlConfiguration.SurveyWave;
import org.ipstrial.etl.derive.OutOfWorkBenefitSet;
import org.ipstrial.etl.derive.Questionnaires;
import org.ipstrial.etl.derive.ScoreDefinition;
import org.ipstrial.etl.derive.SurveyItem;
import org.ipstrial.etl.link.BenefitRows;

/**
 * Reads the ETL configuration (config/etl-demo.yml) and its questionnaire definitions
 * (config/etl-questionnaires.yml) with the project's one configuration reader: each file is a record
 * below, its ranges annotations, its cross-field rules a method. Unknown fields are errors, so a
 * typo cannot silently change a run.
 */
public final class ConfigurationLoader {
    /** The reference questionnaire definitions, used when the configuration names none. */
    public static final String REFERENCE_QUESTIONNAIRES = "/org/ipstrial/etl/reference-questionnaires.yml";

    private ConfigurationLoader() {}

    /** The configuration file as written; paths are relative to its folder. */
    record EtlFile(@NotBlank String participants, @NotBlank String baseline, @NotNull @Valid Extract payroll,
            @NotNull @Valid Extract benefits,
            @NotNull Map<@Pattern(regexp = "\\d{1,3}m", message = "is not a wave code: write the months then m, e.g. 4m or 12m")
                    String, @NotBlank String> surveyWaves,
            @NotBlank String pseudonymisationKeyFile, @NotBlank String outputFolder, @Valid Options options,
            @Pattern(regexp = "(?s).*\\S.*", message = "must not be blank") String delivery)
            implements ConfigFile.CrossFieldRules {
        @Override
        public List<Problem> problems() {
            Set<Integer> months = new HashSet<>();
            return surveyWaves.keySet().stream().filter(code -> !months.add(months(code)) || months(code) < 1 || months(code) > 120)
                    .map(code -> Problem.at("must be 1m..120m and appear once", "surveyWaves", code)).toList();
        }

        static int months(String code) {
            return Integer.parseInt(code.substring(0, code.length() - 1));
        }
    }

    record Extract(@NotBlank String file, @NotNull LocalDate extractDate) {}

    record Options(@Valid OutOfWork outOfWorkBenefits, String questionnaires, String eq5dValueSet, String swemwbsConversion,
            Boolean writeCrosswalk, @Pattern(regexp = "(?s).*\\S.*", message = "must not be blank") String scratchFolder,
            @Min(16) Integer memoryBudgetMegabytes) {}

    record OutOfWork(@NotEmpty List<@NotBlank String> benefits, List<@NotBlank String> ucRegimesNotOutOfWork)
            implements ConfigFile.CrossFieldRules {
        @Override
        public List<Problem> problems() {
            return regimes().stream().filter(r -> !BenefitRows.UC_REGIMES.contains(r)).map(r -> Problem.at(
                    "names an unknown regime (known: " + String.join(", ", BenefitRows.UC_REGIMES) + ")", "ucRegimesNotOutOfWork"))
                    .limit(1).toList();
        }

        List<String> regimes() {
            return ucRegimesNotOutOfWork == null ? List.of() : ucRegimesNotOutOfWork;
        }
    }

    /** A questionnaire definitions file. */
    record QuestionnaireFile(@NotEmpty @Valid List<Score> scores, @Valid List<Carried> carriedItems) {}

    record Score(@NotBlank String name, @NotBlank String label, @NotEmpty List<@NotBlank String> items, @NotNull Integer min,
            @NotNull Integer max, Integer proratedMissingItems, Integer precision) {}

    record Carried(@NotBlank String name, @NotBlank String label, @NotNull Integer min, @NotNull Integer max, String codes,
            @Min(0) @Max(SurveyItem.MAX_DECIMALS) Integer decimals) {}

    public static EtlConfiguration load(Path configFile) {
        Path base = configFile.toAbsolutePath().getParent();
        EtlFile file = read(() -> ConfigFile.of(EtlFile.class).read(configFile));
        Options options = file.options() == null ? new Options(null, null, null, null, null, null, null) : file.options();
        Path out = base.resolve(file.outputFolder()).normalize();
        Optional<Path> questionnaireFile = Optional.ofNullable(options.questionnaires()).map(q -> base.resolve(q).normalize());
        Questionnaires questionnaires = questionnaireFile.map(q -> read(() -> ConfigFile.of(QuestionnaireFile.class)
                .read(q, ConfigurationLoader::questionnaires))).orElseGet(ConfigurationLoader::loadReferenceQuestionnaires);
        List<SurveyWave> waves = new ArrayList<>();
        file.surveyWaves().forEach((code, wave) -> waves.add(new SurveyWave(code, EtlFile.months(code), base.resolve(wave).normalize())));
        waves.sort(Comparator.comparingInt(SurveyWave::months));
        OutOfWork oow = options.outOfWorkBenefits();
        return new EtlConfiguration(configFile, base.resolve(file.participants()).normalize(),
                base.resolve(file.baseline()).normalize(), source(base, file.payroll()), source(base, file.benefits()), waves,
                base.resolve(file.pseudonymisationKeyFile()).normalize(), out,
                oow == null ? OutOfWorkBenefitSet.reference() : new OutOfWorkBenefitSet(Set.copyOf(oow.benefits()), Set.copyOf(oow.regimes())),
                questionnaires, questionnaireFile.map(q -> q.getFileName().toString()).orElse("reference (built in)"),
                Optional.ofNullable(options.eq5dValueSet()).map(p -> base.resolve(p).normalize()),
                Optional.ofNullable(options.swemwbsConversion()).map(p -> base.resolve(p).normalize()),
                Boolean.TRUE.equals(options.writeCrosswalk()),
                options.scratchFolder() == null ? out.resolve("restricted").resolve("scratch") : base.resolve(options.scratchFolder()).normalize(),
                Objects.requireNonNullElse(options.memoryBudgetMegabytes(), EtlConfiguration.DEFAULT_MEMORY_BUDGET_MEGABYTES),
                Optional.ofNullable(file.delivery()).map(d -> base.resolve(d).normalize()));
    }

    public static Questionnaires loadReferenceQuestionnaires() {
        try (InputStream in = ConfigurationLoader.class.getResourceAsStream(REFERENCE_QUESTIONNAIRES)) {
            if (in == null) {
                throw new IllegalStateException("reference questionnaires missing from the program");
            }
            return ConfigFile.of(QuestionnaireFile.class).parse(new String(in.readAllBytes(), StandardCharsets.UTF_8),
                    "reference-questionnaires.yml", ConfigurationLoader::questionnaires);
        } catch (IOException e) {
            throw new IllegalStateException("reference questionnaires unreadable", e);
        }
    }

    private static Questionnaires questionnaires(QuestionnaireFile file) {
        List<ScoreDefinition> scores = new ArrayList<>();
        for (int i = 0; i < file.scores().size(); i++) {
            Score s = file.scores().get(i);
            scores.add(Problem.build(() -> new ScoreDefinition(s.name(), s.label(), s.items(), s.min(), s.max(),
                    Objects.requireNonNullElse(s.proratedMissingItems(), 0), Objects.requireNonNullElse(s.precision(), 0)), "scores", i));
        }
        List<Questionnaires.CarriedItem> carried = file.carriedItems() == null ? List.of() : file.carriedItems().stream()
                .map(c -> new Questionnaires.CarriedItem(c.name(), c.label(), c.min(), c.max(), Objects.requireNonNullElse(c.codes(), ""),
                        Objects.requireNonNullElse(c.decimals(), 0))).toList();
        return Problem.build(() -> new Questionnaires(scores, carried), "scores");
    }

    private static AdministrativeSource source(Path base, Extract extract) {
        return new AdministrativeSource(base.resolve(extract.file()).normalize(), extract.extractDate());
    }

    /** The ETL's commands print a ConfigurationException without a stack trace: it is the user's to fix. */
    private static <T> T read(java.util.function.Supplier<T> reading) {
        try {
            return reading.get();
        } catch (ConfigFileException e) {
            throw new ConfigurationException(e.getMessage());
        }
    }
}
