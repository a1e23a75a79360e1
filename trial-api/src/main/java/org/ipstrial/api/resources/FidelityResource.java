package org.ipstrial.api.resources;

import io.dropwizard.auth.Auth;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.ipstrial.api.api.DeliveryRequests;
import org.ipstrial.api.api.DeliveryViews;
import org.ipstrial.api.auth.Role;
import org.ipstrial.api.auth.TrialUser;
import org.ipstrial.api.core.delivery.FidelityService;

/** IPS fidelity reviews of the services, per round, with their action plans. Managers only. */
@Path("/fidelity")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "fidelity")
public final class FidelityResource {
    private final FidelityService fidelity;

    public FidelityResource(FidelityService fidelity) {
        this.fidelity = fidelity;
    }

    @GET
    @Path("/scale")
    @RolesAllowed(Role.MANAGER)
    @Operation(summary = "The fidelity scale this service holds: its version, the 25 items, bands, and the services reviewed")
    public DeliveryViews.Scale scale() {
        return fidelity.scale();
    }

    @POST
    @Path("/reviews")
    @RolesAllowed(Role.MANAGER)
    @Operation(summary = "Record a fidelity review of a service of your sites: every item scored 1 to 5 with evidence, at least two "
            + "reviewers, an action plan; the total and band are computed",
            responses = @ApiResponse(responseCode = "201", description = "The review as stored, with its total and band",
                    content = @Content(mediaType = "application/json", schema = @Schema(implementation = DeliveryViews.Review.class))))
    public Response record(@Parameter(hidden = true) @Auth TrialUser user, DeliveryRequests.FidelityReview request) {
        return Response.status(201).entity(fidelity.record(user, request)).build();
    }

    @GET
    @Path("/reviews")
    @RolesAllowed(Role.MANAGER)
    @Operation(summary = "Every fidelity review of the services of your sites, by service and round")
    public List<DeliveryViews.Review> reviews(@Parameter(hidden = true) @Auth TrialUser user) {
        return fidelity.reviews(user);
    }

    @PUT
    @Path("/reviews/{reviewId}/actions/{actionId}")
    @RolesAllowed(Role.MANAGER)
    @Operation(summary = "Set the status of an action plan item (open, in_progress, done)")
    public DeliveryViews.Review actionStatus(@Parameter(hidden = true) @Auth TrialUser user, @PathParam("reviewId") long reviewId,
            @PathParam("actionId") long actionId, DeliveryRequests.ActionStatus request) {
        return fidelity.actionStatus(user, reviewId, actionId, request);
    }
}
