package org.ipstrial.etl.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.YearMonth;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reference trial's counts and rates come out of the reference configuration's model, checked
 * at a fifth of its scale: proportions within 4 binomial standard errors of their targets.
 */
class ReferenceRatesTest {
    private static final long SEED = 41;
    private static final double SCALE = 0.2;
    private static final double K = 4;
    static SimulatedTrial trial;
    static int n;

    @BeforeAll
    static void simulate() {
        trial = TrialSimulator.simulate(SimulationConfig.read(Fixtures.REFERENCE).with(SEED, SCALE));
        n = trial.persons().size();
    }

    private static double share(Predicate<SimulatedPerson> which) {
        return trial.persons().stream().filter(which).count() / (double) n;
    }

    private static void near(String what, double observed, double target, int size) {
        assertThat(observed).as("%s (seed %d, scale %s, n %d)", what, SEED, SCALE, size)
                .isCloseTo(target, org.assertj.core.data.Offset.offset(Math.max(Fixtures.tolerance(target, size, K), 1e-9)));
    }

    @Test
    void groupSizesAreTheReferenceTrialsAtScale() {
        assertThat(trial.persons().stream().filter(p -> p.trialGroup().equals("A-IW")).count()).isEqualTo(Math.round(2519 * SCALE));
        assertThat(trial.persons().stream().filter(p -> p.trialGroup().equals("A-OOW")).count()).isEqualTo(Math.round(3591 * SCALE));
        assertThat(trial.persons().stream().filter(p -> p.trialGroup().equals("B-OOW")).count()).isEqualTo(Math.round(3675 * SCALE));
        near("treatment share", share(SimulatedPerson::treated), 0.5, n);
    }

    @Test
    void recruitmentRampsUpOverEighteenMonthsToABusiestLastMonth() {
        Map<YearMonth, Integer> byMonth = new TreeMap<>();
        trial.persons().forEach(p -> byMonth.merge(YearMonth.from(p.recruit().randomisedAt()), 1, Integer::sum));
        assertThat(byMonth.keySet()).hasSize(18);
        assertThat(byMonth.keySet().iterator().next()).isEqualTo(YearMonth.of(2018, 5));
        int busiest = byMonth.values().stream().max(Integer::compare).orElseThrow();
        assertThat(byMonth.get(YearMonth.of(2019, 10))).isEqualTo(busiest);
        // Over 1,500 of 9,785 at full scale: the same share here (largest remainder keeps it to a person per group).
        assertThat(busiest).isGreaterThan((int) (1500 * SCALE));
        assertThat(byMonth.get(YearMonth.of(2018, 5))).isLessThan(busiest / 10);
    }

    @Test
    void withdrawalsDeathsAndErasuresHappenAtTheReferenceRates() {
        near("withdrawn", share(p -> p.status().equals("withdrawn")), 287 / 9785.0, n);
        near("deceased", share(p -> p.status().equals("deceased")), 10 / 9785.0, n);
        near("erased", share(SimulatedPerson::erased), 5 / 9785.0, n);
        near("no linkage consent", share(p -> !p.consentAdminLinkage()), 0.05, n);
        near("no NINO recorded", share(p -> p.nino().isEmpty()), 0.015, n);
    }

    @Test
    void surveysReachTheReferenceResponseWithTreatmentRespondingMore() {
        for (int w = 0; w < 2; w++) {
            int wave = w;
            double target = w == 0 ? 0.55 : 0.42;
            int[] responded = new int[2];
            int[] size = new int[2];
            for (int i = 0; i < n; i++) {
                SimulatedPerson p = trial.persons().get(i);
                if (p.erased()) {
                    continue;
                }
                int arm = p.treated() ? 1 : 0;
                size[arm]++;
                if (trial.outcomes().get(i).waves().get(wave).responded()) {
                    responded[arm]++;
                }
            }
            double overall = (responded[0] + responded[1]) / (double) (size[0] + size[1]);
            near("response wave " + wave, overall, target, size[0] + size[1]);
            double treatment = responded[1] / (double) size[1];
            double control = responded[0] / (double) size[0];
            near("treatment response wave " + wave, treatment, target + 0.03, size[1]);
            near("control response wave " + wave, control, target - 0.03, size[0]);
            assertThat(treatment).as("wave %d, seed %d", wave, SEED).isGreaterThan(control);
        }
    }

    @Test
    void baselineLooksLikeTheReferenceConfiguration() {
        for (String group : trial.config().groups().keySet()) {
            SimulationConfig.GroupModel model = trial.config().groups().get(group);
            int size = (int) trial.persons().stream().filter(p -> p.trialGroup().equals(group)).count();
            double female = trial.persons().stream().filter(p -> p.trialGroup().equals(group) && p.profile().female()).count()
                    / (double) size;
            near(group + " female", female, model.femaleShare(), size);
            double always = trial.persons().stream().filter(p -> p.trialGroup().equals(group) && p.profile().workLast2y() == 1)
                    .count() / (double) size;
            near(group + " always worked", always, model.workLast2y().get(0), size);
            double age = trial.persons().stream().filter(p -> p.trialGroup().equals(group)).mapToInt(p -> p.profile().age())
                    .average().orElseThrow();
            assertThat(age).as(group).isCloseTo(model.ageMean(), org.assertj.core.data.Offset.offset(4 * model.ageSd() / Math.sqrt(size) + 0.6));
        }
    }

    @Test
    void screeningCountsIneligibleAndDeclinedPeople() {
        for (RecruitmentFlow.ScreeningCounts s : trial.screening()) {
            assertThat(s.randomised()).isEqualTo((int) trial.persons().stream().filter(p -> p.trialGroup().equals(s.trialGroup())).count());
            assertThat(s.screened()).isEqualTo(s.ineligible() + s.declined() + s.randomised());
            near(s.trialGroup() + " ineligible", s.ineligible() / (double) s.screened(), 0.15, s.screened());
            int eligible = s.screened() - s.ineligible();
            near(s.trialGroup() + " declined", s.declined() / (double) eligible, 0.10, eligible);
            assertThat(s.ineligibleByCriterion().values().stream().mapToInt(Integer::intValue).sum())
                    .isGreaterThanOrEqualTo(s.ineligible());
        }
    }
}
