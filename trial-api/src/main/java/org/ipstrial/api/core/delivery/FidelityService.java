package org.ipstrial.api.core.delivery;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ipstrial.api.api.DeliveryRequests;
import org.ipstrial.api.core.errors.FieldChecks;
import org.ipstrial.api.api.DeliveryViews;
import org.ipstrial.api.api.ErrorBody.FieldError;
import org.ipstrial.api.auth.TrialUser;
import org.ipstrial.api.auth.UserService;
import org.ipstrial.api.core.audit.AuditLog;
import org.ipstrial.api.core.errors.Conflict;
import org.ipstrial.api.core.errors.InvalidRequest;
import org.ipstrial.api.core.errors.NotFound;
import org.ipstrial.api.core.recruitment.TrialContext;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * IPS fidelity reviews: one per service and round, every item of the configured scale scored 1 to
 * 5 with its evidence, by at least two reviewers; the total and band are computed here, never
 * typed. The review, its scores, its action plan and the audit event are one statement.
 */
public final class FidelityService {
    static final Set<String> ACTION_STATUSES = Set.of("open", "in_progress", "done");
    private final Jdbi jdbi;
    private final TrialContext trial;
    private final DeliverySettings settings;

    public FidelityService(Jdbi jdbi, TrialContext trial, DeliverySettings settings) {
        this.jdbi = jdbi;
        this.trial = trial;
        this.settings = settings;
    }

    public DeliveryViews.Scale scale() {
        var scale = settings.fidelityScale();
        Map<String, Integer> bands = new LinkedHashMap<>();
        scale.bands().forEach(b -> bands.put(b.band(), b.minimum()));
        return new DeliveryViews.Scale(scale.version(),
                scale.items().stream().map(i -> new DeliveryViews.ScaleItem(i.item(), i.section(), i.text())).toList(),
                scale.remoteAdjustedItems(), bands,
                settings.services().stream().map(s -> new DeliveryViews.ServiceCovered(s.code(), s.name(), s.site(), s.areas())).toList());
    }

