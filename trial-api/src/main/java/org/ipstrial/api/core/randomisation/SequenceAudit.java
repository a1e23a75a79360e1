package org.ipstrial.api.core.randomisation;

import java.util.List;
import java.util.Map;
import org.ipstrial.api.auth.TrialUser;
import org.ipstrial.api.core.audit.AuditLog;
import org.ipstrial.api.core.recruitment.TrialContext;
import org.ipstrial.api.db.AllocationDao;
import org.ipstrial.randomiser.AllocationVerifier;
import org.ipstrial.randomiser.DesignCommitment;
import org.ipstrial.randomiser.RandomisationSecret;
import org.ipstrial.randomiser.RecordedAllocation;
import org.ipstrial.randomiser.Stratum;
import org.ipstrial.randomiser.VerificationResult;
import org.jdbi.v3.core.Jdbi;

/** The statistician's audit: every recorded allocation regenerated from the secret and compared. */
public final class SequenceAudit {
    private final Jdbi jdbi;
    private final TrialContext trial;
    private final RandomisationSecret secret;

    public SequenceAudit(Jdbi jdbi, TrialContext trial, RandomisationSecret secret) {
        this.jdbi = jdbi;
        this.trial = trial;
        this.secret = secret;
    }

    public record Report(boolean verified, int allocationsChecked, List<String> mismatches, String goLiveCommitment,
            boolean commitmentMatches) {}

    public Report verify(TrialUser user) {
        return jdbi.inTransaction(h -> {
            List<RecordedAllocation> history = h.attach(AllocationDao.class).all().stream()
                    .map(a -> new RecordedAllocation(Stratum.parse(a.stratumKey()), a.sequence(), a.blockIndex(),
                            a.positionInBlock(), a.designVersion(), a.arm(), a.allocatedAt()))
                    .toList();
            VerificationResult result = new AllocationVerifier(trial.randomiser(), trial.design()).verify(history);
            String commitment = h.createQuery("SELECT commitment FROM design_commitment WHERE design_name = :n")
                    .bind("n", trial.design().name()).mapTo(String.class).findOne().orElse("");
            List<String> mismatches = result instanceof VerificationResult.Mismatches m
                    ? m.mismatches().stream().map(x -> x.describe()).toList() : List.of();
            AuditLog.append(h, trial.clock().instant(), user.username(), "sequence_verified", "design:" + trial.design().name(),
                    Map.of("allocations", result.allocationsChecked(), "mismatches", mismatches.size()));
            boolean commitmentMatches = !commitment.isEmpty() && DesignCommitment.matches(commitment, secret,
                    DesignRecord.upTo(trial.design(), trial.design().versions().get(0).number()));
            return new Report(mismatches.isEmpty(), result.allocationsChecked(), mismatches, commitment, commitmentMatches);
        });
    }
}
