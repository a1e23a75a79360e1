package org.ipstrial.etl.impact;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ipstrial.etl.impact.AnalysisPlan.OutcomeType;

/**
 * Small-number suppression for every table that leaves the safe haven. The rule, stated in the
 * report: any count of people from 1 to threshold - 1 (1 to 9 in the reference plan) is shown as
 * "&lt;10", and every figure computed from so few people is withheld. A zero is shown: it
 * describes nobody, and hiding it would only force the hiding of large cells to protect it.
 * <ul>
 *   <li>an estimate (means, difference, interval, p-value, risk ratio) is withheld when either arm
 *       has fewer analysed people than the threshold, or, for a binary outcome, when either arm has
 *       fewer than the threshold with the outcome or without it;</li>
 *   <li>in the balance table, a level's count and percentage are withheld when below the
 *       threshold; when that leaves exactly one withheld cell among a variable's levels in an arm
 *       (which the arm's total would reveal by subtraction), the smallest other cell is withheld too;
 *       a mean and SD are withheld only when 1 to threshold - 1 people have a value (a mean does not
 *       reveal a count, so a count withheld to protect another cell leaves its mean shown).</li>
 * </ul>
 */
public record DisclosureControl(int threshold) {
    public DisclosureControl {
        if (threshold < 1) throw new IllegalArgumentException("threshold must be at least 1");
    }

    /** A count that must not leave the safe haven: 1 to threshold - 1. */
    public boolean small(int count) {
        return count > 0 && count < threshold;
    }

    /** A count as released: the number, or "<threshold". */
    public String count(int count) {
        return small(count) ? "<" + threshold : Integer.toString(count);
    }

    public boolean suppress(ImpactEstimate e) {
        ImpactEstimate.ArmCounts c = e.counts();
        if (small(c.treatment()) || small(c.control())) return true;
        if (c.treatment() == 0 || c.control() == 0) return false; // nothing is estimated, nothing to withhold
        return e.outcome().type() == OutcomeType.BINARY && smallBinary(c.eventsTreatment(), c.treatment(), c.eventsControl(), c.control());
    }

    public boolean suppress(SubgroupEstimate e) {
        if (small(e.nTreatment()) || small(e.nControl())) return true;
        return e.eventsTreatment() >= 0 && smallBinary(e.eventsTreatment(), e.nTreatment(), e.eventsControl(), e.nControl());
    }

    /**
     * A complier effect is withheld when either arm's sample is small, when either arm has 1 to
     * threshold - 1 people who did or did not receive the treatment (the complier share would
     * reveal them), or, for a binary outcome, by the same rule as its intention-to-treat estimate.
     */
    public boolean suppress(ComplierEstimate e) {
        if (small(e.nTreatment()) || small(e.nControl())) return true;
        if (e.nTreatment() == 0 || e.nControl() == 0) return false;
        if (smallBinary(e.receivedTreatment(), e.nTreatment(), e.receivedControl(), e.nControl())) return true;
        return e.eventsTreatment() >= 0 && smallBinary(e.eventsTreatment(), e.nTreatment(), e.eventsControl(), e.nControl());
    }

    private boolean smallBinary(int eventsTreatment, int nTreatment, int eventsControl, int nControl) {
        return small(eventsTreatment) || small(nTreatment - eventsTreatment) || small(eventsControl) || small(nControl - eventsControl);
    }

    /**
     * Which balance cells to withhold: element [row][0] for the treatment arm, [row][1] for control.
     */
    public boolean[][] balanceSuppression(List<BalanceRow> rows) {
        boolean[][] out = new boolean[rows.size()][2];
        Map<String, List<Integer>> cellGroups = new HashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            BalanceRow r = rows.get(i);
            cellGroups.computeIfAbsent(r.group() + "\u0000" + r.cellGroup(), k -> new ArrayList<>()).add(i);
        }
        for (List<Integer> cells : cellGroups.values()) {
            for (int arm = 0; arm < 2; arm++) {
                int withheld = 0;
                for (int i : cells) {
                    int n = arm == 0 ? rows.get(i).nTreatment() : rows.get(i).nControl();
                    if (small(n)) {
                        out[i][arm] = true;
                        withheld++;
                    }
                }
                if (withheld == 1 && cells.size() > 1) {
                    int smallest = -1;
                    for (int i : cells) {
                        if (out[i][arm]) continue;
                        int n = arm == 0 ? rows.get(i).nTreatment() : rows.get(i).nControl();
                        int best = smallest < 0 ? Integer.MAX_VALUE : (arm == 0 ? rows.get(smallest).nTreatment() : rows.get(smallest).nControl());
                        if (n < best) smallest = i;
                    }
                    if (smallest >= 0) out[smallest][arm] = true;
                }
            }
        }
        return out;
    }
}
