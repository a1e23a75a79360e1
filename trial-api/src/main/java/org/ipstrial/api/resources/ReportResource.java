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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.ipstrial.api.auth.Role;
import org.ipstrial.api.auth.TrialUser;
import org.ipstrial.definition.TrialDefinition;
import org.ipstrial.api.core.reports.BaselineBalance;
import org.ipstrial.api.core.reports.ConsortFlow;
import org.ipstrial.api.core.reports.CsvTable;
import org.ipstrial.api.core.reports.MinimisationBalance;
import org.ipstrial.api.core.reports.MonitoringPack;
import org.ipstrial.api.core.reports.MonitoringPackPdf;
import org.ipstrial.api.core.reports.RecruitmentReport;
import org.ipstrial.api.core.reports.ReportService;
import org.ipstrial.api.core.reports.SequenceIntegrity;

/**
 * Monitoring reports for managers and the statistician; every table also as CSV. Arm splits: the
 * statistician's are live, a manager's count allocations up to the end of the previous day
 * (Europe/London) only. Specialists see no report.
 */
@Path("/reports")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "reports")
public final class ReportResource {
    private final ReportService reports;

    /** The service behind the reports (the application warms it up at start). */
    public ReportService reports() {
        return reports;
    }

    public ReportResource(ReportService reports) {
        this.reports = reports;
    }

    /**
     * The trial's sites, areas and trial groups with targets: what the pages need to offer choices. armLabels: code to words;
     * designKind: permuted_blocks or minimisation (the dashboard shows the minimisation balance under the second).
     */
    public record Structure(String trial, java.util.List<TrialDefinition.Site> sites, java.util.List<TrialDefinition.TrialGroup> trialGroups,
            java.util.List<String> arms, java.util.Map<String, String> armLabels, String designKind) {}

    @GET
    @Path("/structure")
    @RolesAllowed({Role.SPECIALIST, Role.MANAGER, Role.STATISTICIAN})
    @Operation(summary = "The trial's sites with their areas, and its trial groups with targets and recruitment periods (no counts)")
    public Structure structure() {
        var definition = reports.trial().definition();
        return new Structure(definition.name(), definition.sites(), definition.trialGroups(), reports.trial().arms(),
                definition.arms().labels(), reports.trial().minimisation().isPresent() ? "minimisation" : "permuted_blocks");
    }

    @GET
    @Path("/recruitment")
    @RolesAllowed({Role.MANAGER, Role.STATISTICIAN})
    @Operation(summary = "Randomised by week and cumulative, for the trial, each site, trial group and area, against "
            + "targets, with the recent Poisson rate (95% interval), projected dates and the rate needed per week. "
            + "Arm splits (trial, sites, groups) count allocations before armsUntil: the end of yesterday for managers.")
    public RecruitmentReport recruitment(@Parameter(hidden = true) @Auth TrialUser user,
            @Parameter(description = "complete weeks the rate is estimated from (1 to 104, default 8)")
            @QueryParam("windowWeeks") Integer windowWeeks) {
        return reports.recruitment(user, windowWeeks);
    }

    @GET
    @Path("/recruitment.csv")
    @Produces("text/csv")
    @RolesAllowed({Role.MANAGER, Role.STATISTICIAN})
    @Operation(summary = "The recruitment summary (one row per unit: targets, arms, projection) as CSV",
            responses = @ApiResponse(responseCode = "200", description = "The CSV file (see docs/reports.md)",
                    content = @Content(mediaType = "text/csv", schema = @Schema(type = "string"))))
    public Response recruitmentCsv(@Parameter(hidden = true) @Auth TrialUser user,
            @Parameter(description = "complete weeks the rate is estimated from (1 to 104, default 8)")
            @QueryParam("windowWeeks") Integer windowWeeks) {
        return csv("recruitment.csv", reports.recruitment(user, windowWeeks).summaryCsv());
    }

