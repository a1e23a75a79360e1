package org.ipstrial.api.core.delivery;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ipstrial.api.api.DeliveryRequests;
import org.ipstrial.api.core.errors.FieldChecks;
import org.ipstrial.api.api.ErrorBody.FieldError;

/**
 * Checks a delivery record as sent, field by field, before anything is looked up: every field at
 * fault is named at once (with a prefix, e.g. {@code record.} inside a correction).
 */
final class DeliveryCheck {
    static final Set<String> KINDS = Set.of("session", "employer_contact", "vocational_profile", "job_start", "job_end",
            "in_work_support", "discharge");
    static final Set<String> MODES = Set.of("face_to_face", "phone", "video");
    /** The fields each kind takes beyond kind, date and note. */
    private static final Map<String, Set<String>> FIELDS = Map.of(
            "session", Set.of("mode", "minutes"),
            "employer_contact", Set.of("faceToFace"),
            "vocational_profile", Set.of(),
            "job_start", Set.of("jobType", "hoursPerWeek", "atLeastMinimumWage", "permanent", "employerName"),
            "job_end", Set.of("jobStartId"),
            "in_work_support", Set.of("mode", "minutes", "jobStartId"),
            "discharge", Set.of());
    private static final BigDecimal MAX_HOURS = new BigDecimal(100);

    /** A record as checked: what is stored. */
    record Entry(String kind, LocalDate date, String mode, Integer minutes, Boolean faceToFace, String jobType, BigDecimal hoursPerWeek,
            Boolean atLeastMinimumWage, Boolean permanent, String employerName, Long jobStartId, String note) {}

    private DeliveryCheck() {}

    static Entry check(DeliveryRequests.DeliveryRecord r, String prefix, LocalDate today, List<FieldError> errors) {
        if (r == null) {
            errors.add(new FieldError(prefix.isEmpty() ? "body" : prefix.substring(0, prefix.length() - 1), "is required"));
            return null;
        }
        String kind = r.kind();
        if (kind == null || !KINDS.contains(kind)) {
            errors.add(new FieldError(prefix + "kind", "must be one of " + new java.util.TreeSet<>(KINDS)));
            return null;
        }
        LocalDate date = FieldChecks.date(r.date(), prefix + "date", today, errors);
        Set<String> taken = FIELDS.get(kind);
        Map<String, Object> given = new java.util.LinkedHashMap<>();
        given.put("mode", r.mode());
        given.put("minutes", r.minutes());
        given.put("faceToFace", r.faceToFace());
        given.put("jobType", r.jobType());
        given.put("hoursPerWeek", r.hoursPerWeek());
        given.put("atLeastMinimumWage", r.atLeastMinimumWage());
        given.put("permanent", r.permanent());
        given.put("employerName", r.employerName());
        given.put("jobStartId", r.jobStartId());
        given.forEach((field, value) -> {
            if (value != null && !taken.contains(field)) {
                errors.add(new FieldError(prefix + field, "is not part of a " + kind.replace('_', ' ') + " record: leave it out"));
            }
        });
        boolean required = !kind.equals("in_work_support");
        if (taken.contains("mode")) {
            if (r.mode() == null ? required : !MODES.contains(r.mode())) {
                errors.add(new FieldError(prefix + "mode", "must be face_to_face, phone or video"));
            }
            if (r.minutes() == null ? required : r.minutes() < 1 || r.minutes() > 600) {
                errors.add(new FieldError(prefix + "minutes", "must be a whole number of minutes from 1 to 600"));
            }
        }
        if (taken.contains("faceToFace") && r.faceToFace() == null) {
            errors.add(new FieldError(prefix + "faceToFace", "is required: face to face (true) or not (false)"));
        }
        if (kind.equals("job_start")) {
            text(r.jobType(), prefix + "jobType", 200, true, errors);
            text(r.employerName(), prefix + "employerName", 200, true, errors);
            BigDecimal hours = r.hoursPerWeek();
            if (hours == null) {
                errors.add(new FieldError(prefix + "hoursPerWeek", "is required: hours a week, more than 0 and at most 100"));
            } else if (hours.signum() <= 0 || hours.compareTo(MAX_HOURS) > 0) {
                errors.add(new FieldError(prefix + "hoursPerWeek", "must be more than 0 and at most 100 hours a week"));
            } else if (hours.stripTrailingZeros().scale() > 2) {
                errors.add(new FieldError(prefix + "hoursPerWeek", "takes at most two decimals"));
            }
            if (r.atLeastMinimumWage() == null) {
                errors.add(new FieldError(prefix + "atLeastMinimumWage", "is required: paid at least the minimum wage (true) or not (false)"));
            }
            if (r.permanent() == null) {
                errors.add(new FieldError(prefix + "permanent", "is required: permanent (true) or temporary (false)"));
            }
        }
        if (kind.equals("job_end") && r.jobStartId() == null) {
            errors.add(new FieldError(prefix + "jobStartId", "is required: the job start this job end belongs to"));
        }
        String note = text(r.note(), prefix + "note", 1000, false, errors);
        return new Entry(kind, date, r.mode(), r.minutes(), r.faceToFace(), strip(r.jobType()),
                r.hoursPerWeek() == null ? null : r.hoursPerWeek().stripTrailingZeros(), r.atLeastMinimumWage(), r.permanent(),
                strip(r.employerName()), r.jobStartId(), note);
    }

    static String text(String value, String field, int max, boolean required, List<FieldError> errors) {
        if (value == null || value.isBlank()) {
            if (required) {
                errors.add(new FieldError(field, "is required"));
            }
            return null;
        }
        if (value.length() > max) {
            errors.add(new FieldError(field, "is longer than " + max + " characters"));
        }
        if (value.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t')) {
            // PostgreSQL cannot hold a NUL in text: refused here rather than failing in the database.
            errors.add(new FieldError(field, "contains control characters"));
        }
        return value.strip();
    }

    private static String strip(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
