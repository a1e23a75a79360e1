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
import java.util.List;
import org.ipstrial.api.api.DeliveryRequests;
import org.ipstrial.api.api.DeliveryViews;
import org.ipstrial.api.auth.Role;
import org.ipstrial.api.auth.TrialUser;
import org.ipstrial.api.core.delivery.DeliveryService;

/**
 * After randomisation, for the treatment group: general employer contacts, a manager's corrections
 * and deletions of delivery records, specialists' FTE and the caseload. A recruit's own records
 * are under /recruits/{participantId}/delivery ({@link RecruitDeliveryResource}).
 */
@Path("/delivery")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "delivery")
public final class DeliveryResource {
    private final DeliveryService delivery;

    public DeliveryResource(DeliveryService delivery) {
        this.delivery = delivery;
    }

    @POST
    @Path("/employer-contacts")
    @RolesAllowed(Role.SPECIALIST)
    @Operation(summary = "Record an employer contact made for no one client, at your own site",
            responses = @ApiResponse(responseCode = "201", description = "The record as stored",
                    content = @Content(mediaType = "application/json", schema = @Schema(implementation = DeliveryViews.DeliveryRecorded.class))))
    public Response generalContact(@Parameter(hidden = true) @Auth TrialUser user, DeliveryRequests.GeneralEmployerContact request) {
        return Response.status(201).entity(delivery.recordGeneralContact(user, request)).build();
    }

    @POST
    @Path("/records/{recordId}/correction")
    @RolesAllowed(Role.MANAGER)
    @Operation(summary = "Correct a delivery record, with a reason: the record is kept as corrected and its replacement stored (audited)")
    public DeliveryViews.DeliveryRecorded correct(@Parameter(hidden = true) @Auth TrialUser user, @PathParam("recordId") long recordId,
            DeliveryRequests.DeliveryCorrection request) {
        return delivery.correct(user, recordId, request);
    }

    @POST
    @Path("/records/{recordId}/deletion")
    @RolesAllowed(Role.MANAGER)
    @Operation(summary = "Delete a delivery record made in error, with a reason: it is kept as deleted and no longer counted (audited)")
    public DeliveryViews.DeliveryRecorded delete(@Parameter(hidden = true) @Auth TrialUser user, @PathParam("recordId") long recordId,
            DeliveryRequests.DeliveryDeletion request) {
        return delivery.delete(user, recordId, request);
    }

    @POST
    @Path("/specialist-fte")
    @RolesAllowed(Role.MANAGER)
    @Operation(summary = "Record employment specialists' full-time equivalents at one of your sites over a period",
            responses = @ApiResponse(responseCode = "201", description = "The period as stored",
                    content = @Content(mediaType = "application/json", schema = @Schema(implementation = DeliveryViews.FtePeriod.class))))
    public Response recordFte(@Parameter(hidden = true) @Auth TrialUser user, DeliveryRequests.SpecialistFte request) {
        return Response.status(201).entity(delivery.recordFte(user, request)).build();
    }

    @GET
    @Path("/specialist-fte")
    @RolesAllowed(Role.MANAGER)
    @Operation(summary = "Specialists' FTE periods of your sites")
    public List<DeliveryViews.FtePeriod> ftePeriods(@Parameter(hidden = true) @Auth TrialUser user) {
        return delivery.ftePeriods(user);
    }

    @GET
    @Path("/caseload")
    @RolesAllowed({Role.SPECIALIST, Role.MANAGER})
    @Operation(summary = "The caseload: your own treatment recruits (a manager: every one at your sites), the last contact and the next step")
    public DeliveryViews.Caseload caseload(@Parameter(hidden = true) @Auth TrialUser user) {
        return delivery.caseload(user);
    }
}
