package org.ipstrial.api.resources;

import io.dropwizard.auth.Auth;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.ipstrial.api.auth.Role;
import org.ipstrial.api.auth.TrialUser;
import org.ipstrial.api.core.export.ExportService;

/** Files that leave the service; each role gets only its own. */
@Path("/exports")
@Produces("text/csv")
@Tag(name = "exports")
public final class ExportResource {
    private final ExportService exports;
    private final org.ipstrial.api.core.delivery.DeliveryReportService delivery;

    public ExportResource(ExportService exports, org.ipstrial.api.core.delivery.DeliveryReportService delivery) {
        this.exports = exports;
        this.delivery = delivery;
    }

    @GET
    @Path("/delivery.csv")
    @RolesAllowed(Role.CUSTODIAN)
    @Operation(summary = "The pseudonymised delivery file for the ETL: one row per randomised treatment recruit (data custodian only)",
            responses = @ApiResponse(responseCode = "200", description = "The CSV file (see docs/exports.md#delivery)",
                    content = @Content(mediaType = "text/csv", schema = @Schema(type = "string"))))
    public Response delivery(@Parameter(hidden = true) @Auth TrialUser user) {
        return csv("delivery.csv", out -> delivery.writeExport(user, out));
    }

    @GET
    @Path("/participants.csv")
    @RolesAllowed(Role.CUSTODIAN)
    @Operation(summary = "The participant file for linkage (identifiable: data custodian only)",
            responses = @ApiResponse(responseCode = "200", description = "The CSV file (see docs/exports.md)",
                    content = @Content(mediaType = "text/csv", schema = @Schema(type = "string"))))
    public Response participants(@Parameter(hidden = true) @Auth TrialUser user) {
        return csv("participants.csv", out -> exports.writeParticipants(user, out));
    }

    @GET
    @Path("/baseline.csv")
    @RolesAllowed(Role.CUSTODIAN)
    @Operation(summary = "Baseline answers keyed by participant identifier (data custodian only)",
            responses = @ApiResponse(responseCode = "200", description = "The CSV file (see docs/exports.md)",
                    content = @Content(mediaType = "text/csv", schema = @Schema(type = "string"))))
    public Response baseline(@Parameter(hidden = true) @Auth TrialUser user) {
        return csv("baseline.csv", out -> exports.writeBaseline(user, out));
    }

    @GET
    @Path("/sample-frame.csv")
    @RolesAllowed(Role.FIELDWORK)
    @Operation(summary = "The survey sample frame: contact details as recorded at baseline, nothing more",
            responses = @ApiResponse(responseCode = "200", description = "The CSV file (see docs/exports.md)",
                    content = @Content(mediaType = "text/csv", schema = @Schema(type = "string"))))
    public Response sampleFrame(@Parameter(hidden = true) @Auth TrialUser user) {
        return csv("sample-frame.csv", out -> exports.writeSampleFrame(user, out));
    }

    private static Response csv(String name, StreamingOutput body) {
        return Response.ok(body, "text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"" + name + "\"")
                .header("Cache-Control", "no-store").build();
    }
}
