package org.ipstrial.etl.simulation;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * A whole simulated trial: the screening flow, every randomised person (erased ones included, for
 * the counts; the writers leave them out of every file), their outcomes, the people in the
 * providers' files who are not participants, and the calibrated model parameters.
 */
record SimulatedTrial(SimulationConfig config, List<RecruitmentFlow.ScreeningCounts> screening, List<SimulatedPerson> persons,
        List<PersonOutcomes> outcomes, List<Stranger> strangers, Map<String, GroupCalibration> calibrations) {

    SimulatedTrial {
        screening = List.copyOf(screening);
        persons = List.copyOf(persons);
        outcomes = List.copyOf(outcomes);
        strangers = List.copyOf(strangers);
        calibrations = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(calibrations));
        if (persons.size() != outcomes.size()) {
            throw new IllegalArgumentException("one outcome per person is needed");
        }
    }

    /**
     * Someone in a provider's file who is not a participant (a trace that matched the wrong person,
     * a relative): their jobs and claims appear in the files and must be discarded by the linkage.
     */
    record Stranger(String nino, LocalDate dateOfBirth, List<EmploymentModel.Spell> jobs, List<BenefitModel.BenefitSpell> benefits) {}

    /**
     * The model parameters found for a trial group: the employment intercept and treatment shift on
     * the probit scale, the treatment world's pay factor, and per wave the shifts of latent health and
     * wellbeing.
     */
    record GroupCalibration(double employmentIntercept, double employmentShift, double payFactor, List<Double> healthShifts,
            List<Double> wellbeingShifts) {
        GroupCalibration {
            healthShifts = List.copyOf(healthShifts);
            wellbeingShifts = List.copyOf(wellbeingShifts);
        }
    }
}
