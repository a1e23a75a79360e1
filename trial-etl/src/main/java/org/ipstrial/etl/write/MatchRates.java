package org.ipstrial.etl.write;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.math3.stat.inference.ChiSquareTest;

/**
 * How many participants one source linked, overall, by arm and by site, with Pearson's chi-square
 * test of independence between arm and linkage (Commons Math). If one arm links worse than the
 * other the impact estimate is biased; analysts must see it before trusting a number.
 */
public final class MatchRates {
    private MatchRates() {}

    /** One participant as the rates see them. */
    public record Unit(String arm, String site, boolean linked) {}

    public static Map<String, Object> of(String denominator, List<Unit> units) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("denominator", denominator);
        m.put("overall", rate(units.size(), units.stream().filter(Unit::linked).count()));
        Map<String, long[]> byArm = tally(units, true);
        Map<String, long[]> bySite = tally(units, false);
        Map<String, Object> arms = new LinkedHashMap<>();
        byArm.forEach((k, v) -> arms.put(k, rate(v[0], v[1])));
        Map<String, Object> sites = new LinkedHashMap<>();
        bySite.forEach((k, v) -> sites.put(k, rate(v[0], v[1])));
        m.put("by_arm", arms);
        m.put("by_site", sites);
        m.put("chi_square_by_arm", chiSquare(byArm));
        return m;
    }

    private static Map<String, long[]> tally(List<Unit> units, boolean byArm) {
        Map<String, long[]> t = new TreeMap<>();
        for (Unit u : units) {
            long[] c = t.computeIfAbsent(byArm ? u.arm() : u.site(), k -> new long[2]);
            c[0]++;
            if (u.linked()) {
                c[1]++;
            }
        }
        return t;
    }

    private static Map<String, Object> rate(long participants, long linked) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("participants", participants);
        m.put("linked", linked);
        m.put("rate", participants == 0 ? null : round(linked / (double) participants));
        return m;
    }

    /** Pearson's test on the arm x (linked, not linked) table; not computable when a margin is zero. */
    static Map<String, Object> chiSquare(Map<String, long[]> byArm) {
        Map<String, Object> m = new LinkedHashMap<>();
        long[][] table = new long[byArm.size()][];
        int i = 0;
        long linked = 0;
        long unlinked = 0;
        for (long[] c : byArm.values()) {
            table[i++] = new long[] {c[1], c[0] - c[1]};
            linked += c[1];
            unlinked += c[0] - c[1];
        }
        if (table.length < 2 || linked == 0 || unlinked == 0) {
            m.put("computable", false);
            m.put("why", table.length < 2 ? "fewer than two arms" : "every participant is in the same linkage column");
            return m;
        }
        ChiSquareTest test = new ChiSquareTest();
        m.put("computable", true);
        m.put("statistic", round(test.chiSquare(table)));
        m.put("degrees_of_freedom", table.length - 1);
        m.put("p_value", round(test.chiSquareTest(table)));
        return m;
    }

    static BigDecimal round(double value) {
        return BigDecimal.valueOf(value).setScale(6, RoundingMode.HALF_UP);
    }
}
