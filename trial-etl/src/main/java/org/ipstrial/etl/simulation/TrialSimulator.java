package org.ipstrial.etl.simulation;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Builds a whole trial from a configuration: recruits, randomisation by the platform's randomiser,
 * baseline, follow-up status, both potential futures of everyone, and who answers each survey.
 * Pure: the same configuration (seed included) gives the same trial.
 */
final class TrialSimulator {
    /** How strongly employability moves the chance of 13+ weeks' work (probit scale). */
    static final double EMPLOYABILITY_EFFECT = 0.8;
    /** How much more often more employable people attend when offered support (probit scale). */
    static final double COMPLIER_EMPLOYABILITY = 0.3;

    private TrialSimulator() {}

    static SimulatedTrial simulate(SimulationConfig config) {
        Streams streams = new Streams(config.seed());
        List<RecruitmentFlow.Recruit> recruits = RecruitmentFlow.recruits(config, streams);
        // Baseline first: a minimisation design allocates on the answers (each person's baseline
        // stream is their own, so drawing it before the allocation changes no draw).
        List<BaselineModel.Profile> profiles = new ArrayList<>(recruits.size());
        for (int i = 0; i < recruits.size(); i++) {
            RecruitmentFlow.Recruit recruit = recruits.get(i);
            profiles.add(BaselineModel.draw(streams.of("baseline", i), config, recruit.site(),
                    config.groups().get(recruit.trialGroup()), recruit.randomisedAt().toLocalDate()));
        }
        List<TrialRandomisation.Assignment> allocations = TrialRandomisation.allocate(config.design(), config.secret(), recruits,
                profiles);
        Set<String> ninos = new HashSet<>();
        List<SimulatedPerson> persons = persons(config, streams, recruits, profiles, allocations, ninos);

        Map<String, SimulatedTrial.GroupCalibration> calibrations = new LinkedHashMap<>();
        List<PersonOutcomes> outcomes = new ArrayList<>(persons.size());
        Map<Integer, PersonOutcomes> byIndex = new LinkedHashMap<>();
        for (String group : config.groups().keySet()) {
            List<SimulatedPerson> members = persons.stream().filter(p -> p.trialGroup().equals(group) && !p.erased()).toList();
            calibrations.put(group, futures(config, group, members, byIndex));
        }
        // Erased people: futures are drawn for them too (their draws exist), but with no effect
        // and they never reach a file.
        for (SimulatedPerson person : persons) {
            if (person.erased()) {
                byIndex.put(person.recruit().index(), erasedOutcomes(config, person));
            }
        }
        for (SimulatedPerson person : persons) {
            outcomes.add(byIndex.get(person.recruit().index()));
        }
        outcomes = surveyResponse(config, persons, outcomes);
        List<SimulatedTrial.Stranger> strangers = strangers(config, streams, persons.size(), ninos);
        return new SimulatedTrial(config, RecruitmentFlow.screening(config, streams), persons, outcomes, strangers, calibrations);
    }