    @GET
    @Path("/recruitment-weekly.csv")
    @Produces("text/csv")
    @RolesAllowed({Role.MANAGER, Role.STATISTICIAN})
    @Operation(summary = "Randomised per unit and week, cumulative, and per arm before the cut-off, as CSV",
            responses = @ApiResponse(responseCode = "200", description = "The CSV file (see docs/reports.md)",
                    content = @Content(mediaType = "text/csv", schema = @Schema(type = "string"))))
    public Response recruitmentWeeklyCsv(@Parameter(hidden = true) @Auth TrialUser user) {
        return csv("recruitment-weekly.csv", reports.recruitment(user, null).weeklyCsv());
    }

    @GET
    @Path("/consort")
    @RolesAllowed({Role.MANAGER, Role.STATISTICIAN})
    @Operation(summary = "The CONSORT flow per trial group, site and trial: screened, ineligible by reason, declined "
            + "agreement, agreed, randomised (by arm before armsUntil), withdrawn by kind, died, erased")
    public ConsortFlow consort(@Parameter(hidden = true) @Auth TrialUser user) {
        return reports.consort(user);
    }

    @GET
    @Path("/consort.csv")
    @Produces("text/csv")
    @RolesAllowed({Role.MANAGER, Role.STATISTICIAN})
    @Operation(summary = "The CONSORT flow as CSV (one column per ineligibility reason)",
            responses = @ApiResponse(responseCode = "200", description = "The CSV file (see docs/reports.md)",
                    content = @Content(mediaType = "text/csv", schema = @Schema(type = "string"))))
    public Response consortCsv(@Parameter(hidden = true) @Auth TrialUser user) {
        ConsortFlow flow = reports.consort(user);
        return csv("consort.csv", flow.csv(reports.reasons(flow)));
    }

    @GET
    @Path("/consort.svg")
    @Produces("image/svg+xml")
    @RolesAllowed({Role.MANAGER, Role.STATISTICIAN})
    @Operation(summary = "The CONSORT 2010 flow diagram (SVG) of the whole trial or one trial group, from the figures of "
            + "/reports/consort for the same reader (arms split before armsUntil)",
            responses = @ApiResponse(responseCode = "200", description = "The SVG file (see docs/reports.md)",
                    content = @Content(mediaType = "image/svg+xml", schema = @Schema(type = "string"))))
    public Response consortSvg(@Parameter(hidden = true) @Auth TrialUser user,
            @Parameter(description = "a trial group's code; left out, the whole trial")
            @QueryParam("trialGroup") String trialGroup) {
        byte[] svg = reports.consortDiagram(user, trialGroup);
        String name = trialGroup == null ? "consort-trial.svg" : "consort-" + trialGroup.replaceAll("[^A-Za-z0-9_-]", "_") + ".svg";
        return Response.ok(svg, "image/svg+xml; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"" + name + "\"")
                .header("Cache-Control", "no-store")
                .build();
    }

    @GET
    @Path("/balance")
    @RolesAllowed({Role.MANAGER, Role.STATISTICIAN})
    @Operation(summary = "Baseline characteristics by arm within each trial group (age at randomisation and sex from the "
            + "identifiers, then the baseline items): counts and percentages, means and SDs, standardised differences "
            + "(recruits randomised before armsUntil)")
    public BaselineBalance balance(@Parameter(hidden = true) @Auth TrialUser user) {
        return reports.balance(user);
    }

    @GET
    @Path("/balance.csv")
    @Produces("text/csv")
    @RolesAllowed({Role.MANAGER, Role.STATISTICIAN})
    @Operation(summary = "Baseline balance as CSV",
            responses = @ApiResponse(responseCode = "200", description = "The CSV file (see docs/reports.md)",
                    content = @Content(mediaType = "text/csv", schema = @Schema(type = "string"))))
    public Response balanceCsv(@Parameter(hidden = true) @Auth TrialUser user) {
        return csv("balance.csv", reports.balance(user).csv());
    }

