package org.ipstrial.etl.simulation;

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
import org.ipstrial.randomiser.RandomisationDesign;
import org.ipstrial.randomiser.RandomisationSecret;

/**
 * Everything a simulated trial is made from (config/simulation-reference.yml explains each field
 * and its source). Read and checked as a whole before anything is generated: every error names
 * the file and the field.
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
        RandomisationDesign design,
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
    SimulationConfig(long seed, double scale, String configSha256, TrialShape trial, RandomisationDesign design,
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
    public record Delivery(double engagedShare) {}

    /** Recruitment: when, how fast (a weight per month), and how many screened are not randomised. */
    public record Recruitment(LocalDate start, List<Double> monthlyWeights, double ineligibleRate, double declineRate,
            Map<String, Double> areaWeights) {
        public Recruitment {
            monthlyWeights = List.copyOf(monthlyWeights);
            areaWeights = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(areaWeights));
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

    /**
     * Planted effects of assignment to treatment, in each outcome's own unit: proportion for
     * employment (0.04 = +4 points), GBP for earnings, points of the EQ-5D-5L level sum (5..25,
     * lower is better) and of the SWEMWBS raw sum (7..35, higher is better).
     */
    public record Effects(double employed13wk12m, double earnings12m, double m12Eq5dLss, double m12SwemwbsRaw,
            double m4Eq5dLss, double m4SwemwbsRaw) {}

    /** Shares of randomised people who later withdraw from research, die, or have their data erased. */
    public record FollowUp(double withdrawal, double death, double erasure, double serviceWithdrawalTreatment) {}

    public record Consent(double adminLinkage, double surveyContact) {}

    /** A survey wave: months after randomisation, share of randomised people interviewed by arm. */
    public record SurveyWave(String wave, int months, double responseTreatment, double responseControl, int fieldworkDays) {
        public String prefix() {
            return "m" + months;
        }
    }

    /** The day each provider cut its data, and the first day the payroll history covers. */
    public record Extracts(LocalDate payrollHistoryFrom, LocalDate payroll, LocalDate benefits) {}

    /** How messy the providers' files are (docs/simulation.md lists what each does). */
    public record Messiness(double participantNinoBlank, double ninoSpaced, double ninoLowerCase, double ninoNoSuffix,
            double dayFirstDates, double moneyPoundSign, double moneyThousandsSeparator, double negativeAdjustments,
            double dateOfBirthOnRow, double blankEmploymentStart, double nonParticipantRows, double malformedRows,
            double dateOfBirthConflicts, double duplicateInterviews, double unknownSurveyIds, double hyphenatedIds,
            double itemMissing) {}

    // ---------------------------------------------------------------------------------------------

    /** Reads, checks and resolves a configuration; paths in it are relative to its own directory. */
    public static SimulationConfig read(Path file) {
        ConfigNode root = ConfigNode.read(file).allowOnly("seed", "scale", "trial_definition", "randomisation",
                "recruitment", "trial_groups", "pooled_groups", "follow_up", "consent", "surveys", "extracts", "messiness",
                "delivery");
        Path base = file.toAbsolutePath().getParent();
        long seed = root.required("seed").wholeNumber();
        double scale = root.required("scale").number(0.0001, 100);
        TrialShape trial = TrialShape.read(root.required("trial_definition").file(base));

        ConfigNode randomisation = root.required("randomisation").allowOnly("design", "test_secret_hex", "secret_file");
        RandomisationDesign design = DesignYaml.read(randomisation.required("design").file(base));
        if (!design.arms().equals(List.of("treatment", "control"))) {
            throw randomisation.required("design").fail("the design's arms must be [treatment, control], found " + design.arms());
        }
        if (randomisation.has("test_secret_hex") == randomisation.has("secret_file")) {
            throw randomisation.fail("give either test_secret_hex or secret_file, not both or neither");
        }
        boolean testSecret = randomisation.has("test_secret_hex");
        ConfigNode secretNode = testSecret ? randomisation.required("test_secret_hex") : randomisation.required("secret_file");
        RandomisationSecret secret;
        try {
            String hex = testSecret ? secretNode.text() : Files.readString(secretNode.file(base));
            secret = RandomisationSecret.fromHex(hex);
        } catch (IOException e) {
            throw secretNode.fail("the secret file cannot be read");
        } catch (IllegalArgumentException e) {
            throw secretNode.fail(e.getMessage()); // never quotes the secret
        }

        Recruitment recruitment = recruitment(root.required("recruitment"), trial);
        Map<String, GroupModel> groups = new LinkedHashMap<>();
        ConfigNode groupsNode = root.required("trial_groups");
        for (Map.Entry<String, ConfigNode> e : groupsNode.entries().entrySet()) {
            if (trial.trialGroups().stream().noneMatch(g -> g.code().equals(e.getKey()))) {
                throw e.getValue().fail("is not a trial group of the trial definition " + trialGroupCodes(trial));
            }
            String site = trial.trialGroup(e.getKey()).site();
            if (!design.contains(new org.ipstrial.randomiser.Stratum(List.of(site, e.getKey())))) {
                throw e.getValue().fail("stratum " + site + "/" + e.getKey() + " is not a stratum of the design " + design.name());
            }
            groups.put(e.getKey(), group(e.getValue()));
        }
        if (groups.isEmpty()) {
            throw groupsNode.fail("at least one trial group is needed");
        }
        Map<String, List<String>> pooled = new LinkedHashMap<>();
        if (root.has("pooled_groups")) {
            for (Map.Entry<String, ConfigNode> e : root.required("pooled_groups").entries().entrySet()) {
                List<String> members = e.getValue().texts();
                for (String member : members) {
                    if (!groups.containsKey(member)) {
                        throw e.getValue().fail(member + " is not one of trial_groups " + groups.keySet());
                    }
                }
                if (members.size() < 2 || groups.containsKey(e.getKey())) {
                    throw e.getValue().fail("a pooled group needs a name of its own and at least two trial groups");
                }
                pooled.put(e.getKey(), members);
            }
        }
        ConfigNode followNode = root.required("follow_up").allowOnly("withdrawal_rate", "death_rate", "erasure_rate",
                "service_withdrawal_rate_treatment");
        FollowUp followUp = new FollowUp(followNode.required("withdrawal_rate").probability(),
                followNode.required("death_rate").probability(), followNode.required("erasure_rate").probability(),
                followNode.required("service_withdrawal_rate_treatment").probability());
        if (followUp.withdrawal() + followUp.death() + followUp.erasure() > 0.5) {
            throw followNode.fail("withdrawal, death and erasure rates add up to more than 0.5");
        }
        ConfigNode consentNode = root.required("consent").allowOnly("admin_linkage", "survey_contact");
        Consent consent = new Consent(consentNode.required("admin_linkage").probability(),
                consentNode.required("survey_contact").probability());
        List<SurveyWave> waves = new ArrayList<>();
        for (ConfigNode wave : root.required("surveys").list()) {
            wave.allowOnly("wave", "months", "response_treatment", "response_control", "fieldwork_days");
            String name = wave.required("wave").text();
            if (!name.matches("[0-9]+m")) {
                throw wave.required("wave").fail("a wave is named by its months, such as 4m or 12m");
            }
            int months = wave.required("months").integer(1, 60);
            if (!name.equals(months + "m")) {
                throw wave.required("wave").fail("wave " + name + " does not match months " + months);
            }
            waves.add(new SurveyWave(name, months, wave.required("response_treatment").probability(),
                    wave.required("response_control").probability(), wave.required("fieldwork_days").integer(1, 365)));
        }
        if (waves.stream().map(SurveyWave::months).distinct().count() != waves.size()) {
            throw root.required("surveys").fail("two waves have the same months");
        }
        if (waves.stream().noneMatch(w -> w.months() == 4) || waves.stream().noneMatch(w -> w.months() == 12)) {
            throw root.required("surveys").fail("the planted survey effects need a 4m and a 12m wave");
        }
        ConfigNode extractNode = root.required("extracts").allowOnly("payroll_history_from", "payroll", "benefits");
        Extracts extracts = new Extracts(extractNode.required("payroll_history_from").date(),
                extractNode.required("payroll").date(), extractNode.required("benefits").date());
        LocalDate lastOutcomeDay = recruitment.end().plusDays(364);
        if (!extracts.payroll().isAfter(lastOutcomeDay) || !extracts.benefits().isAfter(lastOutcomeDay)) {
            throw extractNode.fail("extract dates must be after " + lastOutcomeDay
                    + " (the last outcome-year day of the last recruit), so no primary outcome is censored");
        }
        if (!extracts.payrollHistoryFrom().isBefore(recruitment.start())) {
            throw extractNode.required("payroll_history_from").fail("must be before recruitment starts (" + recruitment.start() + ")");
        }
        Messiness messiness = messiness(root.required("messiness"));
        java.util.Optional<Delivery> delivery = java.util.Optional.empty();
        if (root.has("delivery")) {
            ConfigNode node = root.required("delivery").allowOnly("engaged_share");
            delivery = java.util.Optional.of(new Delivery(node.required("engaged_share").number(0.05, 1)));
        }
        return new SimulationConfig(seed, scale, sha256(file), trial, design, secret, testSecret, recruitment, groups, pooled,
                followUp, consent, waves, extracts, messiness, delivery);
    }

    private static List<String> trialGroupCodes(TrialShape trial) {
        return trial.trialGroups().stream().map(TrialShape.TrialGroup::code).toList();
    }

    private static Recruitment recruitment(ConfigNode node, TrialShape trial) {
        node.allowOnly("start", "monthly_weights", "ineligible_rate", "decline_rate", "area_weights");
        LocalDate start = node.required("start").date();
        if (start.getDayOfMonth() != 1) {
            throw node.required("start").fail("recruitment starts on the first day of a month");
        }
        List<Double> weights = new ArrayList<>();
        for (ConfigNode w : node.required("monthly_weights").list()) {
            weights.add(w.number(0, 1e9));
        }
        if (weights.isEmpty() || weights.stream().mapToDouble(Double::doubleValue).sum() <= 0) {
            throw node.required("monthly_weights").fail("needs at least one month with a positive weight");
        }
        Map<String, Double> areas = new LinkedHashMap<>();
        ConfigNode areaNode = node.required("area_weights");
        for (Map.Entry<String, ConfigNode> e : areaNode.entries().entrySet()) {
            if (trial.sites().stream().noneMatch(s -> s.areas().contains(e.getKey()))) {
                throw e.getValue().fail("is not an area of the trial definition");
            }
            areas.put(e.getKey(), e.getValue().number(0, 1e9));
        }
        for (TrialShape.Site site : trial.sites()) {
            double total = 0;
            for (String area : site.areas()) {
                if (!areas.containsKey(area)) {
                    throw areaNode.fail("area " + area + " of site " + site.code() + " has no weight");
                }
                total += areas.get(area);
            }
            if (total <= 0) {
                throw areaNode.fail("the areas of site " + site.code() + " need a positive total weight");
            }
        }
        double ineligible = node.required("ineligible_rate").number(0, 0.95);
        double decline = node.required("decline_rate").number(0, 0.95);
        return new Recruitment(start, weights, ineligible, decline, areas);
    }

    private static GroupModel group(ConfigNode node) {
        node.allowOnly("randomised", "age_mean", "age_sd", "female_share", "work_last_2y", "employed_at_randomisation",
                "on_out_of_work_benefit", "median_annual_pay", "control_employed_13wk_12m", "effects");
        ConfigNode workNode = node.required("work_last_2y").allowOnly("always", "more_than_half", "less_than_half", "not_at_all");
        List<Double> work = List.of(workNode.required("always").probability(), workNode.required("more_than_half").probability(),
                workNode.required("less_than_half").probability(), workNode.required("not_at_all").probability());
        double workSum = work.stream().mapToDouble(Double::doubleValue).sum();
        if (Math.abs(workSum - 1) > 1e-6) {
            throw workNode.fail("shares add up to " + workSum + ", not 1");
        }
        ConfigNode effectsNode = node.required("effects").allowOnly("employed_13wk_12m", "earnings_12m", "m12_eq5d_lss",
                "m12_swemwbs_raw", "m4_eq5d_lss", "m4_swemwbs_raw");
        Effects effects = new Effects(effectsNode.required("employed_13wk_12m").number(-0.5, 0.5),
                effectsNode.required("earnings_12m").number(-50_000, 50_000),
                effectsNode.required("m12_eq5d_lss").number(-5, 5), effectsNode.required("m12_swemwbs_raw").number(-7, 7),
                effectsNode.required("m4_eq5d_lss").number(-5, 5), effectsNode.required("m4_swemwbs_raw").number(-7, 7));
        double control = node.required("control_employed_13wk_12m").number(0.01, 0.99);
        if (control + effects.employed13wk12m() <= 0.005 || control + effects.employed13wk12m() >= 0.995) {
            throw effectsNode.required("employed_13wk_12m").fail("control rate " + control + " plus this effect leaves 0..1");
        }
        return new GroupModel(node.required("randomised").integer(1, 1_000_000), node.required("age_mean").number(25, 60),
                node.required("age_sd").number(1, 25), node.required("female_share").probability(), work,
                node.required("employed_at_randomisation").probability(), node.required("on_out_of_work_benefit").probability(),
                node.required("median_annual_pay").number(1000, 200_000), control, effects);
    }

    private static Messiness messiness(ConfigNode node) {
        String[] names = {"participant_nino_blank", "nino_spaced", "nino_lower_case", "nino_no_suffix", "day_first_dates",
            "money_pound_sign", "money_thousands_separator", "negative_adjustments", "date_of_birth_on_row",
            "blank_employment_start", "non_participant_rows", "malformed_rows", "date_of_birth_conflicts",
            "duplicate_interviews", "unknown_survey_ids", "hyphenated_ids", "item_missing"};
        node.allowOnly(names);
        double[] v = new double[names.length];
        for (int i = 0; i < names.length; i++) {
            v[i] = node.required(names[i]).probability();
        }
        if (v[1] + v[2] + v[3] > 1) {
            throw node.fail("nino_spaced + nino_lower_case + nino_no_suffix add up to more than 1");
        }
        return new Messiness(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13], v[14],
                v[15], v[16]);
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
