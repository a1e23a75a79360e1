package org.ipstrial.etl.build;

import java.time.LocalDate;
import java.time.Period;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ipstrial.etl.derive.AdministrativeOutcomes;
import org.ipstrial.etl.derive.OutOfWorkBenefitSet;
import org.ipstrial.etl.derive.OutcomeWindows;
import org.ipstrial.etl.derive.Questionnaires;
import org.ipstrial.etl.derive.WaveScores;
import org.ipstrial.etl.read.Money;
import org.ipstrial.etl.records.Participant;
import org.ipstrial.etl.records.ParticipantStatus;
import org.ipstrial.etl.records.SurveyInterview;

/**
 * The values of one participant's row of analysis.csv, by variable name; "" is an empty cell.
 * Holds no identifier: only the pseudonym and derived values.
 */
public final class AnalysisRow {
    private static final String[] EMPLOYED = monthNames("employed_m");
    private static final String[] EARNINGS = monthNames("earnings_m");
    private static final String[] OOW_BENEFIT = monthNames("oow_benefit_m");
    private static final String[] EMPLOYED_ON_BENEFIT = monthNames("employed_on_benefit_m");

    private AnalysisRow() {}

    private static String[] monthNames(String prefix) {
        String[] names = new String[OutcomeWindows.MONTHS];
        for (int m = 1; m <= OutcomeWindows.MONTHS; m++) {
            names[m - 1] = prefix + m;
        }
        return names;
    }

    /** Where the values go: a cell of the row, by variable name. */
    public interface Cells {
        void put(String name, String value);
    }

    /** The values as a map (tests, small runs). */
    public static Map<String, String> values(Participant p, String pid, AdministrativeOutcomes admin,
            boolean payrollCensored, boolean benefitsCensored, Map<DatasetLayout.WaveColumns, Optional<SurveyInterview>> waves,
            Questionnaires q, ValueTables tables, OutOfWorkBenefitSet oow) {
        Map<String, String> v = new HashMap<>();
        fill(v::put, p, pid, admin, payrollCensored, benefitsCensored, waves, q, tables, oow);
        return v;
    }

    public static void fill(Cells v, Participant p, String pid, AdministrativeOutcomes admin,
            boolean payrollCensored, boolean benefitsCensored, Map<DatasetLayout.WaveColumns, Optional<SurveyInterview>> waves,
            Questionnaires q, ValueTables tables, OutOfWorkBenefitSet oow) {
        LocalDate r = p.randomisationDate();
        v.put("pid", pid);
        v.put("site", p.site());
        v.put("area", p.area());
        v.put("trial_group", p.trialGroup());
        v.put("arm", p.arm().code());
        v.put("randomisation_month", r.toString().substring(0, 7));
        v.put("age_at_randomisation", p.dateOfBirth().filter(d -> !d.isAfter(r))
                .map(d -> String.valueOf(Period.between(d, r).getYears())).orElse(""));
        v.put("sex", p.sex());
        v.put("status", p.status().map(ParticipantStatus::code).orElse(""));
        v.put("days_to_status", p.status().filter(s -> s != ParticipantStatus.ACTIVE).flatMap(s -> p.statusDate())
                .map(d -> String.valueOf(ChronoUnit.DAYS.between(r, d))).orElse(""));
        v.put("oow_benefit_set", oow.describe());
        v.put("payroll_censored_12m", bit(payrollCensored));
        v.put("benefits_censored_12m", bit(benefitsCensored));
        if (admin instanceof AdministrativeOutcomes.Missing missing) {
            v.put("admin_linked", "");
            v.put("admin_missing_reason", missing.reason().code());
            for (String name : List.of("days_employed_12m", "employed_13wk_12m", "earnings_12m", "months_employed_12m", "days_oow_benefit_12m")) {
                v.put(name, "");
            }
            for (int m = 0; m < OutcomeWindows.MONTHS; m++) {
                v.put(EMPLOYED[m], "");
                v.put(EARNINGS[m], "");
                v.put(OOW_BENEFIT[m], "");
                v.put(EMPLOYED_ON_BENEFIT[m], "");
            }
        } else {
            AdministrativeOutcomes.Derived d = (AdministrativeOutcomes.Derived) admin;
            v.put("admin_linked", bit(d.anyRowLinked()));
            v.put("admin_missing_reason", "");
            v.put("days_employed_12m", text(d.payroll().daysEmployed12m()));
            v.put("employed_13wk_12m", text(d.payroll().employed13Weeks12m()));
            v.put("earnings_12m", money(d.payroll().earnings12mPence()));
            v.put("months_employed_12m", text(d.payroll().monthsEmployed12m()));
            v.put("days_oow_benefit_12m", text(d.benefits().daysOnOutOfWorkBenefit12m()));
            for (int m = 0; m < OutcomeWindows.MONTHS; m++) {
                v.put(EMPLOYED[m], text(d.payroll().employedByMonth().get(m)));
                v.put(EARNINGS[m], money(d.payroll().earningsByMonthPence().get(m)));
                v.put(OOW_BENEFIT[m], text(d.benefits().onOutOfWorkBenefitByMonth().get(m)));
                v.put(EMPLOYED_ON_BENEFIT[m], text(d.employedOnBenefitByMonth().get(m)));
            }
        }
        for (Map.Entry<DatasetLayout.WaveColumns, Optional<SurveyInterview>> e : waves.entrySet()) {
            String prefix = e.getKey().prefix() + "_";
            Optional<SurveyInterview> interview = e.getValue();
            v.put(prefix + "responded", bit(interview.isPresent()));
            if (!e.getKey().baseline()) {
                v.put(prefix + "mode", interview.map(SurveyInterview::mode).orElse(""));
                v.put(prefix + "days_to_interview", interview.flatMap(SurveyInterview::interviewDate)
                        .map(d -> String.valueOf(ChronoUnit.DAYS.between(r, d))).orElse(""));
            }
            if (interview.isPresent()) {
                WaveScores.of(q, interview.get(), tables.eq5dValueSet(), tables.swemwbsConversion())
                        .forEach((name, value) -> v.put(prefix + name, value.orElse("")));
            }
        }
    }

