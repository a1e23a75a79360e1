package org.ipstrial.api.core.confirmation;

import java.time.Instant;
import java.util.Optional;
import org.ipstrial.api.api.RecruitViews;
import org.ipstrial.api.auth.TrialUser;
import org.ipstrial.definition.TrialDefinition;
import org.ipstrial.api.core.errors.NotFound;
import org.ipstrial.api.core.recruitment.RecruitmentService;
import org.ipstrial.api.core.recruitment.TrialContext;
import org.jdbi.v3.core.Jdbi;

/**
 * The confirmation of a recruit's randomisation, for whoever may read the recruit's allocation
 * today (the recruit view's rule: a specialist of the recruit's site, or a manager), and for the
 * e-mail sender, which reads it by the allocation's row.
 */
public final class ConfirmationService {
    private final Jdbi jdbi;
    private final TrialContext trial;
    private final RecruitmentService recruitment;

    public ConfirmationService(Jdbi jdbi, TrialContext trial, RecruitmentService recruitment) {
        this.jdbi = jdbi;
        this.trial = trial;
        this.recruitment = recruitment;
    }

    /** For a user: refused (404, as for the recruit) where the user may not see the recruit, 404 before randomisation. */
    public AllocationConfirmation forUser(TrialUser user, String participantId) {
        RecruitViews.Recruit recruit = recruitment.view(user, participantId);
        if (recruit.allocation() == null) {
            throw new NotFound("not_randomised", "This recruit has not been randomised yet: there is no confirmation to print.");
        }
        String randomisedBy = jdbi.withHandle(h -> h.createQuery("""
                SELECT u.username FROM recruit r JOIN allocation a ON a.person_key = r.person_key
                JOIN app_user u ON u.id = a.allocated_by WHERE r.participant_id = :participantId""")
                .bind("participantId", recruit.participantId()).mapTo(String.class).one());
        return of(recruit.participantId(), recruit.site(), recruit.trialGroup(), recruit.allocation().allocatedAt(),
                recruit.allocation().arm(), randomisedBy);
    }

    /** For the e-mail: the allocation row's confirmation, empty when its recruit has been erased since. */
    public Optional<AllocationConfirmation> forAllocation(long allocationId) {
        return jdbi.withHandle(h -> h.createQuery("""
                SELECT r.participant_id, a.site, a.trial_group, a.allocated_at, a.arm, u.username
                FROM allocation a JOIN recruit r ON r.person_key = a.person_key JOIN app_user u ON u.id = a.allocated_by
                WHERE a.id = :id""").bind("id", allocationId)
                .map((rs, ctx) -> of(rs.getString("participant_id"), rs.getString("site"), rs.getString("trial_group"),
                        rs.getObject("allocated_at", java.time.OffsetDateTime.class).toInstant(), rs.getString("arm"),
                        rs.getString("username")))
                .findOne());
    }

    private AllocationConfirmation of(String participantId, String site, String trialGroup, Instant allocatedAt, String arm,
            String randomisedBy) {
        TrialDefinition definition = trial.definition();
        String siteName = definition.sites().stream().filter(s -> s.code().equals(site)).map(TrialDefinition.Site::name)
                .findFirst().orElse(site);
        String groupName = definition.trialGroups().stream().filter(g -> g.code().equals(trialGroup))
                .map(TrialDefinition.TrialGroup::name).findFirst().orElse(trialGroup);
        TrialDefinition.NextSteps next = definition.nextSteps();
        String nextStep = arm.equals("treatment") ? next.treatment() : next.control();
        return new AllocationConfirmation(definition.name(), participantId, siteName, groupName, allocatedAt, randomisedBy,
                definition.arms().of(arm).label(), nextStep);
    }
}
