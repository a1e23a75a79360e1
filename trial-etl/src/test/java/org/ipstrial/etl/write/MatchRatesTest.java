package org.ipstrial.etl.write;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MatchRatesTest {

    private static List<MatchRates.Unit> units(String arm, String site, int linked, int unlinked) {
        List<MatchRates.Unit> u = new ArrayList<>();
        for (int i = 0; i < linked; i++) {
            u.add(new MatchRates.Unit(arm, site, true));
        }
        for (int i = 0; i < unlinked; i++) {
            u.add(new MatchRates.Unit(arm, site, false));
        }
        return u;
    }

    @Test
    @SuppressWarnings("unchecked")
    void ratesAndPearsonChiSquareByArm() {
        // Treatment 30/50 linked, control 20/50. Hand-worked: expected 25 linked per arm;
        // chi2 = 4 x (5^2 / 25) = 4.0 with 1 degree of freedom; p = 0.045500.
        List<MatchRates.Unit> all = new ArrayList<>(units("treatment", "A", 30, 20));
        all.addAll(units("control", "B", 20, 30));
        Map<String, Object> m = MatchRates.of("all", all);
        Map<String, Object> chi = (Map<String, Object>) m.get("chi_square_by_arm");
        assertThat(chi.get("statistic")).isEqualTo(new BigDecimal("4.000000"));
        assertThat(chi.get("degrees_of_freedom")).isEqualTo(1);
        assertThat(chi.get("p_value")).isEqualTo(new BigDecimal("0.045500"));
        Map<String, Object> treatment = (Map<String, Object>) ((Map<String, Object>) m.get("by_arm")).get("treatment");
        assertThat(treatment.get("rate")).isEqualTo(new BigDecimal("0.600000"));
        assertThat(((Map<String, Object>) m.get("by_site")).keySet()).containsExactly("A", "B");
    }

    @Test
    @SuppressWarnings("unchecked")
    void notComputableWhenEveryoneLinked() {
        List<MatchRates.Unit> all = new ArrayList<>(units("treatment", "A", 3, 0));
        all.addAll(units("control", "A", 4, 0));
        Map<String, Object> chi = (Map<String, Object>) MatchRates.of("all", all).get("chi_square_by_arm");
        assertThat(chi.get("computable")).isEqualTo(false);
    }
}
