package org.ipstrial.api.core.reports;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ipstrial.api.db.ReportDao;
import org.ipstrial.randomiser.RandomisationDesign;

/**
 * The sequence check kept per stratum, so that a new allocation costs the check of that allocation,
 * not a read of every allocation on record (docs/reports.md#how-the-reports-stay-fast).
 *
 * <p>Allocation rows are never updated or deleted, and snapshots of the database are ordered, so
 * two snapshots that count the same allocations in a stratum see the same rows. A stratum whose
 * count grew is resumed from the allocations after the last one checked; if those do not make up
 * the new count (a row with an earlier sequence number arrived late, which the stratum lock should
 * make impossible), the stratum is checked again from its first allocation.
 */
final class SequenceParts {
    private record State(RandomisationDesign design, Map<String, SequenceIntegrity.Fold> folds) {}

    /** Replaced whole, never changed in place: a fold is copied before it takes more allocations. */
    private volatile State state = new State(null, Map.of());

    SequenceIntegrity check(RandomisationDesign design, ReportDao dao) {
        State previous = state;
        Map<String, SequenceIntegrity.Fold> kept = previous.design() == design ? previous.folds() : Map.of();
        Map<String, Long> counts = new LinkedHashMap<>();
        design.strata().forEach(s -> counts.put(s.key(), 0L));
        dao.sequenceStamps().forEach(s -> counts.put(s.stratumKey(), s.allocations()));
        Map<String, SequenceIntegrity.Fold> folds = new LinkedHashMap<>();
        counts.forEach((key, count) -> folds.put(key, fold(design, dao, key, count, kept.get(key))));
        state = new State(design, folds);
        return SequenceIntegrity.of(folds.values().stream().map(SequenceIntegrity.Fold::result).toList());
    }

    private static SequenceIntegrity.Fold fold(RandomisationDesign design, ReportDao dao, String key, long count,
            SequenceIntegrity.Fold kept) {
        if (kept != null && kept.count() == count) {
            return kept;
        }
        if (kept != null && kept.count() < count) {
            var rows = dao.sequenceAfter(key, kept.lastSequence());
            if (kept.count() + rows.size() == count) {
                SequenceIntegrity.Fold resumed = kept.copy();
                rows.forEach(resumed::add);
                return resumed;
            }
        }
        SequenceIntegrity.Fold fresh = new SequenceIntegrity.Fold(design, key);
        dao.sequenceAfter(key, Long.MIN_VALUE).forEach(fresh::add);
        return fresh;
    }
}
