package org.ipstrial.etl.impact;

import java.util.List;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * Wald test of q linear restrictions L beta = 0 with the robust covariance V:
 * W = (L b)' (L V L')^-1 (L b), reported as F = W / q on (q, n - k) degrees of freedom.
 */
public record WaldTest(double statistic, int numeratorDf, int denominatorDf, double pValue) {

    /** Tests that all the named terms have equal coefficients (q = terms - 1 restrictions). */
    public static WaldTest equalCoefficients(RobustFit fit, List<String> terms) {
        if (terms.size() < 2) throw new IllegalArgumentException("equality needs at least two terms");
        int q = terms.size() - 1;
        int k = fit.names().size();
        double[][] l = new double[q][k];
        int first = fit.indexOf(terms.get(0));
        for (int r = 0; r < q; r++) {
            l[r][fit.indexOf(terms.get(r + 1))] = 1;
            l[r][first] = -1;
        }
        RealMatrix lm = new Array2DRowRealMatrix(l, false);
        RealMatrix lb = lm.multiply(new Array2DRowRealMatrix(fit.coefficients()));
        RealMatrix middle = lm.multiply(new Array2DRowRealMatrix(fit.covariance(), false)).multiply(lm.transpose());
        double w = lb.transpose().multiply(new LUDecomposition(middle).getSolver().getInverse()).multiply(lb).getEntry(0, 0);
        double f = w / q;
        return new WaldTest(f, q, fit.residualDegreesOfFreedom(), Inference.fPValue(f, q, fit.residualDegreesOfFreedom()));
    }
}
