package org.ipstrial.api.resources;

import io.dropwizard.auth.Auth;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.ipstrial.api.api.FollowUpRequests;
import org.ipstrial.api.api.FollowUpViews;
import org.ipstrial.api.auth.Role;
import org.ipstrial.api.auth.TrialUser;
import org.ipstrial.api.core.followup.FollowUpSchedule;

/** What fieldwork records for one recruit's survey wave: contact attempts, and that the interview is done. */
@Path("/recruits")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "follow-up schedule")
public final class FollowUpContactResource {
    private final FollowUpSchedule schedule;

    public FollowUpContactResource(FollowUpSchedule schedule) {
        this.schedule = schedule;
    }

    @POST
    @Path("/{participantId}/followup/{wave}/attempts")
    @RolesAllowed(Role.FIELDWORK)
    @Operation(summary = "Log a contact attempt for a survey wave (audited); the outcome completed marks the wave done")
    public FollowUpViews.AttemptRecorded attempt(@Parameter(hidden = true) @Auth TrialUser user,
            @PathParam("participantId") String participantId, @PathParam("wave") String wave,
            FollowUpRequests.ContactAttempt request) {
        return schedule.recordAttempt(user, participantId, wave, request);
    }

    @POST
    @Path("/{participantId}/followup/{wave}/done")
    @RolesAllowed({Role.FIELDWORK, Role.MANAGER})
    @Operation(summary = "Record a survey wave as done, by hand or from the survey agency's return (audited)")
    public FollowUpViews.FollowUpRow done(@Parameter(hidden = true) @Auth TrialUser user,
            @PathParam("participantId") String participantId, @PathParam("wave") String wave,
            FollowUpRequests.WaveDone request) {
        return schedule.recordDone(user, participantId, wave, request);
    }
}
