package org.ipstrial.api.core.reports;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ipstrial.api.db.ReportDao;

/**
 * The counts behind the balance report, kept in parts so that a change recomputes one part, not
 * 89,000 baselines (docs/reports.md#how-the-reports-stay-fast).
 *
 * <p>A part is the tally of the allocations whose id falls in one chunk of ids:
 * every answer code per trial group, arm and item, and the recruits with a baseline. What a chunk
 * tallies can change only when an allocation is added to it, when one of its people is erased
 * (their baseline and identifiers go), or when one of their identifiers is corrected (sex and date
 * of birth are items). Allocation and erasure rows are never updated or deleted, and corrections
 * only grow except when the person is erased, so a chunk's stamp (its allocations, how many of
 * them are erased, how many corrections they have) changes whenever its tally could. Snapshots of
 * the database are ordered, so two snapshots with the same stamp see the same rows of the chunk.
 *
 * <p>Parts tally every allocation; a reader who may see arms only up to a cut-off gets the sum of
 * the parts less the tally of the allocations at or after the cut-off (today's, a handful).
 */
final class BalanceParts {
    static final int CHUNK = 1024;
    private final int chunk;

    /** @param chunk allocation ids per part ({@value #CHUNK} in service; tests use small ones) */
    BalanceParts(int chunk) {
        this.chunk = chunk;
    }

    /** Counts keyed by trial group, arm, item and code; recruits by trial group and arm. */
    record Tally(Map<BaselineBalance.Count, Long> counts, Map<BaselineBalance.Recruits, Long> recruits) {
        static Tally of(List<BaselineBalance.Count> counts, List<BaselineBalance.Recruits> recruits) {
            Tally t = new Tally(new HashMap<>(), new HashMap<>());
            t.add(counts, recruits, 1);
            return t;
        }

        void add(Tally other, int sign) {
            other.counts.forEach((k, v) -> counts.merge(k, sign * v, Long::sum));
            other.recruits.forEach((k, v) -> recruits.merge(k, sign * v, Long::sum));
        }

        private void add(List<BaselineBalance.Count> cs, List<BaselineBalance.Recruits> rs, int sign) {
            cs.forEach(c -> counts.merge(c.withCount(0), sign * c.count(), Long::sum));
            rs.forEach(r -> recruits.merge(r.withCount(0), sign * r.count(), Long::sum));
        }

        List<BaselineBalance.Count> countList() {
            List<BaselineBalance.Count> out = new ArrayList<>();
            counts.forEach((k, v) -> out.add(k.withCount(v)));
            return out;
        }

        List<BaselineBalance.Recruits> recruitList() {
            List<BaselineBalance.Recruits> out = new ArrayList<>();
            recruits.forEach((k, v) -> out.add(k.withCount(v)));
            return out;
        }
    }

    private record Part(ReportDao.ChunkStamp stamp, Tally tally) {}

    /** The parts of the last call; replaced whole (never changed in place), so readers may share them. */
    private volatile Map<Long, Part> parts = Map.of();

    /** The tally of allocations before {@code until}, read in the caller's snapshot. */
    Tally before(ReportDao dao, Instant until) {
        Map<Long, Part> previous = parts;
        Map<Long, Part> current = new HashMap<>();
        Tally total = new Tally(new HashMap<>(), new HashMap<>());
        for (ReportDao.ChunkStamp stamp : dao.balanceStamps(chunk)) {
            Part part = previous.get(stamp.chunk());
            if (part == null || !part.stamp().equals(stamp)) {
                long first = stamp.chunk() * chunk;
                long last = first + chunk - 1;
                part = new Part(stamp, Tally.of(dao.balanceCounts(first, last), dao.balanceRecruits(first, last)));
            }
            current.put(stamp.chunk(), part);
            total.add(part.tally(), 1);
        }
        parts = Map.copyOf(current);
        total.add(Tally.of(dao.balanceCountsFrom(until), dao.balanceRecruitsFrom(until)), -1);
        return total;
    }
}
