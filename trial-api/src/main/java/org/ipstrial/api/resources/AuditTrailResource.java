package org.ipstrial.api.resources;

import io.dropwizard.auth.Auth;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.ipstrial.api.api.AuditTrailViews;
import org.ipstrial.api.auth.Role;
import org.ipstrial.api.auth.TrialUser;
import org.ipstrial.api.core.recruitment.AuditTrailService;

/** A recruit's audit trail, with the recruit's chain verified at the request (docs/audit-trail.md). */
@Path("/recruits")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "audit")
public final class AuditTrailResource {
    private final AuditTrailService trails;

    public AuditTrailResource(AuditTrailService trails) {
        this.trails = trails;
    }

    @GET
    @Path("/{participantId}/audit")
    @RolesAllowed({Role.MANAGER, Role.STATISTICIAN})
    @Operation(summary = "A recruit's full history (who, when, what, from which value to which, why) and the recruit's audit chain "
            + "verified now; identifiers and free-text reasons masked for the statistician, sequence numbers for the statistician only")
    public AuditTrailViews.RecruitTrail trail(@Parameter(hidden = true) @Auth TrialUser user,
            @PathParam("participantId") String participantId,
            @Parameter(description = "only the changes made by this username") @QueryParam("user") String byUser,
            @Parameter(description = "only this action (recruit_created, screened, randomised, identity_corrected, ...)")
            @QueryParam("action") String action,
            @Parameter(description = "from this day (YYYY-MM-DD, Europe/London), inclusive") @QueryParam("from") String from,
            @Parameter(description = "to this day (YYYY-MM-DD, Europe/London), inclusive") @QueryParam("to") String to) {
        return trails.trail(user, participantId, AuditTrailService.filters(byUser, action, from, to));
    }

    @GET
    @Path("/{participantId}/audit.csv")
    @Produces("text/csv")
    @RolesAllowed({Role.MANAGER, Role.STATISTICIAN})
    @Operation(summary = "The same trail and filters as CSV: one row per changed field, the chain's status on every row",
            responses = @ApiResponse(responseCode = "200", description = "The CSV file (see docs/audit-trail.md)",
                    content = @Content(mediaType = "text/csv", schema = @Schema(type = "string"))))
    public Response csv(@Parameter(hidden = true) @Auth TrialUser user, @PathParam("participantId") String participantId,
            @Parameter(description = "only the changes made by this username") @QueryParam("user") String byUser,
            @Parameter(description = "only this action") @QueryParam("action") String action,
            @Parameter(description = "from this day (YYYY-MM-DD), inclusive") @QueryParam("from") String from,
            @Parameter(description = "to this day (YYYY-MM-DD), inclusive") @QueryParam("to") String to) {
        AuditTrailViews.RecruitTrail trail = trails.trail(user, participantId, AuditTrailService.filters(byUser, action, from, to));
        StreamingOutput body = out -> AuditTrailService.writeCsv(trail, out);
        return Response.ok(body, "text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"audit-" + trail.participantId() + ".csv\"")
                .header("Cache-Control", "no-store")
                .build();
    }
}
