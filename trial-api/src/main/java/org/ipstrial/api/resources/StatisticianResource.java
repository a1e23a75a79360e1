package org.ipstrial.api.resources;

import io.dropwizard.auth.Auth;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import org.ipstrial.api.auth.Role;
import org.ipstrial.api.auth.TrialUser;
import org.ipstrial.api.core.randomisation.SequenceAudit;
import org.ipstrial.api.core.recruitment.TrialContext;
import org.jdbi.v3.core.Jdbi;

/** The randomisation design, its history and commitment, and the sequence audit: statisticians only. */
@Path("/design")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.STATISTICIAN)
@Tag(name = "randomisation design")
public final class StatisticianResource {
    private final Jdbi jdbi;
    private final TrialContext trial;
    private final SequenceAudit audit;

    public StatisticianResource(Jdbi jdbi, TrialContext trial, SequenceAudit audit) {
        this.jdbi = jdbi;
        this.trial = trial;
        this.audit = audit;
    }

    public record VersionView(int version, Instant effectiveFrom, Instant recordedAt, String contentHash, String content) {}

    /**
     * {@code factors}: what the strata are made of (a minimisation design's {@code stratify_by});
     * {@code minimisationFactors}: the factors minimised over, empty for permuted blocks.
     */
    public record DesignView(String name, String kind, List<String> factors, List<String> minimisationFactors, List<String> strata,
            int versionInForce,
            String goLiveCommitment, Instant committedAt, List<VersionView> versions) {}

    @GET
    @Operation(summary = "The design in force, every recorded version, and the go-live commitment")
    public DesignView design() {
        return jdbi.withHandle(h -> {
            var versions = h.createQuery("SELECT version, effective_from, recorded_at, content_hash, content FROM design_version "
                    + "WHERE design_name = :n ORDER BY version").bind("n", trial.designName())
                    .map((rs, ctx) -> new VersionView(rs.getInt(1), rs.getTimestamp(2).toInstant(), rs.getTimestamp(3).toInstant(),
                            rs.getString(4), rs.getString(5))).list();
            var commitment = h.createQuery("SELECT commitment, recorded_at FROM design_commitment WHERE design_name = :n")
                    .bind("n", trial.designName())
                    .map((rs, ctx) -> new Object[] {rs.getString(1), rs.getTimestamp(2).toInstant()}).findOne();
            return new DesignView(trial.designName(), trial.minimisation().isPresent() ? "minimisation" : "permuted_blocks",
                    trial.minimisation().map(m -> m.stratifyBy()).orElseGet(() -> trial.design().factors()),
                    trial.minimisation().map(m -> m.factorNames()).orElse(List.of()), trial.strataKeys(),
                    trial.versionInForceAt(trial.clock().instant()),
                    commitment.map(c -> (String) c[0]).orElse(null), commitment.map(c -> (Instant) c[1]).orElse(null), versions);
        });
    }

    @POST
    @Path("/verification")
    @Operation(summary = "Regenerate every recorded allocation from the secret and report any difference")
    public SequenceAudit.Report verify(@Parameter(hidden = true) @Auth TrialUser user) {
        return audit.verify(user);
    }
}
