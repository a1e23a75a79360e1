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
import jakarta.ws.rs.core.Response;
import org.ipstrial.api.auth.Role;
import org.ipstrial.api.auth.TrialUser;
import org.ipstrial.api.core.confirmation.AllocationConfirmation;
import org.ipstrial.api.core.confirmation.ConfirmationDocument;
import org.ipstrial.api.core.confirmation.ConfirmationService;

/** The printable confirmation of a recruit's randomisation, for the recruit's file (docs/confirmations.md). */
@Path("/recruits/{participantId}/allocation")
@Tag(name = "randomisation")
public final class ConfirmationResource {
    private final ConfirmationService confirmations;

    public ConfirmationResource(ConfirmationService confirmations) {
        this.confirmations = confirmations;
    }

    @GET
    @Path("/confirmation.pdf")
    @Produces({"application/pdf", "application/json"})
    @RolesAllowed({Role.SPECIALIST, Role.MANAGER})
    @Operation(summary = "The allocation confirmation (PDF) for the recruit's file: who may read the recruit's allocation may print it",
            responses = @ApiResponse(responseCode = "200", description = "One A4 page: the trial, participant identifier, "
                    + "date and time, allocation in the trial's words, who randomised; no identifier",
                    content = @Content(mediaType = "application/pdf", schema = @Schema(type = "string", format = "binary"))))
    public Response confirmation(@Parameter(hidden = true) @Auth TrialUser user, @PathParam("participantId") String participantId) {
        AllocationConfirmation confirmation = confirmations.forUser(user, participantId);
        return Response.ok(ConfirmationDocument.pdf(confirmation), "application/pdf")
                .header("Content-Disposition", "attachment; filename=\"allocation-confirmation-" + confirmation.participantId() + ".pdf\"")
                .header("Cache-Control", "no-store")
                .build();
    }
}