    public DeliveryViews.Review record(TrialUser user, DeliveryRequests.FidelityReview request) {
        if (request == null) {
            throw InvalidRequest.field("body", "is required");
        }
        List<FieldError> errors = new ArrayList<>();
        LocalDate today = trial.today();
        var service = request.service() == null ? java.util.Optional.<DeliverySettings.Service>empty() : settings.service(request.service());
        if (service.isEmpty()) {
            errors.add(new FieldError("service", "must be one of " + settings.services().stream().map(DeliverySettings.Service::code).toList()));
        } else if (!DeliveryService.sees(user, service.get().site())) {
            errors.add(new FieldError("service", "is not a service of your sites"));
        }
        if (request.round() == null || request.round() < 1 || request.round() > 100) {
            errors.add(new FieldError("round", "must be a round number from 1 to 100"));
        }
        LocalDate reviewedOn = FieldChecks.date(request.reviewedOn(), "reviewedOn", today, errors);
        List<String> reviewers = new ArrayList<>();
        if (request.reviewers() == null || request.reviewers().stream().filter(r -> r != null && !r.isBlank()).count() < 2) {
            errors.add(new FieldError("reviewers", "needs at least two reviewers who scored"));
        } else {
            for (int i = 0; i < request.reviewers().size(); i++) {
                String r = DeliveryCheck.text(request.reviewers().get(i), "reviewers[" + i + "]", 200, true, errors);
                if (r != null && reviewers.contains(r)) {
                    errors.add(new FieldError("reviewers[" + i + "]", "is named twice"));
                }
                reviewers.add(r);
            }
        }
        if (!settings.fidelityScale().version().equals(request.scaleVersion())) {
            errors.add(new FieldError("scaleVersion", "must be " + settings.fidelityScale().version() + ", the scale this service holds"));
        }
        if (request.remoteAdjusted() == null) {
            errors.add(new FieldError("remoteAdjusted", "is required: true for a remote review scored with the adjusted rules"));
        }
        int[] scores = new int[26];
        String[] evidence = new String[26];
        String[] recommendations = new String[26];
        if (request.items() == null) {
            errors.add(new FieldError("items", "needs a score for each of the 25 items"));
        } else {
            Set<Integer> seen = new HashSet<>();
            for (int i = 0; i < request.items().size(); i++) {
                var s = request.items().get(i);
                String at = "items[" + i + "]";
                if (s == null || s.item() == null || s.item() < 1 || s.item() > 25) {
                    errors.add(new FieldError(at + ".item", "must be an item number from 1 to 25"));
                    continue;
                }
                if (!seen.add(s.item())) {
                    errors.add(new FieldError(at + ".item", "item " + s.item() + " is scored twice"));
                    continue;
                }
                if (s.score() == null || s.score() < 1 || s.score() > 5) {
                    errors.add(new FieldError(at + ".score", "must be 1 to 5 (an item without evidence scores 1)"));
                } else {
                    scores[s.item()] = s.score();
                }
                evidence[s.item()] = DeliveryCheck.text(s.evidence(), at + ".evidence", 4000, false, errors);
                recommendations[s.item()] = DeliveryCheck.text(s.recommendation(), at + ".recommendation", 4000, false, errors);
            }
            List<Integer> absent = new ArrayList<>();
            for (int item = 1; item <= 25; item++) {
                if (!seen.contains(item)) {
                    absent.add(item);
                }
            }
            if (!absent.isEmpty()) {
                errors.add(new FieldError("items", "has no score for item(s) " + absent + ": every item is scored (1 when there is no evidence)"));
            }
        }
        List<DeliveryRequests.ActionItem> actions = request.actions() == null ? List.of() : request.actions();
        List<LocalDate> dues = new ArrayList<>();
        for (int i = 0; i < actions.size(); i++) {
            var a = actions.get(i);
            String at = "actions[" + i + "]";
            if (a == null) {
                errors.add(new FieldError(at, "is empty"));
                dues.add(null);
                continue;
            }
            if (a.item() != null && (a.item() < 1 || a.item() > 25)) {
                errors.add(new FieldError(at + ".item", "must be an item number from 1 to 25, or left out"));
            }
            DeliveryCheck.text(a.action(), at + ".action", 1000, true, errors);
            DeliveryCheck.text(a.owner(), at + ".owner", 200, true, errors);
            dues.add(a.dueOn() == null || a.dueOn().isBlank() ? null : FieldChecks.date(a.dueOn(), at + ".dueOn", LocalDate.MAX, errors));
            if (a.status() == null || !ACTION_STATUSES.contains(a.status())) {
                errors.add(new FieldError(at + ".status", "must be open, in_progress or done"));
            }
        }
        if (!errors.isEmpty()) {
            throw InvalidRequest.fields(errors);
        }
        int total = 0;
        List<Integer> itemList = new ArrayList<>();
        List<Integer> scoreList = new ArrayList<>();
        List<String> evidenceList = new ArrayList<>();
        List<String> recommendationList = new ArrayList<>();
        for (int item = 1; item <= 25; item++) {
            total += scores[item];
            itemList.add(item);
            scoreList.add(scores[item]);
            evidenceList.add(evidence[item] == null ? "" : evidence[item]);
            recommendationList.add(recommendations[item] == null ? "" : recommendations[item]);
        }
        String band = settings.fidelityScale().bandOf(total);
        Instant now = trial.clock().instant();
        int totalScore = total;
        AuditLog.Event event = AuditLog.event(now, user.username(), "fidelity_review_recorded", "fidelity:" + request.service(),
                Map.of("round", request.round(), "total", total, "band", band, "scaleVersion", request.scaleVersion()));
        try {
            long id = jdbi.inTransaction(h -> AuditLog.bind(h.createQuery("""
                    WITH review AS (
                        INSERT INTO fidelity_review (service, round, reviewed_on, reviewers, scale_version, remote_adjusted, total, band,
                                                     recorded_by, recorded_at)
                        VALUES (:service, :round, :reviewedOn, :reviewers, :scaleVersion, :remote, :total, :band, :by, :at) RETURNING id),
                    scores AS (
                        INSERT INTO fidelity_item_score (review_id, item, score, evidence, recommendation)
                        SELECT review.id, s.item, s.score, s.evidence, s.recommendation
                        FROM review, unnest(CAST(:items AS integer[]), CAST(:scores AS integer[]), CAST(:evidence AS text[]),
                                            CAST(:recommendations AS text[])) AS s(item, score, evidence, recommendation)),
                    plan AS (
                        INSERT INTO fidelity_action (review_id, item, action, owner, due_on, status)
                        SELECT review.id, p.item, p.action, p.owner, p.due_on, p.status
                        FROM review, unnest(CAST(:actionItems AS integer[]), CAST(:actionTexts AS text[]), CAST(:owners AS text[]),
                                            CAST(CAST(:dues AS text[]) AS date[]), CAST(:statuses AS text[])) WITH ORDINALITY
                                     AS p(item, action, owner, due_on, status, n) ORDER BY p.n),
                    """ + AuditLog.APPEND_CTES + " SELECT (SELECT id FROM review) FROM audit_row"), event)
                    .bind("service", request.service()).bind("round", request.round()).bind("reviewedOn", reviewedOn)
                    .bindArray("reviewers", String.class, reviewers).bind("scaleVersion", request.scaleVersion())
                    .bind("remote", request.remoteAdjusted()).bind("total", totalScore).bind("band", band)
                    .bind("by", user.id()).bind("at", now)
                    .bindArray("items", Integer.class, itemList).bindArray("scores", Integer.class, scoreList)
                    .bindArray("evidence", String.class, evidenceList).bindArray("recommendations", String.class, recommendationList)
                    .bindArray("actionItems", Integer.class, actions.stream().map(DeliveryRequests.ActionItem::item).toList())
                    .bindArray("actionTexts", String.class, actions.stream().map(a -> a.action().strip()).toList())
                    .bindArray("owners", String.class, actions.stream().map(a -> a.owner().strip()).toList())
                    .bindArray("dues", String.class, dues.stream().map(d -> d == null ? null : d.toString()).toList())
                    .bindArray("statuses", String.class, actions.stream().map(DeliveryRequests.ActionItem::status).toList())
                    .mapTo(Long.class).one());
            return review(id);
        } catch (UnableToExecuteStatementException e) {
            if (UserService.isUniqueViolation(e)) {
                throw new Conflict("round_recorded", "Round " + request.round() + " of " + request.service() + " is already recorded.");
            }
            throw e;
        }
    }

