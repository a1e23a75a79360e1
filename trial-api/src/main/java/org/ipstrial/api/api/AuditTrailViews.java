package org.ipstrial.api.api;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** What the audit trail viewer answers (docs/audit-trail.md). */
public final class AuditTrailViews {
    private AuditTrailViews() {}

    /** The value that stands for an identifier or a free-text reason the caller's role may not see. */
    public static final String MASKED = "[masked]";

    @Schema(description = "A recruit's history, newest last, with the check of the recruit's own audit chain made for this request")
    public record RecruitTrail(
            @Schema(requiredMode = REQUIRED) String participantId,
            @Schema(requiredMode = REQUIRED) String site,
            @Schema(description = "The recruit's name for a manager; \"[masked]\" for the statistician") String displayName,
            @Schema(requiredMode = REQUIRED, description = "True when identifiers and free-text reasons are masked for your role")
            boolean identifiersMasked,
            @Schema(requiredMode = REQUIRED) ChainStatus chain,
            @Schema(requiredMode = REQUIRED) Filters filters,
            @Schema(requiredMode = REQUIRED, description = "Events of the recruit before the filters") int totalEvents,
            @Schema(requiredMode = REQUIRED) List<TrailEvent> events) {}

    @Schema(description = "The recruit's chain, verified on the server at this request")
    public record ChainStatus(
            @Schema(requiredMode = REQUIRED, allowableValues = {"ok", "broken"}) String status,
            @Schema(requiredMode = REQUIRED) Instant verifiedAt,
            @Schema(requiredMode = REQUIRED, description = "Events of the chain checked") long events,
            @Schema(description = "The newest position of the chain a checkpoint sealed (null: none yet)") Long sealedThrough,
            @Schema(description = "The checkpoint that sealed it") Long checkpoint,
            @Schema(requiredMode = REQUIRED, description = "Events written after it, covered by the chain only until the next checkpoint")
            long unsealedEvents,
            @Schema(description = "Broken: the event (seq, as in the events) where the check failed; null when at no one event")
            Long brokenAtSeq,
            @Schema(description = "Broken: that event's position in the recruit's chain") Long brokenAtPosition,
            @Schema(description = "Broken: what did not verify") String problem) {}

    @Schema(description = "The filters applied (null: not filtered on)")
    public record Filters(@Schema(description = "Username that made the changes") String user,
            @Schema(description = "Action, as in the events") String action,
            @Schema(description = "First day, Europe/London, inclusive") LocalDate from,
            @Schema(description = "Last day, inclusive") LocalDate to) {}

    @Schema(description = "One change: who, when, what, from which value to which where the records say it, and why")
    public record TrailEvent(
            @Schema(requiredMode = REQUIRED, description = "The event's number in the whole log") long seq,
            @Schema(description = "Its position in the recruit's chain (null for events written before release 0.3.0)") Long position,
            @Schema(requiredMode = REQUIRED) Instant at,
            @Schema(requiredMode = REQUIRED, description = "The username that made the change") String user,
            @Schema(requiredMode = REQUIRED) String action,
            @Schema(requiredMode = REQUIRED, description = "The change in words") String summary,
            @Schema(requiredMode = REQUIRED) List<Change> changes,
            @Schema(description = "The reason or note recorded with the change (free text: \"[masked]\" for the statistician)")
            String reason) {}

    @Schema(description = "A field's value before and after; from is null when there was none, "
            + "\"(not kept)\" when the records hold only the newest value")
    public record Change(@Schema(requiredMode = REQUIRED) String field, String from, String to) {}

    @Schema(description = "Every recruit's changes at the sites you may see, newest first, one page at a time; "
            + "each recruit on the page has its chain verified at this request")
    public record TrialTrail(
            @Schema(requiredMode = REQUIRED) TrialFilters filters,
            @Schema(requiredMode = REQUIRED, description = "Recruits on this page whose chains were verified") int recruitsChecked,
            @Schema(requiredMode = REQUIRED, description = "Those whose chain did not verify (empty: all intact)") List<BrokenChain> brokenChains,
            @Schema(requiredMode = REQUIRED) List<RecruitEvent> events,
            @Schema(description = "Pass as before= for the next, older page; null when this is the last") Long nextBefore) {}

    @Schema(description = "The filters applied (null: not filtered on) and the page asked for")
    public record TrialFilters(@Schema(description = "Site code") String site, String user, String action, LocalDate from, LocalDate to,
            @Schema(description = "Only events before this seq") Long before,
            @Schema(requiredMode = REQUIRED, description = "Events per page") int limit) {}

    @Schema(description = "A recruit's change in the trial-wide trail")
    public record RecruitEvent(@Schema(requiredMode = REQUIRED) String participantId, @Schema(requiredMode = REQUIRED) String site,
            @Schema(requiredMode = REQUIRED, allowableValues = {"ok", "broken"}, description = "The recruit's chain, verified now")
            String chainStatus,
            @Schema(requiredMode = REQUIRED) TrailEvent event) {}

    @Schema(description = "A recruit whose chain did not verify, and where")
    public record BrokenChain(@Schema(requiredMode = REQUIRED) String participantId, @Schema(requiredMode = REQUIRED) String site,
            Long brokenAtSeq, Long brokenAtPosition, @Schema(requiredMode = REQUIRED) String problem) {}
}
