package org.ipstrial.etl.build;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.ipstrial.etl.derive.EmploymentSpells;
import org.ipstrial.etl.derive.OutOfWorkBenefitSet;
import org.ipstrial.etl.derive.OutcomeWindows;
import org.ipstrial.etl.derive.Questionnaires;
import org.ipstrial.etl.derive.ScoreDefinition;
import org.ipstrial.etl.derive.WaveScores;

/** The columns of analysis.csv, in their fixed order, each with its dictionary entry. */
public final class DatasetLayout {

    /** A survey wave as it appears in the dataset: prefix {@code m<months>}; baseline is {@code m0}. */
    public record WaveColumns(String prefix, int months, boolean baseline) {
        public WaveColumns {
            Objects.requireNonNull(prefix, "prefix");
        }
    }

    private DatasetLayout() {}

    public static List<Variable> variables(Questionnaires q, List<WaveColumns> waves, ValueTables tables, OutOfWorkBenefitSet oow) {
        return variables(q, waves, tables, oow, false);
    }

    /**
     * @param delivery whether the service's delivery file was given: its columns come last, so a
     *     dataset built without one is, column for column, what it always was
     */
    public static List<Variable> variables(Questionnaires q, List<WaveColumns> waves, ValueTables tables, OutOfWorkBenefitSet oow,
            boolean delivery) {
        List<Variable> v = new ArrayList<>();
        v.add(new Variable("pid", "Pseudonymous participant key", "string", "", "",
                "HMAC-SHA256 of the participant identifier under the custodian's key, lower-case hex"));
        v.add(new Variable("site", "Site", "string", "", "", "participant file: site"));
        v.add(new Variable("area", "Delivery area", "string", "", "", "participant file: area"));
        v.add(new Variable("trial_group", "Trial group", "string", "", "", "participant file: trial_group"));
        v.add(new Variable("arm", "Randomised arm", "string", "", "treatment;control", "participant file: arm"));
        v.add(new Variable("randomisation_month", "Month of randomisation (YYYY-MM)", "string", "", "",
                "R = randomised_at converted to Europe/London, its date; year and month only"));
        v.add(new Variable("age_at_randomisation", "Age at randomisation", "integer", "years", "",
                "whole years from date of birth to R; empty when the date of birth is missing or after R"));
        v.add(new Variable("sex", "Sex as recorded at baseline", "string", "", "", "participant file: sex"));
        v.add(new Variable("status", "Participant status", "string", "", "active;withdrawn;deceased",
                "participant file: status; empty when unknown"));
        v.add(new Variable("days_to_status", "Days from randomisation to withdrawal or death", "integer", "days", "",
                "status_date minus R; empty for active participants or when no date is recorded"));
        v.add(new Variable("admin_linked", "At least one administrative row linked", "binary", "", Variable.YES_NO,
                "1 when any payroll or benefit row linked; empty when admin_missing_reason is set"));
        v.add(new Variable("admin_missing_reason", "Why administrative outcomes are empty", "string", "",
                "no_consent;no_valid_nino", "no_consent (takes precedence) or no_valid_nino; empty otherwise"));
        v.add(new Variable("oow_benefit_set", "Out-of-work benefit set used", "string", "", "",
                "the configured set: " + oow.describe()));
        v.add(new Variable("payroll_censored_12m", "Outcome year censored by the payroll extract date", "binary", "",
                Variable.YES_NO, "1 when R+364 is after the payroll extract date"));
        v.add(new Variable("benefits_censored_12m", "Outcome year censored by the benefit extract date", "binary", "",
                Variable.YES_NO, "1 when R+364 is after the benefit extract date"));
        String spells = "employment spells: linked payroll rows grouped by employer_ref and employment_start_date; end = "
                + "latest leaving date, else last payment + one pay period - 1 day when the last payment is more than "
                + EmploymentSpells.DAYS_BEFORE_EXTRACT_TO_INFER_END + " days before the extract date, else the extract date";
        v.add(new Variable("days_employed_12m", "Days employed in the outcome year", "integer", "days", "",
                "distinct days R..R+364 covered by any " + spells + "; empty when censored"));
        v.add(new Variable("employed_13wk_12m", "Employed 13 weeks or more in the outcome year", "binary", "", Variable.YES_NO,
                "1 when days_employed_12m >= 91; empty when censored"));
        v.add(new Variable("earnings_12m", "Earnings in the outcome year", "decimal", "GBP", "",
                "sum of taxable_pay of linked payroll rows paid R..R+364 (adjustments included); empty when censored"));
        v.add(new Variable("months_employed_12m", "Months employed in the outcome year", "integer", "months", "",
                "count of months 1..12 with at least one day employed; empty when censored"));
        v.add(new Variable("days_oow_benefit_12m", "Days on out-of-work benefits in the outcome year", "integer", "days", "",
                "distinct days R..R+364 inside any out-of-work benefit spell (open spells run to the extract date); empty when censored"));
        String month = "month m covers R+floor((m-1)x30.4375) .. R+floor(m x 30.4375)-1; empty when its last day is after the extract date";
        for (int m = 1; m <= OutcomeWindows.MONTHS; m++) {
            v.add(new Variable("employed_m" + m, "Employed in month " + m, "binary", "", Variable.YES_NO,
                    "1 when any day of month " + m + " is in an employment spell; " + month));
        }
        for (int m = 1; m <= OutcomeWindows.MONTHS; m++) {
            v.add(new Variable("earnings_m" + m, "Earnings in month " + m, "decimal", "GBP", "",
                    "sum of taxable_pay paid in month " + m + "; " + month));
        }
        for (int m = 1; m <= OutcomeWindows.MONTHS; m++) {
            v.add(new Variable("oow_benefit_m" + m, "On out-of-work benefit in month " + m, "binary", "", Variable.YES_NO,
                    "1 when any day of month " + m + " is in an out-of-work benefit spell; " + month));
        }
        for (int m = 1; m <= OutcomeWindows.MONTHS; m++) {
            v.add(new Variable("employed_on_benefit_m" + m, "Employed while on out-of-work benefit in month " + m, "binary", "",
                    Variable.YES_NO, "1 when employed_m" + m + " and oow_benefit_m" + m + " are both 1; empty when either is empty"));
        }
        for (WaveColumns w : waves) {
            String p = w.prefix() + "_";
            String when = w.baseline() ? "baseline" : w.months() + "-month survey";
            v.add(new Variable(p + "responded", "Responded to the " + when, "binary", "", Variable.YES_NO,
                    "1 when an interview of the participant is in the " + when + " file"));
            if (!w.baseline()) {
                v.add(new Variable(p + "mode", "Interview mode, " + when, "string", "", "face_to_face;telephone;web",
                        "mode of the kept interview; empty when unknown"));
                v.add(new Variable(p + "days_to_interview", "Days from randomisation to the " + when + " interview", "integer",
                        "days", "", "interview_date minus R"));
            }
            for (ScoreDefinition s : q.scores()) {
                v.add(new Variable(p + s.name(), s.label() + ", " + when, "decimal".equals(type(s)) ? "decimal" : "integer", "", "",
                        s.rule()));
            }
            if (WaveScores.hasEq5dProfile(q)) {
                v.add(new Variable(p + "eq5d_profile", "EQ-5D-5L health-state profile, " + when, "string", "", "",
                        "levels of mobility, self-care, usual activities, pain/discomfort, anxiety/depression written together; only when all five are answered"));
                if (tables.eq5dValueSet().isPresent()) {
                    v.add(new Variable(p + "eq5d_index", "EQ-5D-5L index value, " + when, "decimal", "", "",
                            "the profile looked up in the supplied value set; empty when the profile is missing or not in the set"));
                }
            }
            if (tables.swemwbsConversion().isPresent()) {
                v.add(new Variable(p + "swemwbs_metric", "SWEMWBS metric score, " + when, "decimal", "", "",
                        "swemwbs_raw converted with the supplied Rasch conversion table; empty when the raw total is missing or prorated to a fraction"));
            }
            for (Questionnaires.CarriedItem c : q.carriedItems()) {
                v.add(new Variable(p + c.name(), c.label() + ", " + when, c.decimals() > 0 ? "decimal" : "integer", "", c.codes(),
                        "item " + c.name() + " as answered (" + c.min() + ".." + c.max()
                                + (c.decimals() > 0 ? ", up to " + c.decimals() + " decimals" : "")
                                + "); missing codes and out-of-range values are empty"));
            }
        }
        if (delivery) {
            v.addAll(deliveryVariables());
        }
        return List.copyOf(v);
    }