    /** A new status for an action plan item (the only part of a review that changes afterwards). */
    public DeliveryViews.Review actionStatus(TrialUser user, long reviewId, long actionId, DeliveryRequests.ActionStatus request) {
        if (request == null || request.status() == null || !ACTION_STATUSES.contains(request.status())) {
            throw InvalidRequest.field("status", "must be open, in_progress or done");
        }
        DeliveryViews.Review review = review(reviewId);
        if (!visible(user, review) || review.actions().stream().noneMatch(a -> a.id() == actionId)) {
            throw new NotFound("action_not_found", "There is no such action in a review of your services.");
        }
        Instant now = trial.clock().instant();
        AuditLog.Event event = AuditLog.event(now, user.username(), "fidelity_action_status", "fidelity:" + review.service(),
                Map.of("round", review.round(), "action", actionId, "status", request.status()));
        jdbi.useTransaction(h -> AuditLog.withEvent(h, "UPDATE fidelity_action SET status = :status WHERE id = :id AND review_id = :review",
                event).bind("status", request.status()).bind("id", actionId).bind("review", reviewId).mapTo(Long.class).one());
        return review(reviewId);
    }

    private boolean visible(TrialUser user, DeliveryViews.Review review) {
        return settings.service(review.service()).map(s -> DeliveryService.sees(user, s.site())).orElse(false);
    }

    public List<DeliveryViews.Review> reviews(TrialUser user) {
        List<Long> ids = jdbi.withHandle(h -> h.createQuery("SELECT id FROM fidelity_review ORDER BY service, round").mapTo(Long.class).list());
        return ids.stream().map(this::review).filter(r -> visible(user, r)).toList();
    }

    DeliveryViews.Review review(long id) {
        return jdbi.withHandle(h -> {
            var items = h.createQuery("SELECT item, score, evidence, recommendation FROM fidelity_item_score WHERE review_id = :id ORDER BY item")
                    .bind("id", id).map((rs, ctx) -> new DeliveryViews.ItemScored(rs.getInt(1), rs.getInt(2), rs.getString(3), rs.getString(4)))
                    .list();
            var actions = h.createQuery("SELECT id, item, action, owner, due_on, status FROM fidelity_action WHERE review_id = :id ORDER BY id")
                    .bind("id", id).map((rs, ctx) -> new DeliveryViews.Action(rs.getLong(1), (Integer) rs.getObject(2), rs.getString(3),
                            rs.getString(4), rs.getObject(5, LocalDate.class), rs.getString(6))).list();
            return h.createQuery("""
                    SELECT id, service, round, reviewed_on, reviewers, scale_version, remote_adjusted, total, band
                    FROM fidelity_review WHERE id = :id""").bind("id", id)
                    .map((rs, ctx) -> new DeliveryViews.Review(rs.getLong("id"), rs.getString("service"), rs.getInt("round"),
                            rs.getObject("reviewed_on", LocalDate.class), List.of((String[]) rs.getArray("reviewers").getArray()),
                            rs.getString("scale_version"), rs.getBoolean("remote_adjusted"), rs.getInt("total"), rs.getString("band"),
                            items, actions))
                    .findOne().orElseThrow(() -> new NotFound("review_not_found", "There is no fidelity review with this id."));
        });
    }
}
