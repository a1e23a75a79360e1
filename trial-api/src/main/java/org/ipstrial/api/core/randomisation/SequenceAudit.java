package org.ipstrial.api.core.randomisation;

import java.util.List;
import java.util.Map;
import org.ipstrial.api.auth.TrialUser;
import org.ipstrial.api.core.audit.AuditLog;
import org.ipstrial.api.core.recruitment.TrialContext;
import org.ipstrial.api.db.AllocationDao;
import org.ipstrial.randomiser.AllocationVerifier;
import org.ipstrial.randomiser.MinimisationDesign;
import org.ipstrial.randomiser.MinimisationVerifier;
import org.ipstrial.randomiser.RecordedMinimisation;
import org.ipstrial.randomiser.RandomisationSecret;
import org.ipstrial.randomiser.RecordedAllocation;
import org.ipstrial.randomiser.Stratum;
import org.ipstrial.randomiser.VerificationResult;
import org.jdbi.v3.core.Handle;
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
            VerificationResult result = trial.minimisation().isPresent() ? verifyMinimised(h) : verifyBlocks(h);
            String commitment = h.createQuery("SELECT commitment FROM design_commitment WHERE design_name = :n")
                    .bind("n", trial.designName()).mapTo(String.class).findOne().orElse("");
            List<String> mismatches = result instanceof VerificationResult.Mismatches m
                    ? m.mismatches().stream().map(x -> x.describe()).toList() : List.of();
            AuditLog.append(h, trial.clock().instant(), user.username(), "sequence_verified", "design:" + trial.designName(),
                    Map.of("allocations", result.allocationsChecked(), "mismatches", mismatches.size()));
            boolean commitmentMatches = !commitment.isEmpty()
                    && DesignRecord.goLiveMatches(trial.designFile(), secret, commitment);
            return new Report(mismatches.isEmpty(), result.allocationsChecked(), mismatches, commitment, commitmentMatches);
        });
    }

    private VerificationResult verifyBlocks(Handle h) {
        List<RecordedAllocation> history = h.attach(AllocationDao.class).all().stream()
                .map(a -> new RecordedAllocation(Stratum.parse(a.stratumKey()), a.sequence(), a.blockIndex(),
                        a.positionInBlock(), a.designVersion(), a.arm(), a.allocatedAt()))
                .toList();
        return new AllocationVerifier(trial.randomiser(), trial.design()).verify(history);
    }

    /** Every minimised allocation replayed from empty totals with its recorded levels, and its seal checked. */
    private VerificationResult verifyMinimised(Handle h) {
        MinimisationDesign design = trial.minimisation().orElseThrow();
        return new MinimisationVerifier(trial.minimiser(), design).verify(recordedMinimisations(h, design));
    }

    /** The recorded minimised allocations as the library's verifier and predictability replay read them. */
    public static List<RecordedMinimisation> recordedMinimisations(Handle h, MinimisationDesign design) {
        return h.attach(AllocationDao.class).minimised().stream()
                .map(a -> new RecordedMinimisation(Stratum.parse(a.stratumKey()), a.sequence(), a.designVersion(),
                        StratumTotals.levels(design, a.factorLevels()), a.arm(), a.allocatedAt(), a.seal()))
                .toList();
    }
}
