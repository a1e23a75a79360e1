package org.ipstrial.api.load;

import org.ipstrial.api.core.randomisation.SequenceAudit;
import org.ipstrial.api.core.randomisation.StratumTotals;
import org.ipstrial.randomiser.MarginalTotals;
import org.ipstrial.randomiser.MinimisationDesign;
import org.ipstrial.randomiser.MinimisationRandomiser;
import org.ipstrial.randomiser.MinimisationVerifier;
import org.ipstrial.randomiser.RecordedMinimisation;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ipstrial.api.core.audit.AuditLog;
import org.ipstrial.config.DesignFile;
import org.ipstrial.api.core.design.SecretFile;
import org.ipstrial.randomiser.AllocationRatio;
import org.ipstrial.randomiser.AllocationVerifier;
import org.ipstrial.randomiser.PermutedBlockRandomiser;
import org.ipstrial.randomiser.RandomisationDesign;
import org.ipstrial.randomiser.RecordedAllocation;
import org.ipstrial.randomiser.Stratum;
import org.ipstrial.randomiser.VerificationResult;

/**
 * After a run, from the database itself: nobody allocated twice, every completed block exact,
 * every stratum's running imbalance within what its blocks allow, every allocation the one the
 * secret sequence gives, the audit chain intact with one event per allocation, and every
 * allocation a client was told about present with the arm it was told.
 */
public final class AllocationCheck {
    /** The verdict: problems (empty when all holds) and figures for the report. */
    /** {@code minimised}: the design was minimisation (no blocks; levels, seals and the lock rows' totals checked instead). */
    public record Verdict(List<String> problems, long allocations, long completedBlocks, Map<String, Double> worstImbalance,
            long auditEvents, boolean minimised) {
        public boolean holds() {
            return problems.isEmpty();
        }
    }

    private AllocationCheck() {}

    private record Row(String stratum, long sequence, long blockIndex, int blockSize, int position, int version, String arm,
            String personKey, java.time.Instant at) {}

    public static Verdict run(Cluster cluster, Path designFile, List<LoadRun.Acknowledged> acknowledged) throws SQLException {
        return run(cluster.jdbcUrl(), cluster.ownerUser(), cluster.randomisationSecret(), designFile, acknowledged);
    }

    /** The same checks on any database, such as one restored from a backup, as its owner (no password). */
    public static Verdict run(String jdbcUrl, String ownerUser, Path secretFile, Path designFile, List<LoadRun.Acknowledged> acknowledged)
            throws SQLException {
        DesignFile.Read read = DesignFile.readAny(designFile);
        List<String> problems = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        long auditRandomised;
        Map<String, String> armByParticipant = new HashMap<>();
        try (Connection c = java.sql.DriverManager.getConnection(jdbcUrl, ownerUser, ""); Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("""
                    SELECT stratum_key, sequence, block_index, block_size, position_in_block, design_version, arm,
                           person_key::text, allocated_at FROM allocation ORDER BY stratum_key, sequence""")) {
                while (r.next()) {
                    rows.add(new Row(r.getString(1), r.getLong(2), r.getLong(3), r.getInt(4), r.getInt(5), r.getInt(6),
                            r.getString(7), r.getString(8), r.getTimestamp(9).toInstant()));
                }
            }
            try (ResultSet r = s.executeQuery("SELECT person_key::text, count(*) FROM allocation GROUP BY 1 HAVING count(*) > 1")) {
                while (r.next()) {
                    problems.add("person " + r.getString(1) + " allocated " + r.getLong(2) + " times");
                }
            }
            try (ResultSet r = s.executeQuery("""
                    SELECT r.participant_id, count(a.id) FROM recruit r JOIN allocation a ON a.person_key = r.person_key
                    GROUP BY 1 HAVING count(a.id) > 1""")) {
                while (r.next()) {
                    problems.add("participant " + r.getString(1) + " allocated " + r.getLong(2) + " times");
                }
            }
            try (ResultSet r = s.executeQuery("SELECT r.participant_id, a.arm FROM recruit r JOIN allocation a ON a.person_key = r.person_key")) {
                while (r.next()) {
                    armByParticipant.put(r.getString(1).trim(), r.getString(2));
                }
            }
            try (ResultSet r = s.executeQuery("""
                    SELECT count(*) FROM audit_event e WHERE e.action = 'randomised'
                    AND EXISTS (SELECT 1 FROM allocation a WHERE a.person_key::text = e.subject)""")) {
                r.next();
                auditRandomised = r.getLong(1);
            }
        }
        if (auditRandomised != rows.size()) {
            problems.add(rows.size() + " allocations but " + auditRandomised + " audit events recording them");
        }

