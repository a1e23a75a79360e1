package org.ipstrial.api.core.reports;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
        static Tally empty() {
            return new Tally(new HashMap<>(), new HashMap<>());
        }

        void add(Tally other, int sign) {
            other.counts.forEach((k, v) -> counts.merge(k, sign * v, Long::sum));
            other.recruits.forEach((k, v) -> recruits.merge(k, sign * v, Long::sum));
        }

        void add(ReportDao.ChunkCount c) {
            counts.merge(new BaselineBalance.Count(c.trialGroup(), c.arm(), c.item(), c.code(), 0), c.count(), Long::sum);
        }

        void add(ReportDao.ChunkRecruits r) {
            recruits.merge(new BaselineBalance.Recruits(r.trialGroup(), r.arm(), 0), r.count(), Long::sum);
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
        Map<Long, ReportDao.ChunkStamp> stale = new TreeMap<>();
        for (ReportDao.ChunkStamp stamp : dao.balanceStamps(chunk)) {
            Part part = previous.get(stamp.chunk());
            if (part != null && part.stamp().equals(stamp)) {
                current.put(stamp.chunk(), part);
            } else {
                stale.put(stamp.chunk(), stamp);
            }
        }
        if (!stale.isEmpty()) {
            // Every stale chunk in one query: one chunk after a change, all of them after a restart.
            Map<Long, Tally> fresh = new HashMap<>();
            stale.keySet().forEach(c -> fresh.put(c, Tally.empty()));
            long[] chunks = stale.keySet().stream().mapToLong(Long::longValue).toArray();
            long lowest = chunks[0] * chunk;
            long highest = chunks[chunks.length - 1] * chunk + chunk - 1;
            dao.balanceCounts(chunk, lowest, highest, chunks).forEach(c -> fresh.get(c.chunk()).add(c));
            dao.balanceRecruits(chunk, lowest, highest, chunks).forEach(r -> fresh.get(r.chunk()).add(r));
            stale.forEach((c, stamp) -> current.put(c, new Part(stamp, fresh.get(c))));
        }
        parts = Map.copyOf(current);
        Tally total = Tally.empty();
        current.values().forEach(p -> total.add(p.tally(), 1));
        Tally later = Tally.empty();
        dao.balanceCountsFrom(Long.MAX_VALUE, until).forEach(later::add);
        dao.balanceRecruitsFrom(Long.MAX_VALUE, until).forEach(later::add);
        total.add(later, -1);
        return total;
    }
}
