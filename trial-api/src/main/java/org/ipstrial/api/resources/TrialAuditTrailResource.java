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
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.ipstrial.api.api.AuditTrailViews;
import org.ipstrial.api.auth.Role;
import org.ipstrial.api.auth.TrialUser;
import org.ipstrial.api.core.recruitment.AuditTrailService;

/** Every recruit's changes, newest first, a page at a time, with each recruit's chain verified (docs/audit-trail.md). */
@Path("/audit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "audit")
public final class TrialAuditTrailResource {
    static final int PAGE = 100;
    static final int MAX_PAGE = 500;
    static final int CSV_PAGE = 5000;
    private final AuditTrailService trails;

    public TrialAuditTrailResource(AuditTrailService trails) {
        this.trails = trails;
    }

    @GET
    @Path("/trail")
    @RolesAllowed({Role.MANAGER, Role.STATISTICIAN})
    @Operation(summary = "Every recruit's changes at your sites, newest first, filtered by site, user, action and day, one page at a "
            + "time; each recruit on the page has its audit chain verified now. Masking as for one recruit's trail")
    public AuditTrailViews.TrialTrail trail(@Parameter(hidden = true) @Auth TrialUser user,
            @Parameter(description = "only this site's recruits (a manager bound to a site: that site only)") @QueryParam("site") String site,
            @Parameter(description = "only the changes made by this username") @QueryParam("user") String byUser,
            @Parameter(description = "only this action") @QueryParam("action") String action,
            @Parameter(description = "from this day (YYYY-MM-DD, Europe/London), inclusive") @QueryParam("from") String from,
            @Parameter(description = "to this day (YYYY-MM-DD, Europe/London), inclusive") @QueryParam("to") String to,
            @Parameter(description = "only events before this seq: the previous page's nextBefore") @QueryParam("before") String before,
            @Parameter(description = "events per page, 1 to 500 (default 100)") @QueryParam("limit") String limit) {
        return trails.trialTrail(user, trails.trialFilters(user, site, byUser, action, from, to, before, limit, PAGE, MAX_PAGE));
    }

    @GET
    @Path("/trail.csv")
    @Produces("text/csv")
    @RolesAllowed({Role.MANAGER, Role.STATISTICIAN})
    @Operation(summary = "The same as CSV, up to 5000 events a file (default 5000): one row per changed field, with the site and the "
            + "recruit's chain status",
            responses = @ApiResponse(responseCode = "200", description = "The CSV file (see docs/audit-trail.md)",
                    content = @Content(mediaType = "text/csv", schema = @Schema(type = "string"))))
    public Response csv(@Parameter(hidden = true) @Auth TrialUser user,
            @Parameter(description = "only this site's recruits") @QueryParam("site") String site,
            @Parameter(description = "only the changes made by this username") @QueryParam("user") String byUser,
            @Parameter(description = "only this action") @QueryParam("action") String action,
            @Parameter(description = "from this day (YYYY-MM-DD), inclusive") @QueryParam("from") String from,
            @Parameter(description = "to this day (YYYY-MM-DD), inclusive") @QueryParam("to") String to,
            @Parameter(description = "only events before this seq") @QueryParam("before") String before,
            @Parameter(description = "events in the file, 1 to 5000 (default 5000)") @QueryParam("limit") String limit) {
        AuditTrailViews.TrialTrail trail = trails.trialTrail(user,
                trails.trialFilters(user, site, byUser, action, from, to, before, limit, CSV_PAGE, CSV_PAGE));
        StreamingOutput body = out -> AuditTrailService.writeCsv(trail, out);
        return Response.ok(body, "text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"audit-trail.csv\"")
                .header("Cache-Control", "no-store")
                .build();
    }
}
