package org.ipstrial.api.resources;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.ipstrial.api.auth.Role;
import org.ipstrial.api.core.audit.AuditLog;
import org.jdbi.v3.core.Jdbi;

/** Verification of the audit log's hash chain. */
@Path("/audit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "audit")
public final class AuditResource {
    private final Jdbi jdbi;

    public AuditResource(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public record ChainReport(boolean intact, long events, Long brokenAt, String problem) {}

    @GET
    @Path("/verification")
    @RolesAllowed({Role.ADMIN, Role.STATISTICIAN, Role.MANAGER})
    @Operation(summary = "Recompute the audit chain: intact, or where it breaks")
    public ChainReport verify() {
        return report(jdbi.inTransaction(AuditLog::verify));
    }

    static ChainReport report(AuditLog.ChainCheck check) {
        if (check instanceof AuditLog.ChainCheck.Broken b) {
            return new ChainReport(false, 0, b.atSequence(), b.problem());
        }
        AuditLog.ChainCheck.Intact intact = (AuditLog.ChainCheck.Intact) check;
        return new ChainReport(true, intact.events(), null, null);
    }
}