    private static List<SimulatedPerson> persons(SimulationConfig config, Streams streams, List<RecruitmentFlow.Recruit> recruits,
            List<BaselineModel.Profile> profiles, List<TrialRandomisation.Assignment> allocations, Set<String> ninos) {
        Set<String> ids = new HashSet<>();
        SplittableRandom idRandom = streams.of("participant-id", 0);
        SplittableRandom ninoRandom = streams.of("nino", 0);
        SimulationConfig.FollowUp followUp = config.followUp();
        List<SimulatedPerson> persons = new ArrayList<>(recruits.size());
        for (int i = 0; i < recruits.size(); i++) {
            RecruitmentFlow.Recruit recruit = recruits.get(i);
            TrialRandomisation.Assignment allocation = allocations.get(i);
            String id;
            do {
                id = Identifiers.participantId(idRandom);
            } while (!ids.add(id));
            String nino;
            do {
                nino = Identifiers.nino(ninoRandom);
            } while (!ninos.add(nino.substring(0, 8)));
            SplittableRandom random = streams.of("person", i);
            SimulationConfig.GroupModel group = config.groups().get(recruit.trialGroup());
            LocalDate randomisedOn = recruit.randomisedAt().toLocalDate();
            BaselineModel.Profile profile = profiles.get(i);
            String recordedNino = Streams.chance(random, config.messiness().participantNinoBlank()) ? "" : nino;
            String nhs = Streams.chance(random, 0.04) ? "" : Identifiers.nhsNumber(random);
            String postcode = Identifiers.postcode(random, recruit.site());
            boolean admin = Streams.chance(random, config.consent().adminLinkage());
            boolean survey = Streams.chance(random, config.consent().surveyContact());
            double u = random.nextDouble();
            boolean erased = u < followUp.erasure();
            String status = "active";
            LocalDate statusDate = null;
            int deathAfter = Streams.between(random, 1, 700);
            int withdrawalAfter = Streams.between(random, 14, 600);
            if (!erased && u < followUp.erasure() + followUp.death()) {
                status = "deceased";
                statusDate = randomisedOn.plusDays(deathAfter);
            } else if (!erased && u < followUp.erasure() + followUp.death() + followUp.withdrawal()) {
                status = "withdrawn";
                statusDate = randomisedOn.plusDays(withdrawalAfter);
            }
            boolean leavesService = Streams.chance(random, followUp.serviceWithdrawalTreatment());
            LocalDate serviceWithdrawal = allocation.arm().equals("treatment") && leavesService
                    ? randomisedOn.plusDays(Streams.between(random, 7, 200)) : null;
            EmploymentModel.Draws jobs = EmploymentModel.draw(streams.of("jobs", i), group, profile, config.messiness());
            BenefitModel.Draws benefits = BenefitModel.draw(streams.of("benefits", i), group);
            List<SurveyModel.Draws> waves = new ArrayList<>();
            for (SimulationConfig.SurveyWave wave : config.waves()) {
                waves.add(SurveyModel.draw(streams.of("wave/" + wave.wave(), i), wave.fieldworkDays()));
            }
            // From a stream of its own, so a configuration without delivery draws exactly what it did.
            boolean complier = config.delivery().map(d -> streams.of("delivery", index(recruit)).nextDouble()
                    < BaselineModel.STANDARD_NORMAL.cumulativeProbability(
                            BaselineModel.STANDARD_NORMAL.inverseCumulativeProbability(Math.min(d.engagedShare(), 0.999))
                                    + COMPLIER_EMPLOYABILITY * profile.employability())).orElse(true);
            persons.add(new SimulatedPerson(recruit, allocation, id, recordedNino, nhs, postcode, profile, admin, survey, status,
                    statusDate, serviceWithdrawal, erased, jobs, benefits, waves, complier));
        }
        return persons;
    }

    private static long index(RecruitmentFlow.Recruit recruit) {
        return recruit.index();
    }