    @GET
    @Path("/minimisation-balance")
    @RolesAllowed({Role.MANAGER, Role.STATISTICIAN})
    @Operation(summary = "Under a minimisation design: recruits by arm for each level of each stratification and minimisation "
            + "factor, trial-wide, with each level's imbalance (sum over arms of |allocated - target share|), counting "
            + "allocations before armsUntil: the end of yesterday for managers, live for the statistician. 409 under permuted blocks")
    public MinimisationBalance minimisationBalance(@Parameter(hidden = true) @Auth TrialUser user) {
        return reports.minimisationBalance(user);
    }

    @GET
    @Path("/minimisation-balance.csv")
    @Produces("text/csv")
    @RolesAllowed({Role.MANAGER, Role.STATISTICIAN})
    @Operation(summary = "The minimisation balance as CSV (one row per factor and level)",
            responses = @ApiResponse(responseCode = "200", description = "The CSV file (see docs/reports.md)",
                    content = @Content(mediaType = "text/csv", schema = @Schema(type = "string"))))
    public Response minimisationBalanceCsv(@Parameter(hidden = true) @Auth TrialUser user) {
        return csv("minimisation-balance.csv", reports.minimisationBalance(user).csv());
    }

    @GET
    @Path("/sequence")
    @RolesAllowed(Role.STATISTICIAN)
    @Operation(summary = "Statistician only: live arm counts per stratum, block integrity of the recorded allocations, "
            + "and predictability of the realised sequence (convergence-guess correct rate)")
    public SequenceIntegrity sequence() {
        return reports.sequence();
    }

    @GET
    @Path("/sequence.csv")
    @Produces("text/csv")
    @RolesAllowed(Role.STATISTICIAN)
    @Operation(summary = "Statistician only: the sequence report as CSV",
            responses = @ApiResponse(responseCode = "200", description = "The CSV file (see docs/reports.md)",
                    content = @Content(mediaType = "text/csv", schema = @Schema(type = "string"))))
    public Response sequenceCsv() {
        return csv("sequence.csv", reports.sequence().csv());
    }

    @GET
    @Path("/monitoring-pack.pdf")
    @Produces("application/pdf")
    @RolesAllowed({Role.MANAGER, Role.STATISTICIAN})
    @Operation(summary = "The monitoring pack for the steering or data monitoring committee (PDF): recruitment against target, "
            + "the CONSORT flow, withdrawals and deaths, baseline completeness by site and baseline characteristics, from the "
            + "figures of /reports/recruitment, /reports/consort and /reports/balance with allocations counted up to the end of "
            + "asOf. The open part pools every figure across arms (managers, statistician); the closed part splits them by arm "
            + "(statistician only; a manager gets 403)",
            responses = @ApiResponse(responseCode = "200", description = "The PDF file (see docs/monitoring-pack.md)",
                    content = @Content(mediaType = "application/pdf", schema = @Schema(type = "string", format = "binary"))))
    public Response monitoringPack(@Parameter(hidden = true) @Auth TrialUser user,
            @Parameter(description = "the day the pack is as of (YYYY-MM-DD, Europe/London), from the trial's recruitment start to "
                    + "today; left out, today") @QueryParam("asOf") String asOf,
            @Parameter(description = "open (pooled across arms, the default) or closed (by arm, statistician only)")
            @QueryParam("part") String part) {
        if ("closed".equals(part) && !ReportService.mayReadClosedPart(user)) {
            throw new jakarta.ws.rs.ForbiddenException("the closed part is for the statistician only");
        }
        MonitoringPack pack = reports.monitoringPack(user, asOf, part);
        byte[] pdf = MonitoringPackPdf.render(pack);
        String name = "monitoring-pack-" + (pack.closed() ? "closed" : "open") + "-" + pack.asOf() + ".pdf";
        return Response.ok(pdf, "application/pdf")
                .header("Content-Disposition", "attachment; filename=\"" + name + "\"")
                .header("Cache-Control", "no-store")
                .build();
    }

    private static Response csv(String name, CsvTable table) {
        StreamingOutput body = table::write;
        return Response.ok(body, "text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"" + name + "\"")
                .header("Cache-Control", "no-store")
                .build();
    }
}
