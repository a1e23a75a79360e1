package org.ipstrial.api.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** Answers about delivery, caseload and fidelity. */
public final class DeliveryViews {
    private DeliveryViews() {}

    /** A delivery record as stored; {@code status} current, corrected (see replacedBy) or deleted. */
    public record DeliveryRecorded(long id, String kind, LocalDate date, String mode, Integer minutes, Boolean faceToFace, String jobType,
            BigDecimal hoursPerWeek, Boolean atLeastMinimumWage, Boolean permanent, String employerName, Long jobStartId, String note,
            String status, Long replaces, Instant recordedAt) {}

    /** A treatment recruit's records: current ones first, then the history of corrections and deletions. */
    public record RecruitDelivery(String participantId, LocalDate randomisedOn, List<DeliveryRecorded> current, List<DeliveryRecorded> history) {}

    /** One recruit on a caseload: the last contact and what comes next. */
    public record CaseloadEntry(String participantId, String name, String site, String area, String service, LocalDate randomisedOn,
            int sessions, LocalDate lastContact, LocalDate vocationalProfile, int jobStarts, boolean inWork, boolean discharged,
            String nextStep, List<String> missing) {}

    public record Caseload(LocalDate today, List<CaseloadEntry> recruits) {}

    public record FtePeriod(long id, String site, LocalDate periodStart, LocalDate periodEnd, BigDecimal fte) {}

    public record ScaleItem(int item, String section, String text) {}

    public record Scale(String version, List<ScaleItem> items, List<Integer> remoteAdjustedItems,
            java.util.Map<String, Integer> bandMinimums, List<ServiceCovered> services) {}

    public record ServiceCovered(String code, String name, String site, List<String> areas) {}

    public record ItemScored(int item, int score, String evidence, String recommendation) {}

    public record Action(long id, Integer item, String action, String owner, LocalDate dueOn, String status) {}

    public record Review(long id, String service, int round, LocalDate reviewedOn, List<String> reviewers, String scaleVersion,
            boolean remoteAdjusted, int total, String band, List<ItemScored> items, List<Action> actions) {}
}