        long completedBlocks = 0;
        Map<String, Double> worst = new LinkedHashMap<>();
        if (read instanceof DesignFile.Read.Minimisation minimisation) {
            checkMinimised(jdbcUrl, ownerUser, secretFile, minimisation.design(), problems, worst);
        } else {
            completedBlocks = checkBlocks(((DesignFile.Read.Blocks) read).design(), secretFile, rows, problems, worst);
        }

        // The audit chain, recomputed from its first event.
        AuditLog.ChainCheck chain = org.jdbi.v3.core.Jdbi.create(jdbcUrl, ownerUser, "")
                .installPlugin(new org.jdbi.v3.sqlobject.SqlObjectPlugin()).withHandle(AuditLog::verify);
        long auditEvents = 0;
        if (chain instanceof AuditLog.ChainCheck.Broken broken) {
            problems.add("audit chain broken at event " + broken.atSequence() + ": " + broken.problem());
        } else {
            auditEvents = ((AuditLog.ChainCheck.Intact) chain).events();
        }

        // Nothing acknowledged is lost, and nobody was told a different arm from the one recorded.
        for (LoadRun.Acknowledged ack : acknowledged) {
            String recorded = armByParticipant.get(ack.participantId());
            if (recorded == null) {
                problems.add("participant " + ack.participantId() + " was told " + ack.arm() + " but has no allocation");
            } else if (!recorded.equals(ack.arm())) {
                problems.add("participant " + ack.participantId() + " was told " + ack.arm() + " but is recorded " + recorded);
            }
        }
        return new Verdict(List.copyOf(problems), rows.size(), completedBlocks, worst, auditEvents,
                read instanceof DesignFile.Read.Minimisation);
    }

    /** Per stratum: contiguous sequence, exact completed blocks, running imbalance within the bound; every allocation the secret's. */
    private static long checkBlocks(RandomisationDesign design, Path secretFile, List<Row> rows, List<String> problems,
            Map<String, Double> worst) {
        long completedBlocks = 0;
        Map<String, List<Row>> byStratum = new LinkedHashMap<>();
        rows.forEach(r -> byStratum.computeIfAbsent(r.stratum(), k -> new ArrayList<>()).add(r));
        for (var entry : byStratum.entrySet()) {
            Stratum stratum = Stratum.parse(entry.getKey());
            List<Row> list = entry.getValue();
            Map<String, Integer> counts = new HashMap<>();
            Map<Long, List<Row>> blocks = new LinkedHashMap<>();
            double worstHere = 0;
            for (int i = 0; i < list.size(); i++) {
                Row row = list.get(i);
                if (row.sequence() != i + 1) {
                    problems.add(entry.getKey() + ": sequence " + row.sequence() + " where " + (i + 1) + " was expected (gap or repeat)");
                }
                blocks.computeIfAbsent(row.blockIndex(), k -> new ArrayList<>()).add(row);
                counts.merge(row.arm(), 1, Integer::sum);
                AllocationRatio ratio = design.version(row.version()).ratioFor(stratum);
                int largest = design.version(row.version()).largestBlockSizeFor(stratum);
                int n = i + 1;
                for (String arm : ratio.arms()) {
                    double share = (double) ratio.weightOf(arm) / ratio.sum();
                    double deviation = Math.abs(counts.getOrDefault(arm, 0) - n * share);
                    worstHere = Math.max(worstHere, deviation);
                    // Within one block of size B an arm's count strays from its share by at most
                    // B * share * (1 - share); completed blocks are exact, so that is the bound.
                    double bound = largest * share * (1 - share) + 1e-9;
                    if (deviation > bound) {
                        problems.add(entry.getKey() + ": after " + n + " allocations arm " + arm + " is " + deviation
                                + " from its share, beyond the design's bound " + bound);
                    }
                }
            }
            worst.put(entry.getKey(), worstHere);
            for (var block : blocks.entrySet()) {
                List<Row> members = block.getValue();
                int size = members.get(0).blockSize();
                if (members.size() > size) {
                    problems.add(entry.getKey() + " block " + block.getKey() + ": " + members.size() + " allocations in a block of " + size);
                }
                if (members.size() == size) {
                    completedBlocks++;
                    AllocationRatio ratio = design.version(members.get(0).version()).ratioFor(stratum);
                    Map<String, Integer> inBlock = new HashMap<>();
                    members.forEach(m -> inBlock.merge(m.arm(), 1, Integer::sum));
                    for (String arm : ratio.arms()) {
                        int expected = size * ratio.weightOf(arm) / ratio.sum();
                        if (inBlock.getOrDefault(arm, 0) != expected) {
                            problems.add(entry.getKey() + " block " + block.getKey() + ": arm " + arm + " has "
                                    + inBlock.getOrDefault(arm, 0) + ", the ratio needs " + expected);
                        }
                    }
                }
            }
        }

        // Every allocation is the one the secret's sequence gives.
        List<RecordedAllocation> history = rows.stream().map(r -> new RecordedAllocation(Stratum.parse(r.stratum()), r.sequence(),
                r.blockIndex(), r.position(), r.version(), r.arm(), r.at())).toList();
        VerificationResult verified = new AllocationVerifier(new PermutedBlockRandomiser(SecretFile.read(secretFile)), design)
                .verify(history);
        if (verified instanceof VerificationResult.Mismatches m) {
            m.mismatches().stream().limit(5).forEach(x -> problems.add("sequence: " + x.describe()));
        }

        return completedBlocks;
    }

    /**
     * Under minimisation: contiguous sequences, every arm and seal regenerated from the secret and the
     * recorded levels (MinimisationVerifier), and each stratum's totals on its lock row equal to the
     * sum of its allocations: what concurrent randomisations in one stratum could break.
     */
    private static void checkMinimised(String jdbcUrl, String ownerUser, Path secretFile, MinimisationDesign design,
            List<String> problems, Map<String, Double> worst) {
        var jdbi = org.jdbi.v3.core.Jdbi.create(jdbcUrl, ownerUser, "").installPlugin(new org.jdbi.v3.sqlobject.SqlObjectPlugin());
        List<RecordedMinimisation> history = jdbi.withHandle(h -> SequenceAudit.recordedMinimisations(h, design));
        Map<Stratum, MarginalTotals> replayed = new LinkedHashMap<>();
        for (RecordedMinimisation r : history) {
            MarginalTotals totals = replayed.computeIfAbsent(r.stratum(), k -> new MarginalTotals(design));
            if (r.sequence() != totals.allocations() + 1) {
                problems.add(r.stratum().key() + ": sequence " + r.sequence() + " where " + (totals.allocations() + 1)
                        + " was expected (gap or repeat)");
            }
            totals.add(r.levels(), r.arm());
        }
        VerificationResult verified = new MinimisationVerifier(new MinimisationRandomiser(SecretFile.read(secretFile)), design)
                .verify(history);
        if (verified instanceof VerificationResult.Mismatches m) {
            m.mismatches().stream().limit(5).forEach(x -> problems.add("minimisation: " + x.describe()));
        }
        jdbi.useHandle(h -> h.createQuery("SELECT stratum_key, last_sequence, marginal_totals FROM stratum_lock")
                .map((rs, ctx) -> new Object[] {rs.getString(1), rs.getLong(2), rs.getArray(3) == null ? null : (Long[]) rs.getArray(3).getArray()})
                .forEach(row -> {
                    Stratum stratum = Stratum.parse((String) row[0]);
                    MarginalTotals expected = replayed.getOrDefault(stratum, new MarginalTotals(design));
                    MarginalTotals kept = StratumTotals.of(design, (Long[]) row[2], (Long) row[1]).totals();
                    if (!kept.equals(expected)) {
                        problems.add(stratum.key() + ": the lock row's totals " + kept + " are not the sum of its allocations " + expected);
                    }
                }));
        replayed.forEach((stratum, totals) -> {
            double n = totals.allocations();
            double worstHere = 0;
            for (int a = 0; a < design.arms().size(); a++) {
                // The stratum's count of arm a: any one factor's levels add up to it.
                long count = 0;
                for (int l = 0; l < design.factors().get(0).levels().size(); l++) {
                    count += totals.count(0, l, a);
                }
                worstHere = Math.max(worstHere, Math.abs(count - n / design.arms().size()));
            }
            worst.put(stratum.key(), worstHere);
        });
    }
}
