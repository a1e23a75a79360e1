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
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.ipstrial.api.api.RecruitRequests;
import org.ipstrial.api.api.RecruitViews;
import org.ipstrial.api.auth.Role;
import org.ipstrial.api.auth.TrialUser;
import org.ipstrial.api.core.recruitment.RecruitmentService;

/** The first appointment: a specialist's steps from a new recruit to a complete baseline. */
@Path("/recruits")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "recruitment")
public final class RecruitResource {
    private final RecruitmentService recruitment;

    public RecruitResource(RecruitmentService recruitment) {
        this.recruitment = recruitment;
    }

    @POST
    @RolesAllowed(Role.SPECIALIST)
    @Operation(summary = "Start a new recruit at your site: a participant identifier is issued",
            responses = @ApiResponse(responseCode = "201", description = "The new recruit, with its participant identifier and every step left",
                    content = @Content(mediaType = "application/json", schema = @Schema(implementation = RecruitViews.Recruit.class))))
    public Response create(@Parameter(hidden = true) @Auth TrialUser user, RecruitRequests.NewRecruit request) {
        return Response.status(201).entity(recruitment.create(user, request)).build();
    }

    @GET
    @RolesAllowed({Role.SPECIALIST, Role.MANAGER})
    @Operation(summary = "Recruits (a specialist sees their own site only), searched by participant identifier or name")
    public List<RecruitViews.RecruitSummary> search(@Parameter(hidden = true) @Auth TrialUser user, @QueryParam("q") String query) {
        return recruitment.search(user, query);
    }

    @GET
    @Path("/{participantId}")
    @RolesAllowed({Role.SPECIALIST, Role.MANAGER})
    @Operation(summary = "A recruit and every step left up to the end of the first appointment (randomisation last)")
    public RecruitViews.Recruit get(@Parameter(hidden = true) @Auth TrialUser user, @PathParam("participantId") String participantId) {
        return recruitment.view(user, participantId);
    }

    @POST
    @Path("/{participantId}/screening")
    @RolesAllowed(Role.SPECIALIST)
    @Operation(summary = "Screen for eligibility: eligible, or every failed criterion (every screening is kept)")
    public RecruitViews.ScreeningResult screen(@Parameter(hidden = true) @Auth TrialUser user,
            @PathParam("participantId") String participantId, RecruitRequests.Screening request) {
        return recruitment.screen(user, participantId, request);
    }

    @POST
    @Path("/{participantId}/agreement")
    @RolesAllowed(Role.SPECIALIST)
    @Operation(summary = "Record the answer to every statement of the current agreement form (declining is recorded too)")
    public RecruitViews.AgreementResult agree(@Parameter(hidden = true) @Auth TrialUser user,
            @PathParam("participantId") String participantId, RecruitRequests.Agreement request) {
        return recruitment.agree(user, participantId, request);
    }

    @PUT
    @Path("/{participantId}/identity")
    @RolesAllowed(Role.SPECIALIST)
    @Operation(summary = "Record identifiers and contact details")
    public RecruitViews.Recruit identity(@Parameter(hidden = true) @Auth TrialUser user,
            @PathParam("participantId") String participantId, RecruitRequests.Identity request) {
        return recruitment.recordIdentity(user, participantId, request);
    }

    @PUT
    @Path("/{participantId}/baseline")
    @RolesAllowed(Role.SPECIALIST)
    @Operation(summary = "Record the baseline questionnaire (every item; -8 don't know, -9 prefer not to say)")
    public RecruitViews.Recruit baseline(@Parameter(hidden = true) @Auth TrialUser user,
            @PathParam("participantId") String participantId, RecruitRequests.Baseline request) {
        return recruitment.recordBaseline(user, participantId, request);
    }
}