    /** The {@code delivery_*} columns, from the IPS service's delivery file (docs/etl.md). */
    static List<Variable> deliveryVariables() {
        String control = "control participants: 0 by design (the control arm receives business as usual, not the service)";
        String missing = "empty for a treatment participant when delivery_missing_reason is set";
        String fromR = "; empty when there is none, or " + missing;
        return List.of(
                new Variable("delivery_missing_reason", "Why the service's delivery values are empty", "string", "",
                        "not_in_delivery_file;delivery_row_quarantined;duplicate_delivery_rows",
                        "treatment participants only: not_in_delivery_file (no row), delivery_row_quarantined (the row failed a "
                                + "check; see the linkage report), duplicate_delivery_rows (two or more rows, all quarantined); "
                                + "empty otherwise and for every control participant"),
                new Variable("delivery_engaged", "Attended at least one support session", "binary", "", Variable.YES_NO,
                        "delivery file: engaged (true = 1); " + control + "; " + missing
                                + ". The treatment received of the complier average causal effect"),
                new Variable("delivery_sessions", "Support sessions attended", "integer", "sessions", "",
                        "delivery file: sessions; " + control + "; " + missing),
                new Variable("delivery_sessions_over_15", "Support sessions over 15 minutes", "integer", "sessions", "",
                        "delivery file: sessions_over_15_minutes; " + control + "; " + missing),
                new Variable("delivery_first_session_days", "Days from randomisation to the first session", "integer", "days", "",
                        "first_session_date minus R" + fromR),
                new Variable("delivery_vocational_profile_days", "Days from randomisation to the vocational profile", "integer", "days",
                        "", "vocational_profile_date minus R" + fromR),
                new Variable("delivery_employer_contact_days", "Days from randomisation to the first employer contact", "integer",
                        "days", "", "first_employer_contact_date minus R" + fromR),
                new Variable("delivery_job_starts", "Job starts recorded by the service", "integer", "jobs", "",
                        "delivery file: job_starts; a process measure, not an outcome (the service records jobs only for the "
                                + "treatment arm: use the administrative outcomes to compare arms); " + control + "; " + missing),
                new Variable("delivery_first_job_start_days", "Days from randomisation to the first job start recorded", "integer",
                        "days", "", "first_job_start_date minus R" + fromR),
                new Variable("delivery_first_job_hours", "Hours a week of the first job start recorded", "decimal", "hours", "",
                        "delivery file: first_job_hours_per_week (0..100, up to 2 decimals); empty when not recorded, when there is "
                                + "no job start, or " + missing));
    }

    private static String type(ScoreDefinition s) {
        return s.precision() > 0 ? "decimal" : "integer";
    }
}
