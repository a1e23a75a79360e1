package org.ipstrial.etl.simulation;

import java.time.LocalDate;
import java.util.List;

/**
 * A participant's two potential futures (world 0: assigned to control, world 1: assigned to
 * treatment) and what the survey saw of the realised one.
 */
record PersonOutcomes(List<EmploymentModel.Spell> jobs0, List<EmploymentModel.Spell> jobs1,
        EmploymentModel.YearOutcome year0, EmploymentModel.YearOutcome year1, double payFactor1, List<Wave> waves) {

    PersonOutcomes {
        jobs0 = List.copyOf(jobs0);
        jobs1 = List.copyOf(jobs1);
        waves = List.copyOf(waves);
    }

    /**
     * One survey wave: latent totals in both worlds, and whether the realised person was interviewed.
     *
     * @param eligible in the sample frame and still contactable on the interview date
     */
    record Wave(String wave, LocalDate interviewDate, int eq5dLss0, int eq5dLss1, int swemwbsRaw0, int swemwbsRaw1,
            boolean eligible, boolean responded) {}

    List<EmploymentModel.Spell> jobs(boolean treated) {
        return treated ? jobs1 : jobs0;
    }

    EmploymentModel.YearOutcome year(boolean treated) {
        return treated ? year1 : year0;
    }
}
