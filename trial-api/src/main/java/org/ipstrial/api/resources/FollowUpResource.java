package org.ipstrial.api.resources;

import io.dropwizard.auth.Auth;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.ipstrial.api.api.RecruitRequests;
import org.ipstrial.api.api.RecruitViews;
import org.ipstrial.api.auth.Role;
import org.ipstrial.api.auth.TrialUser;
import org.ipstrial.api.core.recruitment.FollowUpService;

/** After randomisation: withdrawals, deaths, erasure, corrections and flags. */
@Path("/recruits")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "follow-up")
public final class FollowUpResource {
    private final FollowUpService followUp;

    public FollowUpResource(FollowUpService followUp) {
        this.followUp = followUp;
    }

    @POST
    @Path("/{participantId}/status")
    @RolesAllowed(Role.MANAGER)
    @Operation(summary = "Record a withdrawal (from the service only, or from research contact) or a death, with its date and reason")
    public RecruitViews.Recruit status(@Parameter(hidden = true) @Auth TrialUser user,
            @PathParam("participantId") String participantId, RecruitRequests.StatusChange request) {
        return followUp.recordStatus(user, participantId, request);
    }

    @POST
    @Path("/{participantId}/erasure")
    @RolesAllowed(Role.MANAGER)
    @Operation(summary = "Erase every personal record of a recruit; an anonymous count stays",
            responses = @ApiResponse(responseCode = "204", description = "Erased"))
    public Response erase(@Parameter(hidden = true) @Auth TrialUser user,
            @PathParam("participantId") String participantId, RecruitRequests.Erasure request) {
        followUp.erase(user, participantId, request);
        return Response.noContent().build();
    }

    @POST
    @Path("/{participantId}/corrections")
    @RolesAllowed({Role.MANAGER, Role.SPECIALIST})
    @Operation(summary = "Correct identifiers after randomisation, with a reason (audited)")
    public RecruitViews.Recruit correct(@Parameter(hidden = true) @Auth TrialUser user,
            @PathParam("participantId") String participantId, RecruitRequests.Correction request) {
        return followUp.correct(user, participantId, request);
    }

    @POST
    @Path("/{participantId}/flags")
    @RolesAllowed(Role.MANAGER)
    @Operation(summary = "Flag a randomised recruit found ineligible or randomised in the wrong stratum (still analysed as allocated)")
    public RecruitViews.Recruit flag(@Parameter(hidden = true) @Auth TrialUser user,
            @PathParam("participantId") String participantId, RecruitRequests.Flag request) {
        return followUp.flag(user, participantId, request);
    }
}
