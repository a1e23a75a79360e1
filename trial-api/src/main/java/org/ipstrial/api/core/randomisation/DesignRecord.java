package org.ipstrial.api.core.randomisation;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ipstrial.api.core.Sha256;
import org.ipstrial.api.core.audit.AuditLog;
import org.ipstrial.randomiser.DesignCommitment;
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
        jdbi.useTransaction(h -> {
            h.execute("SELECT pg_advisory_xact_lock(hashtext('design_version'))"); // several instances may start at once
            List<RecordedVersion> recorded = h.createQuery("SELECT version, effective_from, content_hash, content, recorded_at "
                    + "FROM design_version WHERE design_name = :name ORDER BY version")
                    .bind("name", design.name()).map((rs, ctx) -> new RecordedVersion(rs.getInt(1), rs.getTimestamp(2).toInstant(),
                            rs.getString(3), rs.getString(4), rs.getTimestamp(5).toInstant())).list();
            for (RecordedVersion r : recorded) {
                if (design.versions().stream().noneMatch(v -> v.number() == r.version())) {
                    throw new IllegalStateException("Design '" + design.name() + "' version " + r.version()
                            + " is recorded in the database but missing from the design file: versions are never removed");
                }
            }
            Instant now = clock.instant();
            for (DesignVersion version : design.versions()) {
                String content = DesignCommitment.canonicalDesignText(upTo(design, version.number()));
                String hash = Sha256.hex(content);
                Optional<RecordedVersion> existing = recorded.stream().filter(r -> r.version() == version.number()).findFirst();
                if (existing.isPresent()) {
                    if (!existing.get().contentHash().equals(hash)) {
                        throw new IllegalStateException("Design '" + design.name() + "' version " + version.number()
                                + " differs from the version recorded on " + existing.get().recordedAt()
                                + ": a recorded version never changes; add a new version with a later effectiveFrom instead");
                    }
                    continue;
                }
                h.createUpdate("INSERT INTO design_version (design_name, version, effective_from, content_hash, content, recorded_at) "
                        + "VALUES (:name, :version, :from, :hash, :content, :at)")
                        .bind("name", design.name()).bind("version", version.number()).bind("from", version.effectiveFrom())
                        .bind("hash", hash).bind("content", content).bind("at", now).execute();
                AuditLog.append(h, now, "system", "design_version_recorded", "design:" + design.name(),
                        Map.of("version", version.number(), "contentHash", hash));
            }
            boolean committed = h.createQuery("SELECT count(*) FROM design_commitment WHERE design_name = :name")
                    .bind("name", design.name()).mapTo(Long.class).one() > 0;
            if (!committed) {
                String commitment = DesignCommitment.of(secret, upTo(design, design.versions().get(0).number()));
                h.createUpdate("INSERT INTO design_commitment (design_name, commitment, recorded_at) VALUES (:name, :c, :at)")
                        .bind("name", design.name()).bind("c", commitment).bind("at", now).execute();
                AuditLog.append(h, now, "system", "design_committed", "design:" + design.name(), Map.of("commitment", commitment));
            }
        });
    }

    /** The design as it stood with versions up to {@code number}. */
    public static RandomisationDesign upTo(RandomisationDesign design, int number) {
        return new RandomisationDesign(design.name(), design.factors(), design.strata(),
                design.versions().stream().filter(v -> v.number() <= number).toList());
    }
}