    /**
     * Calibrates a group's model and builds both futures of each member. With a delivery model only
     * compliers get the effects (a non-complier's treatment world is their control world), and the
     * effects are calibrated among them: the planted effects are complier average causal effects.
     */
    private static SimulatedTrial.GroupCalibration futures(SimulationConfig config, String group, List<SimulatedPerson> members,
            Map<Integer, PersonOutcomes> byIndex) {
        SimulationConfig.GroupModel model = config.groups().get(group);
        SimulationConfig.Effects effects = model.effects();
        String field = config.trial().trialGroup(group).code();
        String people = " (a group of " + members.size() + " people at this scale)";
        double[] employability = members.stream().mapToDouble(p -> p.profile().employability()).toArray();
        double intercept = Calibration.solve(a -> meanProbability(employability, a), model.controlEmployed13wk(), -8, 8,
                "trial_groups." + field + ".control_employed_13wk_12m" + people);
        double[] compliers = members.stream().filter(SimulatedPerson::complier).mapToDouble(p -> p.profile().employability()).toArray();
        double shift = config.delivery().isEmpty()
                ? Calibration.solve(s -> meanProbability(employability, intercept + s) - model.controlEmployed13wk(),
                        effects.employed13wk12m(), -8, 8, "trial_groups." + field + ".effects.employed_13wk_12m" + people)
                : Calibration.solve(s -> meanProbability(compliers, intercept + s) - meanProbability(compliers, intercept),
                        effects.employed13wk12m(), -8, 8, "trial_groups." + field + ".effects.employed_13wk_12m (among compliers)"
                                + people);

        SimulationConfig.Extracts extracts = config.extracts();
        List<List<EmploymentModel.Spell>> worlds0 = new ArrayList<>();
        List<List<EmploymentModel.Spell>> worlds1 = new ArrayList<>();
        long base0 = 0;
        long base1 = 0;
        for (SimulatedPerson p : members) {
            double index = intercept + EMPLOYABILITY_EFFECT * p.profile().employability();
            boolean employed0 = p.jobs().threshold() < BaselineModel.STANDARD_NORMAL.cumulativeProbability(index);
            boolean employed1 = p.jobs().threshold() < BaselineModel.STANDARD_NORMAL.cumulativeProbability(index + (p.complier() ? shift : 0));
            List<EmploymentModel.Spell> jobs0 = EmploymentModel.world(p.jobs(), employed0, p.randomisedOn(), p.death());
            List<EmploymentModel.Spell> jobs1 = EmploymentModel.world(p.jobs(), employed1, p.randomisedOn(), p.death());
            worlds0.add(jobs0);
            worlds1.add(jobs1);
            if (!p.complier()) {
                continue;
            }
            base0 += EmploymentModel.outcomeYear(jobs0, p.randomisedOn(), extracts.payrollHistoryFrom(), extracts.payroll(), 1).earningsPence();
            base1 += EmploymentModel.outcomeYear(jobs1, p.randomisedOn(), extracts.payrollHistoryFrom(), extracts.payroll(), 1).earningsPence();
        }
        // Pay in the treatment world is scaled so that the mean earnings effect (among compliers, with
        // a delivery model) is the planted one.
        double payFactor = base1 == 0 ? 1 : (effects.earnings12m() * 100 * compliers.length + base0) / (double) base1;
        if (payFactor < 0.25 || payFactor > 4) {
            throw new SimulationConfigException("trial_groups." + field + ".effects.earnings_12m: " + effects.earnings12m()
                    + " GBP needs treatment pay scaled by " + payFactor + " (allowed 0.25 to 4); choose an effect nearer "
                    + "what the employment effect gives");
        }
        List<Double> healthShifts = new ArrayList<>();
        List<Double> wellbeingShifts = new ArrayList<>();
        for (int w = 0; w < config.waves().size(); w++) {
            int wave = w;
            int months = config.waves().get(w).months();
            double eqTarget = months == 12 ? effects.m12Eq5dLss() : months == 4 ? effects.m4Eq5dLss() : 0;
            double swTarget = months == 12 ? effects.m12SwemwbsRaw() : months == 4 ? effects.m4SwemwbsRaw() : 0;
            String suffix = months == 12 ? "m12" : "m4";
            healthShifts.add(eqTarget == 0 ? 0 : Calibration.solve(s -> members.stream().filter(SimulatedPerson::complier).mapToDouble(p ->
                            SurveyModel.eq5dLevelSum(p.profile(), p.waves().get(wave), months, s)
                                    - SurveyModel.eq5dLevelSum(p.profile(), p.waves().get(wave), months, 0)).average().orElse(0),
                    eqTarget, -4, 4, "trial_groups." + field + ".effects." + suffix + "_eq5d_lss" + people));
            wellbeingShifts.add(swTarget == 0 ? 0 : Calibration.solve(s -> members.stream().filter(SimulatedPerson::complier).mapToDouble(p ->
                            SurveyModel.swemwbsRaw(p.profile(), p.waves().get(wave), months, s)
                                    - SurveyModel.swemwbsRaw(p.profile(), p.waves().get(wave), months, 0)).average().orElse(0),
                    swTarget, -4, 4, "trial_groups." + field + ".effects." + suffix + "_swemwbs_raw" + people));
        }
        for (int i = 0; i < members.size(); i++) {
            SimulatedPerson p = members.get(i);
            EmploymentModel.YearOutcome year0 = EmploymentModel.outcomeYear(worlds0.get(i), p.randomisedOn(),
                    extracts.payrollHistoryFrom(), extracts.payroll(), 1);
            EmploymentModel.YearOutcome year1 = p.complier() ? EmploymentModel.outcomeYear(worlds1.get(i), p.randomisedOn(),
                    extracts.payrollHistoryFrom(), extracts.payroll(), payFactor) : year0;
            List<PersonOutcomes.Wave> waves = new ArrayList<>();
            for (int w = 0; w < config.waves().size(); w++) {
                SimulationConfig.SurveyWave wave = config.waves().get(w);
                SurveyModel.Draws d = p.waves().get(w);
                waves.add(new PersonOutcomes.Wave(wave.wave(), SurveyModel.interviewDate(p.randomisedOn(), wave.months(), d),
                        SurveyModel.eq5dLevelSum(p.profile(), d, wave.months(), 0),
                        SurveyModel.eq5dLevelSum(p.profile(), d, wave.months(), p.complier() ? healthShifts.get(w) : 0),
                        SurveyModel.swemwbsRaw(p.profile(), d, wave.months(), 0),
                        SurveyModel.swemwbsRaw(p.profile(), d, wave.months(), p.complier() ? wellbeingShifts.get(w) : 0), false, false));
            }
            byIndex.put(p.recruit().index(), new PersonOutcomes(worlds0.get(i), worlds1.get(i), year0, year1,
                    p.complier() ? payFactor : 1, waves));
        }
        return new SimulatedTrial.GroupCalibration(intercept, shift, payFactor, healthShifts, wellbeingShifts);
    }

