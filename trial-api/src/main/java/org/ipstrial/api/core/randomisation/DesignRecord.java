package org.ipstrial.api.core.randomisation;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ipstrial.api.core.Sha256;
import org.ipstrial.api.core.audit.AuditLog;
import org.ipstrial.config.DesignFile;
import org.ipstrial.randomiser.DesignCommitment;
import org.ipstrial.randomiser.MinimisationDesign;
import org.ipstrial.randomiser.MinimisationVersion;
import org.ipstrial.randomiser.DesignVersion;
import org.ipstrial.randomiser.RandomisationDesign;
import org.ipstrial.randomiser.RandomisationSecret;
import org.jdbi.v3.core.Jdbi;

/**
 * Keeps the database's record of the design in step with the design file at start: each version
 * is recorded once (its canonical text and hash) and never changed afterwards; the go-live
 * commitment (hash of secret and design) is recorded when the first version is. A file that
 * changed a recorded version stops the service: a statistician adds a version instead.
 */
public final class DesignRecord {
    private DesignRecord() {}

    public record RecordedVersion(int version, Instant effectiveFrom, String contentHash, String content, Instant recordedAt) {}

    public static void synchronise(Jdbi jdbi, RandomisationDesign design, RandomisationSecret secret, Clock clock) {
        synchronise(jdbi, new DesignFile.Read.Blocks(design), secret, clock);
    }

    /**
     * For a design of either kind. A trial keeps its kind for life: when the database holds
     * allocations of the other kind, the service stops here, saying so, rather than allocate
     * under two kinds in one trial (their strata, totals and verification differ).
     */
    public static void synchronise(Jdbi jdbi, DesignFile.Read design, RandomisationSecret secret, Clock clock) {
        boolean minimisation = design instanceof DesignFile.Read.Minimisation;
        List<Integer> numbers = minimisation ? ((DesignFile.Read.Minimisation) design).design().versions().stream()
                .map(MinimisationVersion::number).toList()
                : ((DesignFile.Read.Blocks) design).design().versions().stream().map(DesignVersion::number).toList();
        jdbi.useTransaction(h -> {
            h.execute("SELECT pg_advisory_xact_lock(hashtext('design_version'))"); // several instances may start at once
            long otherKind = h.createQuery("SELECT count(*) FROM allocation WHERE (seal IS NULL) = :minimisation")
                    .bind("minimisation", minimisation).mapTo(Long.class).one();
            if (otherKind > 0) {
                throw new IllegalStateException("Design '" + design.name() + "' is a " + (minimisation ? "minimisation" : "permuted-block")
                        + " design, but the database holds " + otherKind + " allocations made under "
                        + (minimisation ? "permuted blocks" : "minimisation") + ": a trial keeps the kind of design it went live "
                        + "with (its strata, totals and verification differ). Start the service with the trial's own design "
                        + "file; change the rule by adding a version to it (docs/randomisation.md)");
            }
            List<RecordedVersion> recorded = h.createQuery("SELECT version, effective_from, content_hash, content, recorded_at "
                    + "FROM design_version WHERE design_name = :name ORDER BY version")
                    .bind("name", design.name()).map((rs, ctx) -> new RecordedVersion(rs.getInt(1), rs.getTimestamp(2).toInstant(),
                            rs.getString(3), rs.getString(4), rs.getTimestamp(5).toInstant())).list();
            for (RecordedVersion r : recorded) {
                if (!numbers.contains(r.version())) {
                    throw new IllegalStateException("Design '" + design.name() + "' version " + r.version()
                            + " is recorded in the database but missing from the design file: versions are never removed");
                }
            }
            Instant now = clock.instant();
            for (int number : numbers) {
                String content = canonicalText(design, number);
                String hash = Sha256.hex(content);
                Optional<RecordedVersion> existing = recorded.stream().filter(r -> r.version() == number).findFirst();
                if (existing.isPresent()) {
                    if (!existing.get().contentHash().equals(hash)) {
                        throw new IllegalStateException("Design '" + design.name() + "' version " + number
                                + " differs from the version recorded on " + existing.get().recordedAt()
                                + ": a recorded version never changes; add a new version with a later effectiveFrom instead");
                    }
                    continue;
                }
                h.createUpdate("INSERT INTO design_version (design_name, version, effective_from, content_hash, content, recorded_at) "
                        + "VALUES (:name, :version, :from, :hash, :content, :at)")
                        .bind("name", design.name()).bind("version", number).bind("from", effectiveFrom(design, number))
                        .bind("hash", hash).bind("content", content).bind("at", now).execute();
                AuditLog.append(h, now, "system", "design_version_recorded", "design:" + design.name(),
                        Map.of("version", number, "contentHash", hash));
            }
            boolean committed = h.createQuery("SELECT count(*) FROM design_commitment WHERE design_name = :name")
                    .bind("name", design.name()).mapTo(Long.class).one() > 0;
            if (!committed) {
                String commitment = goLiveCommitment(design, secret);
                h.createUpdate("INSERT INTO design_commitment (design_name, commitment, recorded_at) VALUES (:name, :c, :at)")
                        .bind("name", design.name()).bind("c", commitment).bind("at", now).execute();
                AuditLog.append(h, now, "system", "design_committed", "design:" + design.name(), Map.of("commitment", commitment));
            }
        });
    }

    /** The canonical text of the design as it stood with versions up to {@code number}. */
    private static String canonicalText(DesignFile.Read design, int number) {
        return design instanceof DesignFile.Read.Minimisation m ? DesignCommitment.canonicalDesignText(upTo(m.design(), number))
                : DesignCommitment.canonicalDesignText(upTo(((DesignFile.Read.Blocks) design).design(), number));
    }

    private static Instant effectiveFrom(DesignFile.Read design, int number) {
        return design instanceof DesignFile.Read.Minimisation m ? m.design().version(number).effectiveFrom()
                : ((DesignFile.Read.Blocks) design).design().versions().get(number - 1).effectiveFrom();
    }

    /** The go-live commitment: the secret and the design with its first version only. */
    public static String goLiveCommitment(DesignFile.Read design, RandomisationSecret secret) {
        return design instanceof DesignFile.Read.Minimisation m ? DesignCommitment.of(secret, upTo(m.design(), 1))
                : DesignCommitment.of(secret, upTo(((DesignFile.Read.Blocks) design).design(), 1));
    }

    /** Whether a recorded commitment is the go-live one (compared as {@link DesignCommitment#matches} does: in constant time, any case). */
    public static boolean goLiveMatches(DesignFile.Read design, RandomisationSecret secret, String recorded) {
        return design instanceof DesignFile.Read.Minimisation m ? DesignCommitment.matches(recorded, secret, upTo(m.design(), 1))
                : DesignCommitment.matches(recorded, secret, upTo(((DesignFile.Read.Blocks) design).design(), 1));
    }

    /** The minimisation design as it stood with versions up to {@code number}. */
    public static MinimisationDesign upTo(MinimisationDesign design, int number) {
        return new MinimisationDesign(design.name(), design.stratifyBy(), design.strata(), design.factors(),
                design.versions().stream().filter(v -> v.number() <= number).toList());
    }

    /** The design as it stood with versions up to {@code number}. */
    public static RandomisationDesign upTo(RandomisationDesign design, int number) {
        return new RandomisationDesign(design.name(), design.factors(), design.strata(),
                design.versions().stream().filter(v -> v.number() <= number).toList());
    }
}
