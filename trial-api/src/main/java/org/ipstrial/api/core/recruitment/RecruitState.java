package org.ipstrial.api.core.recruitment;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ipstrial.api.api.RecruitViews;
import org.ipstrial.definition.TrialDefinition;
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

    /** Everything in one statement (a round trip per part would be eight). */
    private static final String LOAD = """
            SELECT s.eligible AS s_eligible, s.trial_group AS s_trial_group, s.rules_version AS s_rules_version,
                   s.failed_criteria AS s_failed_criteria, s.present AS s_present,
                   g.form_version AS g_form_version, g.answers::text AS g_answers, g.agreed AS g_agreed, g.present AS g_present,
                   i.nino, i.nhs_number, i.given_name, i.family_name, i.date_of_birth, i.sex, i.postcode, i.phone, i.email,
                   i.address, i.language, i.communication_needs, i.survey_mode, i.survey_mode_reason, i.recruit_id IS NOT NULL AS i_present,
                   EXISTS (SELECT 1 FROM baseline b WHERE b.recruit_id = :id) AS baseline_complete,
                   a.stratum_key, a.sequence, a.block_index, a.block_size, a.position_in_block, a.design_version, a.arm,
                   a.person_key, a.site, a.area, a.trial_group, a.allocated_by, a.allocated_at, a.idempotency_key, a.request_hash,
                   a.person_key IS NOT NULL AS a_present,
                   ARRAY(SELECT kind FROM status_event WHERE recruit_id = :id ORDER BY id) AS status_kinds,
                   ARRAY(SELECT effective_date::text FROM status_event WHERE recruit_id = :id ORDER BY id) AS status_dates,
                   ARRAY(SELECT kind FROM flag WHERE recruit_id = :id ORDER BY id) AS flag_kinds
            FROM (SELECT 1) one
            LEFT JOIN LATERAL (SELECT eligible, trial_group, rules_version, failed_criteria, TRUE AS present FROM screening
                               WHERE recruit_id = :id ORDER BY id DESC LIMIT 1) s ON TRUE
            LEFT JOIN LATERAL (SELECT form_version, answers, agreed, TRUE AS present FROM agreement
                               WHERE recruit_id = :id ORDER BY id DESC LIMIT 1) g ON TRUE
            LEFT JOIN identity i ON i.recruit_id = :id
            LEFT JOIN allocation a ON a.person_key = :personKey""";

    static RecruitState load(Handle h, TrialContext trial, RecruitRow recruit) {
        return h.createQuery(LOAD).bind("id", recruit.id()).bind("personKey", recruit.personKey())
                .map((rs, ctx) -> read(recruit, rs)).one();
    }

    private static RecruitState read(RecruitRow recruit, java.sql.ResultSet rs) throws java.sql.SQLException {
        Optional<ScreeningRow> screening = rs.getBoolean("s_present")
                ? Optional.of(new ScreeningRow(rs.getBoolean("s_eligible"), rs.getString("s_trial_group"), rs.getString("s_rules_version"),
                        (String[]) rs.getArray("s_failed_criteria").getArray()))
                : Optional.empty();
        Optional<AgreementRow> agreement = rs.getBoolean("g_present")
                ? Optional.of(new AgreementRow(rs.getString("g_form_version"), rs.getString("g_answers"), rs.getBoolean("g_agreed")))
                : Optional.empty();
        Optional<IdentityRow> identity = rs.getBoolean("i_present")
                ? Optional.of(new IdentityRow(rs.getString("nino"), rs.getString("nhs_number"), rs.getString("given_name"),
                        rs.getString("family_name"), rs.getObject("date_of_birth", LocalDate.class), rs.getString("sex"),
                        rs.getString("postcode"), rs.getString("phone"), rs.getString("email"), rs.getString("address"),
                        rs.getString("language"), rs.getString("communication_needs"), rs.getString("survey_mode"),
                        rs.getString("survey_mode_reason")))
                : Optional.empty();
        Optional<AllocationRow> allocation = rs.getBoolean("a_present")
                ? Optional.of(new AllocationRow(rs.getString("stratum_key"), rs.getLong("sequence"), rs.getLong("block_index"),
                        rs.getInt("block_size"), rs.getInt("position_in_block"), rs.getInt("design_version"), rs.getString("arm"),
                        rs.getObject("person_key", java.util.UUID.class), rs.getString("site"), rs.getString("area"),
                        rs.getString("trial_group"), rs.getLong("allocated_by"),
                        rs.getObject("allocated_at", java.time.OffsetDateTime.class).toInstant(), rs.getString("idempotency_key"),
                        rs.getString("request_hash")))
                : Optional.empty();
        String[] kinds = (String[]) rs.getArray("status_kinds").getArray();
        String[] dates = (String[]) rs.getArray("status_dates").getArray();
        List<StatusRow> statuses = new ArrayList<>();
        for (int i = 0; i < kinds.length; i++) {
            statuses.add(new StatusRow(kinds[i], LocalDate.parse(dates[i])));
        }
        List<String> flags = List.of((String[]) rs.getArray("flag_kinds").getArray());
        return new RecruitState(recruit, screening, agreement, identity, rs.getBoolean("baseline_complete"), allocation,
                List.copyOf(statuses), flags);
    }

    /** The last step of a first appointment, left until the recruit is randomised. */
    static final String RANDOMISATION_STEP = "randomisation: randomise the recruit and read out the result";

    /**
     * Everything still to do up to the end of the first appointment, in the words of the pages: the
     * steps that block randomisation, then randomisation itself; empty once randomised.
     */
    List<String> stepsToTheEnd(TrialContext trial) {
        if (allocation.isPresent()) {
            return List.of();
        }
        List<String> steps = new ArrayList<>(stepsRemaining(trial));
        steps.add(RANDOMISATION_STEP);
        return List.copyOf(steps);
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
                stepsToTheEnd(trial), identity.map(i -> i.givenName() + " " + i.familyName()).orElse(null));
    }

    static RecruitViews.Allocated allocated(TrialContext trial, String participantId, AllocationRow a) {
        TrialDefinition.NextSteps next = trial.definition().nextSteps();
        String nextStep = a.arm().equals("treatment") ? next.treatment() : next.control();
        TrialDefinition.ArmWords words = trial.definition().arms().of(a.arm());
        return new RecruitViews.Allocated(participantId, a.arm(), words.label(), "Randomisation is complete. " + words.readOut(),
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
