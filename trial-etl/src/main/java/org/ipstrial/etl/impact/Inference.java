package org.ipstrial.etl.impact;

import org.apache.commons.math3.distribution.FDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * Reference distributions. Differences and regression coefficients use Student's t with the
 * model's residual degrees of freedom (n minus the number of terms), as Stata's {@code regress,
 * vce(hc2)} does; with the trial's sample sizes this is the normal distribution to three decimals,
 * and slightly more conservative in small subgroups. Wald tests of several terms use F(q, n - k).
 * The risk ratio's log-scale interval uses the normal distribution, as the log method is defined.
 */
public final class Inference {
    public static final double LEVEL = 0.95;
    private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);

    private Inference() {}

    /** Two-sided critical value t_{df, 0.975}. */
    public static double tCritical(int degreesOfFreedom) {
        return new TDistribution(null, degreesOfFreedom).inverseCumulativeProbability(1 - (1 - LEVEL) / 2);
    }

    /** Two-sided p-value of estimate/se against t(df). */
    public static double tPValue(double estimate, double standardError, int degreesOfFreedom) {
        if (!(standardError > 0)) return Double.NaN;
        double t = Math.abs(estimate / standardError);
        return 2 * new TDistribution(null, degreesOfFreedom).cumulativeProbability(-t);
    }

    public static double normalCritical() {
        return NORMAL.inverseCumulativeProbability(1 - (1 - LEVEL) / 2);
    }

    /** Upper-tail p-value of an F(q, df) statistic. */
    public static double fPValue(double statistic, int numeratorDf, int denominatorDf) {
        if (Double.isNaN(statistic)) return Double.NaN;
        return Math.max(0.0, 1 - new FDistribution(null, numeratorDf, denominatorDf).cumulativeProbability(statistic));
    }

    /** The report's significance marks: *** 1%, ** 5%, * 10%, otherwise "ns". */
    public static String stars(double pValue) {
        if (Double.isNaN(pValue)) return "";
        if (pValue < 0.01) return "***";
        if (pValue < 0.05) return "**";
        if (pValue < 0.10) return "*";
        return "ns";
    }
}
