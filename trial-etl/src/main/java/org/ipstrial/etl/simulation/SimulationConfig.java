package org.ipstrial.etl.simulation;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.ipstrial.config.ConfigFile;
import org.ipstrial.config.ConfigFileException;
import org.ipstrial.config.DesignFile;
import org.ipstrial.config.Problem;
import org.ipstrial.randomiser.MinimisationDesign;
import org.ipstrial.randomiser.RandomisationSecret;

/**
 * Everything a simulated trial is made from (config/simulation-reference.yml explains each field
 * and its source). Read by the project's one configuration reader and checked as a whole before
 * anything is generated: every error names the file, the line and the field.
 *
 * @param seed the seed of every random draw: same seed and configuration give byte-identical files
 * @param scale multiplies each group's number randomised (1.0 is the reference trial's 9,785)
 * @param configSha256 hash of the configuration file's bytes, recorded in the manifest
 * @param delivery the IPS service's delivery model, when configured: the planted effects are then
 *     effects among compliers and the simulator writes the service's delivery file; empty, the
 *     simulation (every draw and file) is what it was without it
 */
record SimulationConfig(
        long seed,
        double scale,
        String configSha256,
        TrialShape trial,
        DesignFile.Read design,
        RandomisationSecret secret,
        boolean testSecret,
        Recruitment recruitment,
        Map<String, GroupModel> groups,
        Map<String, List<String>> pooledGroups,
        FollowUp followUp,
        Consent consent,
        List<SurveyWave> waves,
        Extracts extracts,
        Messiness messiness,
        java.util.Optional<Delivery> delivery) {

    /** A configuration without the delivery model. */
    SimulationConfig(long seed, double scale, String configSha256, TrialShape trial, DesignFile.Read design,
            RandomisationSecret secret, boolean testSecret, Recruitment recruitment, Map<String, GroupModel> groups,
            Map<String, List<String>> pooledGroups, FollowUp followUp, Consent consent, List<SurveyWave> waves, Extracts extracts,
            Messiness messiness) {
        this(seed, scale, configSha256, trial, design, secret, testSecret, recruitment, groups, pooledGroups, followUp, consent,
                waves, extracts, messiness, java.util.Optional.empty());
    }

    public SimulationConfig {
        Objects.requireNonNull(delivery, "delivery");
        Objects.requireNonNull(trial, "trial");
        Objects.requireNonNull(design, "design");
        Objects.requireNonNull(secret, "secret");
        groups = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(groups));
        pooledGroups = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(pooledGroups));
        waves = List.copyOf(waves);
        if (!(scale > 0)) {
            throw new IllegalArgumentException("scale must be positive");
        }
    }

    /**
     * The IPS service's delivery: {@code engagedShare} of the treatment group attend at least one
     * session (compliers; more employable people a little more often), and only they get the
     * planted effects.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Delivery(@DecimalMin("0.05") @DecimalMax("1") double engagedShare) {}

    /** Recruitment: when, how fast (a weight per month), and how many screened are not randomised. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Recruitment(@NotNull LocalDate start, @NotEmpty List<@NotNull @DecimalMin("0") @DecimalMax("1e9") Double> monthlyWeights,
            @DecimalMin("0") @DecimalMax("0.95") double ineligibleRate, @DecimalMin("0") @DecimalMax("0.95") double declineRate,
            @NotNull Map<String, @NotNull @DecimalMin("0") @DecimalMax("1e9") Double> areaWeights) implements ConfigFile.CrossFieldRules {
        public Recruitment {
            monthlyWeights = List.copyOf(monthlyWeights);
            areaWeights = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(areaWeights));
        }

        @Override
        public List<Problem> problems() {
            List<Problem> problems = new ArrayList<>();
            if (start.getDayOfMonth() != 1) {
                problems.add(Problem.at("recruitment starts on the first day of a month", "start"));
            }
            if (monthlyWeights.stream().mapToDouble(Double::doubleValue).sum() <= 0) {
                problems.add(Problem.at("needs at least one month with a positive weight", "monthly_weights"));
            }
            return problems;
        }

        public LocalDate end() {
            return start.plusMonths(monthlyWeights.size()).minusDays(1);
        }
    }

    /**
     * One trial group's people and outcomes.
     *
     * @param randomised number randomised at scale 1
     * @param workLast2y shares of "always", "more than half", "less than half", "not at all"
     * @param employedAtRandomisation share in a job (possibly off sick) on the day of randomisation
     * @param onOutOfWorkBenefit share receiving an out-of-work benefit on the day of randomisation
     * @param controlEmployed13wk expected share employed 13+ weeks in the outcome year without IPS
     */
    public record GroupModel(int randomised, double ageMean, double ageSd, double femaleShare, List<Double> workLast2y,
            double employedAtRandomisation, double onOutOfWorkBenefit, double medianAnnualPay, double controlEmployed13wk,
            Effects effects) {
        public GroupModel {
            workLast2y = List.copyOf(workLast2y);
        }
    }

    /** A trial group as written: the work history is a mapping of its four shares. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record GroupFile(@Min(1) @Max(1_000_000) int randomised, @DecimalMin("25") @DecimalMax("60") double ageMean,
            @DecimalMin("1") @DecimalMax("25") double ageSd, @DecimalMin("0") @DecimalMax("1") double femaleShare,
            @JsonProperty("work_last_2y") @NotNull @Valid WorkShares workLast2y,
            @DecimalMin("0") @DecimalMax("1") double employedAtRandomisation, @DecimalMin("0") @DecimalMax("1") double onOutOfWorkBenefit,
            @DecimalMin("1000") @DecimalMax("200000") double medianAnnualPay,
            @JsonProperty("control_employed_13wk_12m") @DecimalMin("0.01") @DecimalMax("0.99") double controlEmployed13wk,
            @NotNull @Valid Effects effects) implements ConfigFile.CrossFieldRules {
        @Override
        public List<Problem> problems() {
            double treated = controlEmployed13wk + effects.employed13wk12m();
            return treated <= 0.005 || treated >= 0.995 ? List.of(Problem.at("control rate " + controlEmployed13wk
                    + " plus this effect leaves 0..1", "effects", "employed_13wk_12m")) : List.of();
        }

        GroupModel model() {
            return new GroupModel(randomised, ageMean, ageSd, femaleShare, workLast2y.shares(), employedAtRandomisation,
                    onOutOfWorkBenefit, medianAnnualPay, controlEmployed13wk, effects);
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record WorkShares(@DecimalMin("0") @DecimalMax("1") double always, @DecimalMin("0") @DecimalMax("1") double moreThanHalf,
            @DecimalMin("0") @DecimalMax("1") double lessThanHalf, @DecimalMin("0") @DecimalMax("1") double notAtAll)
            implements ConfigFile.CrossFieldRules {
        List<Double> shares() {
            return List.of(always, moreThanHalf, lessThanHalf, notAtAll);
        }

        @Override
        public List<Problem> problems() {
            double sum = shares().stream().mapToDouble(Double::doubleValue).sum();
            return Math.abs(sum - 1) > 1e-6 ? List.of(Problem.at("shares add up to " + sum + ", not 1")) : List.of();
        }
    }

    /**
     * Planted effects of assignment to treatment, in each outcome's own unit: proportion for
     * employment (0.04 = +4 points), GBP for earnings, points of the EQ-5D-5L level sum (5..25,
     * lower is better) and of the SWEMWBS raw sum (7..35, higher is better).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Effects(@JsonProperty("employed_13wk_12m") @DecimalMin("-0.5") @DecimalMax("0.5") double employed13wk12m,
            @JsonProperty("earnings_12m") @DecimalMin("-50000") @DecimalMax("50000") double earnings12m,
            @DecimalMin("-5") @DecimalMax("5") double m12Eq5dLss, @DecimalMin("-7") @DecimalMax("7") double m12SwemwbsRaw,
            @DecimalMin("-5") @DecimalMax("5") double m4Eq5dLss, @DecimalMin("-7") @DecimalMax("7") double m4SwemwbsRaw) {}

    /** Shares of randomised people who later withdraw from research, die, or have their data erased. */
    public record FollowUp(@JsonProperty("withdrawal_rate") @DecimalMin("0") @DecimalMax("1") double withdrawal,
            @JsonProperty("death_rate") @DecimalMin("0") @DecimalMax("1") double death,
            @JsonProperty("erasure_rate") @DecimalMin("0") @DecimalMax("1") double erasure,
            @JsonProperty("service_withdrawal_rate_treatment") @DecimalMin("0") @DecimalMax("1") double serviceWithdrawalTreatment)
            implements ConfigFile.CrossFieldRules {
        @Override
        public List<Problem> problems() {
            return withdrawal + death + erasure > 0.5 ? List.of(Problem.at("withdrawal, death and erasure rates add up to more than 0.5"))
                    : List.of();
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Consent(@DecimalMin("0") @DecimalMax("1") double adminLinkage, @DecimalMin("0") @DecimalMax("1") double surveyContact) {}

    /** A survey wave: months after randomisation, share of randomised people interviewed by arm. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record SurveyWave(@NotNull @Pattern(regexp = "[0-9]+m", message = "a wave is named by its months, such as 4m or 12m") String wave,
            @Min(1) @Max(60) int months, @DecimalMin("0") @DecimalMax("1") double responseTreatment,
            @DecimalMin("0") @DecimalMax("1") double responseControl, @Min(1) @Max(365) int fieldworkDays)
            implements ConfigFile.CrossFieldRules {
        public String prefix() {
            return "m" + months;
        }

        @Override
        public List<Problem> problems() {
            return wave.equals(months + "m") ? List.of() : List.of(Problem.at("wave " + wave + " does not match months " + months, "wave"));
        }
    }

    /** The day each provider cut its data, and the first day the payroll history covers. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Extracts(@NotNull LocalDate payrollHistoryFrom, @NotNull LocalDate payroll, @NotNull LocalDate benefits) {}

    /** How messy the providers' files are (docs/simulation.md lists what each does); each a share, 0 to 1. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Messiness(@DecimalMin("0") @DecimalMax("1") double participantNinoBlank, @DecimalMin("0") @DecimalMax("1") double ninoSpaced,
            @DecimalMin("0") @DecimalMax("1") double ninoLowerCase, @DecimalMin("0") @DecimalMax("1") double ninoNoSuffix,
            @DecimalMin("0") @DecimalMax("1") double dayFirstDates, @DecimalMin("0") @DecimalMax("1") double moneyPoundSign,
            @DecimalMin("0") @DecimalMax("1") double moneyThousandsSeparator, @DecimalMin("0") @DecimalMax("1") double negativeAdjustments,
            @DecimalMin("0") @DecimalMax("1") double dateOfBirthOnRow, @DecimalMin("0") @DecimalMax("1") double blankEmploymentStart,
            @DecimalMin("0") @DecimalMax("1") double nonParticipantRows, @DecimalMin("0") @DecimalMax("1") double malformedRows,
            @DecimalMin("0") @DecimalMax("1") double dateOfBirthConflicts, @DecimalMin("0") @DecimalMax("1") double duplicateInterviews,
            @DecimalMin("0") @DecimalMax("1") double unknownSurveyIds, @DecimalMin("0") @DecimalMax("1") double hyphenatedIds,
            @DecimalMin("0") @DecimalMax("1") double itemMissing) implements ConfigFile.CrossFieldRules {
        @Override
        public List<Problem> problems() {
            return ninoSpaced + ninoLowerCase + ninoNoSuffix > 1
                    ? List.of(Problem.at("nino_spaced + nino_lower_case + nino_no_suffix add up to more than 1")) : List.of();
        }
    }

    /** The configuration file as written; the files it names are relative to its folder. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record SimulationFile(@NotNull Long seed, @NotNull @DecimalMin("0.0001") @DecimalMax("100") Double scale, @NotBlank String trialDefinition,
            @NotNull @Valid RandomisationFile randomisation, @NotNull @Valid Recruitment recruitment,
            @NotEmpty(message = "at least one trial group is needed") Map<String, @NotNull @Valid GroupFile> trialGroups,
            Map<String, @NotNull List<@NotBlank String>> pooledGroups, @NotNull @Valid FollowUp followUp, @NotNull @Valid Consent consent,
            @NotNull @Valid List<@NotNull SurveyWave> surveys, @NotNull @Valid Extracts extracts, @NotNull @Valid Messiness messiness,
            @Valid Delivery delivery) implements ConfigFile.CrossFieldRules {
        @Override
        public List<Problem> problems() {
            List<Problem> problems = new ArrayList<>();
            List<Integer> months = surveys.stream().map(SurveyWave::months).toList();
            if (months.stream().distinct().count() != months.size()) {
                problems.add(Problem.at("two waves have the same months", "surveys"));
            }
            if (!months.contains(4) || !months.contains(12)) {
                problems.add(Problem.at("the planted survey effects need a 4m and a 12m wave", "surveys"));
            }
            LocalDate lastOutcomeDay = recruitment.end().plusDays(364);
            if (!extracts.payroll().isAfter(lastOutcomeDay) || !extracts.benefits().isAfter(lastOutcomeDay)) {
                problems.add(Problem.at("extract dates must be after " + lastOutcomeDay
                        + " (the last outcome-year day of the last recruit), so no primary outcome is censored", "extracts"));
            }
            if (!extracts.payrollHistoryFrom().isBefore(recruitment.start())) {
                problems.add(Problem.at("must be before recruitment starts (" + recruitment.start() + ")", "extracts", "payroll_history_from"));
            }
            return problems;
        }
    }

    /** The design file and the secret: a test secret written in the file, or a file holding the real one. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record RandomisationFile(@NotBlank String design, String testSecretHex, String secretFile) implements ConfigFile.CrossFieldRules {
        @Override
        public List<Problem> problems() {
            return (testSecretHex == null) == (secretFile == null)
                    ? List.of(Problem.at("give either test_secret_hex or secret_file, not both or neither")) : List.of();
        }
    }

    // ---------------------------------------------------------------------------------------------

    /** Reads, checks and resolves a configuration; paths in it are relative to its own directory. */
    public static SimulationConfig read(Path file) {
        return read(file, null);
    }

    /**
     * Reads a configuration with another randomisation design file in place of its
     * {@code randomisation.design} (the command's {@code --design}; a path as given, not relative to
     * the configuration), for example a minimisation design; null keeps the configuration's.
     */
    public static SimulationConfig read(Path file, Path design) {
        try {
            return ConfigFile.of(SimulationFile.class).read(file, written -> resolve(file, written, design));
        } catch (ConfigFileException e) {
            throw new SimulationConfigException(e.getMessage(), e);
        }
    }

    /** The rules that need the files the configuration names: the trial definition, the design and the secret. */
    private static SimulationConfig resolve(Path file, SimulationFile written, Path designOverride) {
        Path base = file.toAbsolutePath().getParent();
        TrialShape trial = TrialShape.read(base.resolve(written.trialDefinition()).normalize());
        RandomisationFile randomisation = written.randomisation();
        DesignFile.Read design = DesignFile.readAny(designOverride != null ? designOverride
                : base.resolve(randomisation.design()).normalize());
        if (!design.arms().equals(List.of("treatment", "control"))) {
            throw refused("the design's arms must be [treatment, control], found " + design.arms(), "randomisation", "design");
        }
        if (design instanceof DesignFile.Read.Minimisation minimisation) {
            requireKnownFactors(minimisation.design(), trial);
        }
        boolean testSecret = randomisation.testSecretHex() != null;
        String secretField = testSecret ? "test_secret_hex" : "secret_file";
        RandomisationSecret secret;
        try {
            secret = RandomisationSecret.fromHex(testSecret ? randomisation.testSecretHex()
                    : Files.readString(base.resolve(randomisation.secretFile()).normalize()));
        } catch (IOException e) {
            throw refused("the secret file cannot be read", "randomisation", secretField);
        } catch (IllegalArgumentException e) {
            throw refused(e.getMessage(), "randomisation", secretField); // never quotes the secret
        }
        Recruitment recruitment = written.recruitment();
        recruitment.areaWeights().keySet().stream().filter(area -> trial.sites().stream().noneMatch(s -> s.areas().contains(area)))
                .findFirst().ifPresent(area -> {
                    throw refused("is not an area of the trial definition", "recruitment", "area_weights", area);
                });
        for (TrialShape.Site site : trial.sites()) {
            site.areas().stream().filter(area -> !recruitment.areaWeights().containsKey(area)).findFirst().ifPresent(area -> {
                throw refused("area " + area + " of site " + site.code() + " has no weight", "recruitment", "area_weights");
            });
            if (site.areas().stream().mapToDouble(recruitment.areaWeights()::get).sum() <= 0) {
                throw refused("the areas of site " + site.code() + " need a positive total weight", "recruitment", "area_weights");
            }
        }
        Map<String, GroupModel> groups = new LinkedHashMap<>();
        written.trialGroups().forEach((code, group) -> {
            if (trial.trialGroups().stream().noneMatch(g -> g.code().equals(code))) {
                throw refused("is not a trial group of the trial definition "
                        + trial.trialGroups().stream().map(TrialShape.TrialGroup::code).toList(), "trial_groups", code);
            }
            String site = trial.trialGroup(code).site();
            if (design instanceof DesignFile.Read.Blocks blocks
                    && !blocks.design().contains(new org.ipstrial.randomiser.Stratum(List.of(site, code)))) {
                throw refused("stratum " + site + "/" + code + " is not a stratum of the design " + design.name(), "trial_groups", code);
            }
            groups.put(code, group.model());
        });
        Objects.requireNonNullElse(written.pooledGroups(), Map.<String, List<String>>of()).forEach((name, members) -> {
            members.stream().filter(m -> !groups.containsKey(m)).findFirst().ifPresent(m -> {
                throw refused(m + " is not one of trial_groups " + groups.keySet(), "pooled_groups", name);
            });
            if (members.size() < 2 || groups.containsKey(name)) {
                throw refused("a pooled group needs a name of its own and at least two trial groups", "pooled_groups", name);
            }
        });
        return new SimulationConfig(written.seed(), written.scale(), sha256(file), trial, design, secret, testSecret, recruitment, groups,
                Objects.requireNonNullElse(written.pooledGroups(), Map.of()), written.followUp(), written.consent(), written.surveys(),
                written.extracts(), written.messiness(), java.util.Optional.ofNullable(written.delivery()));
    }

    /**
     * A minimisation design's stratification factors and factors must be what a simulated recruit
     * carries: site, area or trial group, or a single-choice or whole-number baseline item of the
     * trial definition whose every answer is a level of the factor (the service could not randomise
     * a recruit whose answer is not one).
     */
    private static void requireKnownFactors(MinimisationDesign design, TrialShape trial) {
        List<String> names = new java.util.ArrayList<>(design.stratifyBy());
        names.addAll(design.factorNames());
        for (String name : names) {
            if (TrialRandomisation.RECRUIT_FACTORS.contains(name)) {
                continue;
            }
            TrialShape.BaselineItem item = trial.baselineItems().stream().filter(i -> i.id().equals(name)).findFirst()
                    .orElseThrow(() -> refused("design " + design.name() + ": factor " + name + " is neither site, area, "
                            + "trial_group nor a baseline item of the trial definition", "randomisation", "design"));
            if (item.type() == TrialShape.ItemType.multi) {
                throw refused("design " + design.name() + ": factor " + name + " is a multi-choice item; a factor needs "
                        + "one answer per recruit", "randomisation", "design");
            }
            List<String> answers = item.type() == TrialShape.ItemType.single
                    ? item.codes().stream().map(String::valueOf).toList()
                    : java.util.stream.IntStream.rangeClosed(item.min(), item.max()).mapToObj(String::valueOf).toList();
            List<String> levels = design.factors().stream().filter(f -> f.name().equals(name)).findFirst()
                    .map(org.ipstrial.randomiser.MinimisationFactor::levels).orElse(answers);
            answers.stream().filter(a -> !levels.contains(a)).findFirst().ifPresent(a -> {
                throw refused("design " + design.name() + ": answer " + a + " of baseline item " + name
                        + " is not a level of the factor " + levels, "randomisation", "design");
            });
        }
    }

    /**
     * The baseline items a minimisation design reads: the service cannot randomise without their
     * answers, so the simulation never leaves them missing.
     */
    java.util.Set<String> requiredAnswers() {
        if (!(design instanceof DesignFile.Read.Minimisation minimisation)) {
            return java.util.Set.of();
        }
        java.util.Set<String> items = new java.util.HashSet<>(minimisation.design().factorNames());
        items.addAll(minimisation.design().stratifyBy());
        items.removeAll(TrialRandomisation.RECRUIT_FACTORS);
        return java.util.Set.copyOf(items);
    }

    private static Problem.Refused refused(String message, Object... at) {
        return new Problem.Refused(Problem.at(message, at));
    }

    private static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new SimulationConfigException(file + ": cannot be hashed: " + e.getMessage(), e);
        }
    }

    /** Randomised count of a group at this configuration's scale (at least 2: one per arm). */
    public int randomisedAtScale(String group) {
        return Math.max(2, (int) Math.round(groups.get(group).randomised() * scale));
    }

    /** The same configuration with another seed and scale (command-line overrides). */
    public SimulationConfig with(long newSeed, double newScale) {
        return new SimulationConfig(newSeed, newScale, configSha256, trial, design, secret, testSecret, recruitment, groups,
                pooledGroups, followUp, consent, waves, extracts, messiness, delivery);
    }

    @Override
    public String toString() {
        return "SimulationConfig[seed=" + seed + ", scale=" + scale + ", groups=" + groups.keySet() + "]";
    }
}
