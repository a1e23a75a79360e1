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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.ipstrial.api.auth.Role;
import org.ipstrial.api.auth.TrialUser;
import org.ipstrial.api.core.delivery.DeliveryReport;
import org.ipstrial.api.core.delivery.DeliveryReportService;
import org.ipstrial.api.core.reports.CsvTable;

/** Delivery and fidelity reports for managers (their sites), as JSON and CSV; see docs/reports.md. */
@Path("/reports")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "reports")
public final class DeliveryReportResource {
    private final DeliveryReportService reports;

    public DeliveryReportResource(DeliveryReportService reports) {
        this.reports = reports;
    }

    public DeliveryReportService reports() {
        return reports;
    }

    @GET
    @Path("/delivery")
    @RolesAllowed(Role.MANAGER)
    @Operation(summary = "Delivery to the treatment group by NHS financial-year quarter (\"2019/20 Q1\" is April-June 2019), for the "
            + "trial, each site and each service: engaged share, sessions per participant, first-session lag, job starts, hours, "
            + "jobs lasting 13 and 26 weeks, caseload per FTE against the limit, days to the first face-to-face employer contact")
    public DeliveryReport delivery(@Parameter(hidden = true) @Auth TrialUser user) {
        return reports.report(user);
    }

    @GET
    @Path("/delivery.csv")
    @Produces("text/csv")
    @RolesAllowed(Role.MANAGER)
    @Operation(summary = "The delivery report as CSV, every figure as computed (not for publication)",
            responses = @ApiResponse(responseCode = "200", description = "The CSV file (see docs/reports.md)",
                    content = @Content(mediaType = "text/csv", schema = @Schema(type = "string"))))
    public Response deliveryCsv(@Parameter(hidden = true) @Auth TrialUser user) {
        return csv("delivery.csv", reports.report(user).csv());
    }

    @GET
    @Path("/delivery-publication.csv")
    @Produces("text/csv")
    @RolesAllowed(Role.MANAGER)
    @Operation(summary = "The delivery report for publication: counts from 1 to 9, and figures over fewer than 10 people, suppressed",
            responses = @ApiResponse(responseCode = "200", description = "The CSV file (see docs/reports.md)",
                    content = @Content(mediaType = "text/csv", schema = @Schema(type = "string"))))
    public Response deliveryPublicationCsv(@Parameter(hidden = true) @Auth TrialUser user) {
        return csv("delivery-publication.csv", reports.report(user).publicationCsv());
    }

    @GET
    @Path("/fidelity")
    @RolesAllowed(Role.MANAGER)
    @Operation(summary = "IPS fidelity scores by item across the services and rounds of your sites, with totals and bands")
    public DeliveryReportService.FidelityReport fidelity(@Parameter(hidden = true) @Auth TrialUser user) {
        return reports.fidelity(user);
    }

    @GET
    @Path("/fidelity.csv")
    @Produces("text/csv")
    @RolesAllowed(Role.MANAGER)
    @Operation(summary = "Fidelity scores by item as CSV: a row per item, a column per service and round, then totals and bands",
            responses = @ApiResponse(responseCode = "200", description = "The CSV file (see docs/reports.md)",
                    content = @Content(mediaType = "text/csv", schema = @Schema(type = "string"))))
    public Response fidelityCsv(@Parameter(hidden = true) @Auth TrialUser user) {
        return csv("fidelity.csv", reports.fidelityCsv(reports.fidelity(user)));
    }

    static Response csv(String name, CsvTable table) {
        StreamingOutput body = table::write;
        return Response.ok(body, "text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"" + name + "\"")
                .header("Cache-Control", "no-store")
                .build();
    }
}
