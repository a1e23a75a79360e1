package org.ipstrial.api.core.recruitment;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ipstrial.api.api.RecruitViews;
import org.ipstrial.api.core.definition.TrialDefinition;
import org.ipstrial.api.db.AllocationDao;
import org.ipstrial.api.db.AllocationDao.AllocationRow;
import org.ipstrial.api.db.RecruitDao;
import org.ipstrial.api.db.RecruitDao.AgreementRow;
import org.ipstrial.api.db.RecruitDao.IdentityRow;
import org.ipstrial.api.db.RecruitDao.RecruitRow;
import org.ipstrial.api.db.RecruitDao.ScreeningRow;
import org.ipstrial.api.db.RecruitDao.StatusRow;
import org.jdbi.v3.core.Handle;

/** Everything recorded about one recruit, read in one transaction: the basis of views and checks. */
record RecruitState(RecruitRow recruit, Optional<ScreeningRow> screening, Optional<AgreementRow> agreement,
        Optional<IdentityRow> identity, boolean baselineComplete, Optional<AllocationRow> allocation,
        List<StatusRow> statuses, List<String> flags) {

    static RecruitState load(Handle h, TrialContext trial, RecruitRow recruit) {
        RecruitDao dao = h.attach(RecruitDao.class);
        return new RecruitState(recruit, dao.latestScreening(recruit.id()), dao.latestAgreement(recruit.id()),
                dao.identity(recruit.id()), dao.hasBaseline(recruit.id()),
                h.attach(AllocationDao.class).byPerson(recruit.personKey()), dao.statuses(recruit.id()), dao.flags(recruit.id()));
    }

    /** What must still happen before randomisation, in the words of the pages; empty when ready. */
    List<String> stepsRemaining(TrialContext trial) {
        List<String> steps = new ArrayList<>();
        if (allocation.isPresent()) {
            return steps;
        }
        if (screening.isEmpty()) {
            steps.add("screening: screen the recruit for eligibility");
        } else if (!screening.get().eligible()) {
            steps.add("screening: the recruit is not eligible");
        }
        String current = trial.definition().agreementFormOn(trial.today()).version();
        if (agreement.isEmpty()) {
            steps.add("agreement: go through every statement of the agreement form");
        } else if (!agreement.get().formVersion().equals(current)) {
            steps.add("agreement: the form has changed to version " + current + ": take agreement again");
        } else if (!agreement.get().agreed()) {
            steps.add("agreement: a required statement was declined");
        }
        if (identity.isEmpty()) {
            steps.add("identity: record identifiers and contact details");
        }
        if (!baselineComplete) {
            steps.add("baseline: complete the baseline questionnaire");
        }
        if (statuses.stream().anyMatch(s -> s.kind().equals("deceased") || s.kind().equals("withdrawn_research"))) {
            steps.add("status: the recruit has withdrawn or died");
        }
        return steps;
    }

    String status() {
        if (statuses.stream().anyMatch(s -> s.kind().equals("deceased"))) {
            return "deceased";
        }
        return statuses.isEmpty() ? "active" : statuses.get(statuses.size() - 1).kind();
    }

    LocalDate statusDate() {
        if (statuses.stream().anyMatch(s -> s.kind().equals("deceased"))) {
            return statuses.stream().filter(s -> s.kind().equals("deceased")).findFirst().orElseThrow().effectiveDate();
        }
        return statuses.isEmpty() ? null : statuses.get(statuses.size() - 1).effectiveDate();
    }

    RecruitViews.Recruit toView(TrialContext trial) {
        String current = trial.definition().agreementFormOn(trial.today()).version();
        var screeningView = screening.map(s -> new RecruitViews.ScreeningResult(s.eligible(), s.trialGroup(), s.rulesVersion(),
                trial.definition().eligibility().stream().filter(r -> r.version().equals(s.rulesVersion())).findFirst()
                        .map(r -> r.criteria().stream().filter(c -> List.of(s.failedCriteria()).contains(c.id()))
                                .map(c -> new RecruitViews.FailedCriterion(c.id(), c.text())).toList())
                        .orElse(List.of()))).orElse(null);
        var agreementView = agreement.map(a -> new RecruitViews.AgreementResult(a.formVersion(), a.agreed(),
                a.formVersion().equals(current), RecruitmentService.declined(parseAnswers(a.answers())))).orElse(null);
        return new RecruitViews.Recruit(recruit.participantId(), recruit.site(), recruit.area(), recruit.trialGroup(),
                recruit.createdAt(), screeningView, agreementView, identity.isPresent(), baselineComplete,
                allocation.map(a -> allocated(trial, recruit.participantId(), a)).orElse(null), status(), statusDate(), flags,
                stepsRemaining(trial), identity.map(i -> i.givenName() + " " + i.familyName()).orElse(null));
    }

    static RecruitViews.Allocated allocated(TrialContext trial, String participantId, AllocationRow a) {
        TrialDefinition.NextSteps next = trial.definition().nextSteps();
        String nextStep = a.arm().equals("treatment") ? next.treatment() : next.control();
        return new RecruitViews.Allocated(participantId, a.arm(), "Randomisation is complete. The allocation is: " + a.arm() + ".",
                nextStep, a.allocatedAt());
    }

    private static java.util.Map<String, Boolean> parseAnswers(String json) {
        try {
            return RecruitmentService.JSON.readValue(json, new com.fasterxml.jackson.core.type.TypeReference<java.util.Map<String, Boolean>>() {});
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("stored agreement answers are not JSON", e);
        }
    }
}
