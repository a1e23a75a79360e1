package org.ipstrial.etl.impact;

import java.util.List;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularMatrixException;

/**
 * Wald test of q linear restrictions L beta = 0 with the robust covariance V:
 * W = (L b)' (L V L')^-1 (L b), reported as F = W / q on (q, n - k) degrees of freedom. When
 * L V L' is singular (no variation to test against) the statistic and p-value are NaN.
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
        RealMatrix inverse;
        try {
            inverse = new LUDecomposition(middle).getSolver().getInverse();
        } catch (SingularMatrixException noVariation) {
            // The contrasts have no estimated variance (e.g. an outcome constant within levels): no test.
            return new WaldTest(Double.NaN, q, fit.residualDegreesOfFreedom(), Double.NaN);
        }
        double w = lb.transpose().multiply(inverse).multiply(lb).getEntry(0, 0);
        double f = w / q;
        return new WaldTest(f, q, fit.residualDegreesOfFreedom(), Inference.fPValue(f, q, fit.residualDegreesOfFreedom()));
    }
}