    private static PersonOutcomes erasedOutcomes(SimulationConfig config, SimulatedPerson p) {
        List<PersonOutcomes.Wave> waves = new ArrayList<>();
        for (SimulationConfig.SurveyWave wave : config.waves()) {
            waves.add(new PersonOutcomes.Wave(wave.wave(), p.randomisedOn().plusMonths(wave.months()), 0, 0, 0, 0, false, false));
        }
        EmploymentModel.YearOutcome none = new EmploymentModel.YearOutcome(0, 0);
        return new PersonOutcomes(List.of(), List.of(), none, none, 1, waves);
    }

    private static double meanProbability(double[] employability, double intercept) {
        double sum = 0;
        for (double e : employability) {
            sum += BaselineModel.STANDARD_NORMAL.cumulativeProbability(intercept + EMPLOYABILITY_EFFECT * e);
        }
        return employability.length == 0 ? 0 : sum / employability.length;
    }

    /**
     * Who answers each wave. Only people in the sample frame (survey consent) who are still
     * contactable on the interview date can answer; the chance of answering depends on baseline
     * characteristics (age, recent work, health, sex) and on the arm, with the arm's intercept
     * calibrated so that the configured share of all randomised people in the arm is expected to
     * answer. Non-response is therefore at random given baseline covariates and arm, which weighting
     * can correct.
     */
    private static List<PersonOutcomes> surveyResponse(SimulationConfig config, List<SimulatedPerson> persons,
            List<PersonOutcomes> outcomes) {
        List<PersonOutcomes> updated = new ArrayList<>(outcomes);
        for (int w = 0; w < config.waves().size(); w++) {
            SimulationConfig.SurveyWave wave = config.waves().get(w);
            for (String arm : List.of("treatment", "control")) {
                List<Integer> inArm = new ArrayList<>();
                List<Integer> eligible = new ArrayList<>();
                for (int i = 0; i < persons.size(); i++) {
                    SimulatedPerson p = persons.get(i);
                    if (p.erased() || !p.arm().equals(arm)) {
                        continue;
                    }
                    inArm.add(i);
                    if (p.consentSurveyContact() && p.contactableOn(outcomes.get(i).waves().get(w).interviewDate())) {
                        eligible.add(i);
                    }
                }
                double rate = arm.equals("treatment") ? wave.responseTreatment() : wave.responseControl();
                double expected = rate * inArm.size();
                double[] covariates = eligible.stream().mapToDouble(i -> responseIndex(persons.get(i))).toArray();
                double intercept = Calibration.solve(a -> {
                    double sum = 0;
                    for (double x : covariates) {
                        sum += logistic(a + x);
                    }
                    return sum;
                }, expected, -20, 20, "surveys[" + w + "].response_" + arm);
                for (int k = 0; k < eligible.size(); k++) {
                    int i = eligible.get(k);
                    boolean responded = persons.get(i).waves().get(w).response() < logistic(intercept + covariates[k]);
                    PersonOutcomes o = updated.get(i);
                    List<PersonOutcomes.Wave> waves = new ArrayList<>(o.waves());
                    PersonOutcomes.Wave old = waves.get(w);
                    waves.set(w, new PersonOutcomes.Wave(old.wave(), old.interviewDate(), old.eq5dLss0(), old.eq5dLss1(),
                            old.swemwbsRaw0(), old.swemwbsRaw1(), true, responded));
                    updated.set(i, new PersonOutcomes(o.jobs0(), o.jobs1(), o.year0(), o.year1(), o.payFactor1(), waves));
                }
            }
        }
        return updated;
    }

