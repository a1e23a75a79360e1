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
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.ipstrial.api.api.DeliveryRequests;
import org.ipstrial.api.api.DeliveryViews;
import org.ipstrial.api.auth.Role;
import org.ipstrial.api.auth.TrialUser;
import org.ipstrial.api.core.delivery.DeliveryService;

/** A treatment recruit's delivery records: sessions, employer contacts, job starts and the rest. */
@Path("/recruits")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "delivery")
public final class RecruitDeliveryResource {
    private final DeliveryService delivery;

    public RecruitDeliveryResource(DeliveryService delivery) {
        this.delivery = delivery;
    }

    @POST
    @Path("/{participantId}/delivery")
    @RolesAllowed(Role.SPECIALIST)
    @Operation(summary = "Record a session, employer contact, vocational profile, job start or end, in-work support or discharge "
            + "for a randomised treatment recruit of your site (a control or unrandomised recruit: 422)",
            responses = @ApiResponse(responseCode = "201", description = "The record as stored",
                    content = @Content(mediaType = "application/json", schema = @Schema(implementation = DeliveryViews.DeliveryRecorded.class))))
    public Response record(@Parameter(hidden = true) @Auth TrialUser user, @PathParam("participantId") String participantId,
            DeliveryRequests.DeliveryRecord request) {
        return Response.status(201).entity(delivery.record(user, participantId, request)).build();
    }

    @GET
    @Path("/{participantId}/delivery")
    @RolesAllowed({Role.SPECIALIST, Role.MANAGER})
    @Operation(summary = "A treatment recruit's delivery records: current ones, then corrected and deleted ones")
    public DeliveryViews.RecruitDelivery list(@Parameter(hidden = true) @Auth TrialUser user,
            @PathParam("participantId") String participantId) {
        return delivery.recruitDelivery(user, participantId);
    }
}
