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
import org.ipstrial.api.api.FollowUpViews;
import org.ipstrial.api.auth.Role;
import org.ipstrial.api.auth.TrialUser;
import org.ipstrial.api.core.followup.FollowUpSchedule;

/** The follow-up survey list: who is due, overdue, done or upcoming for each wave (docs/followup.md). */
@Path("/")
@Tag(name = "follow-up schedule")
public final class FollowUpScheduleResource {
    private final FollowUpSchedule schedule;

    public FollowUpScheduleResource(FollowUpSchedule schedule) {
        this.schedule = schedule;
    }

    @GET
    @Path("followup")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Role.FIELDWORK, Role.MANAGER})
    @Operation(summary = "Each randomised recruit's survey waves with their due windows and state as of today; contact details "
            + "(as recorded at baseline) for the fieldwork role only, and only on rows due or overdue")
    public FollowUpViews.FollowUpList list(@Parameter(hidden = true) @Auth TrialUser user,
            @Parameter(description = "only this wave (4m, 12m; every wave when empty)") @QueryParam("wave") String wave,
            @Parameter(description = "only this state: upcoming, due, overdue, done") @QueryParam("state") String state,
            @Parameter(description = "only this site's recruits (a manager bound to a site: that site only)") @QueryParam("site") String site) {
        return schedule.list(user, schedule.filters(wave, state, site));
    }

    @GET
    @Path("followup.csv")
    @Produces("text/csv")
    @RolesAllowed({Role.FIELDWORK, Role.MANAGER})
    @Operation(summary = "The same list as CSV; the contact columns are in the fieldwork role's file only (audited)",
            responses = @ApiResponse(responseCode = "200", description = "The CSV file (see docs/followup.md)",
                    content = @Content(mediaType = "text/csv", schema = @Schema(type = "string"))))
    public Response csv(@Parameter(hidden = true) @Auth TrialUser user,
            @Parameter(description = "only this wave (4m, 12m)") @QueryParam("wave") String wave,
            @Parameter(description = "only this state: upcoming, due, overdue, done") @QueryParam("state") String state,
            @Parameter(description = "only this site's recruits") @QueryParam("site") String site) {
        FollowUpSchedule.Filters filters = schedule.filters(wave, state, site);
        return Response.ok((jakarta.ws.rs.core.StreamingOutput) out -> schedule.writeCsv(user, filters, out), "text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"followup.csv\"")
                .header("Cache-Control", "no-store").build();
    }
}