    static double responseIndex(SimulatedPerson p) {
        BaselineModel.Profile b = p.profile();
        return 0.02 * (b.age() - 40) + (b.workLast2y() <= 2 ? 0.4 : 0) - (b.healthLimits() == 1 ? 0.3 : 0)
                + (b.female() ? 0.25 : 0);
    }

    private static double logistic(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** People in the providers' files who are not participants: about the configured share of participants. */
    private static List<SimulatedTrial.Stranger> strangers(SimulationConfig config, Streams streams, int participants,
            Set<String> ninos) {
        int count = (int) Math.round(config.messiness().nonParticipantRows() * participants);
        SimulationConfig.GroupModel model = config.groups().values().iterator().next();
        LocalDate start = config.recruitment().start();
        long days = java.time.temporal.ChronoUnit.DAYS.between(start, config.recruitment().end());
        List<SimulatedTrial.Stranger> strangers = new ArrayList<>();
        SplittableRandom ninoRandom = streams.of("stranger-nino", 0);
        for (int i = 0; i < count; i++) {
            SplittableRandom random = streams.of("stranger", i);
            String nino;
            do {
                nino = Identifiers.nino(ninoRandom);
            } while (!ninos.add(nino.substring(0, 8)));
            LocalDate pivot = start.plusDays((long) (random.nextDouble() * days));
            LocalDate dob = pivot.minusYears(Streams.between(random, 19, 66)).minusDays(random.nextInt(365));
            // Only employability and work history shape a stranger's jobs; the rest of the profile is unused.
            BaselineModel.Profile profile = new BaselineModel.Profile(40, dob, "male", 0, 0, random.nextGaussian(), 0, 3, 2, Map.of());
            EmploymentModel.Draws jobs = EmploymentModel.draw(random, model, profile, config.messiness());
            List<EmploymentModel.Spell> spells = EmploymentModel.world(jobs, Streams.chance(random, 0.4), pivot, null);
            List<BenefitModel.BenefitSpell> benefits = BenefitModel.world(BenefitModel.draw(random, model), spells, pivot, null,
                    config.extracts().benefits());
            strangers.add(new SimulatedTrial.Stranger(nino, dob, spells, benefits));
        }
        return strangers;
    }
}