    /**
     * The {@code delivery_*} cells. Control participants: 0 / empty by design. Treatment
     * participants: the service's record, or every cell empty with the reason when it is missing.
     */
    public static void fillDelivery(Cells v, Participant p, Optional<org.ipstrial.etl.records.ServiceDelivery> delivery,
            Optional<org.ipstrial.etl.link.DeliveryRows.MissingReason> missing) {
        LocalDate r = p.randomisationDate();
        if (p.arm() == org.ipstrial.etl.records.Arm.CONTROL) {
            v.put("delivery_missing_reason", "");
            v.put("delivery_engaged", "0");
            v.put("delivery_sessions", "0");
            v.put("delivery_sessions_over_15", "0");
            v.put("delivery_job_starts", "0");
            for (String name : List.of("delivery_first_session_days", "delivery_vocational_profile_days",
                    "delivery_employer_contact_days", "delivery_first_job_start_days", "delivery_first_job_hours")) {
                v.put(name, "");
            }
            return;
        }
        if (delivery.isEmpty()) {
            v.put("delivery_missing_reason", missing.map(org.ipstrial.etl.link.DeliveryRows.MissingReason::code)
                    .orElseThrow(() -> new IllegalStateException("a treatment participant without delivery or reason (a bug)")));
            for (String name : List.of("delivery_engaged", "delivery_sessions", "delivery_sessions_over_15", "delivery_first_session_days",
                    "delivery_vocational_profile_days", "delivery_employer_contact_days", "delivery_job_starts",
                    "delivery_first_job_start_days", "delivery_first_job_hours")) {
                v.put(name, "");
            }
            return;
        }
        org.ipstrial.etl.records.ServiceDelivery d = delivery.get();
        v.put("delivery_missing_reason", "");
        v.put("delivery_engaged", bit(d.engaged()));
        v.put("delivery_sessions", text(d.sessions()));
        v.put("delivery_sessions_over_15", text(d.sessionsOver15Minutes()));
        v.put("delivery_first_session_days", days(r, d.firstSessionDate()));
        v.put("delivery_vocational_profile_days", days(r, d.vocationalProfileDate()));
        v.put("delivery_employer_contact_days", days(r, d.firstEmployerContactDate()));
        v.put("delivery_job_starts", text(d.jobStarts()));
        v.put("delivery_first_job_start_days", days(r, d.firstJobStartDate()));
        v.put("delivery_first_job_hours", d.firstJobHoursHundredths()
                .map(h -> java.math.BigDecimal.valueOf(h, 2).stripTrailingZeros().toPlainString()).orElse(""));
    }

    private static String days(LocalDate r, Optional<LocalDate> date) {
        return date.map(d -> String.valueOf(ChronoUnit.DAYS.between(r, d))).orElse("");
    }

    private static String bit(boolean b) {
        return b ? "1" : "0";
    }

    private static String text(Object value) {
        if (value == null) {
            return "";
        }
        // 0 and 1 are most cells: shared constants rather than a new string each.
        if (value instanceof Integer i && (i == 0 || i == 1)) {
            return i == 0 ? "0" : "1";
        }
        return value.toString();
    }

    private static String money(Long pence) {
        return pence == null ? "" : Money.format(pence);
    }
}
