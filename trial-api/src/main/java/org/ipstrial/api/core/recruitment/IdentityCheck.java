package org.ipstrial.api.core.recruitment;

import java.time.LocalDate;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.ipstrial.api.api.ErrorBody.FieldError;
import org.ipstrial.api.api.RecruitRequests;
import org.ipstrial.api.core.errors.InvalidRequest;
import org.ipstrial.api.core.person.NationalInsuranceNumber;
import org.ipstrial.api.core.person.NhsNumber;
import org.ipstrial.api.core.person.Postcode;
import org.ipstrial.api.db.RecruitDao.IdentityRow;

/** Checks identifiers and contact details field by field, with messages a specialist can act on. */
final class IdentityCheck {
    static final Set<String> SEXES = RecruitCodes.SEXES;
    static final Set<String> SURVEY_MODES = RecruitCodes.SURVEY_MODES;
    static final Set<String> SURVEY_MODE_REASONS = RecruitCodes.SURVEY_MODE_REASONS;
    private static final int MAX_TEXT = 200;

    private IdentityCheck() {}

    static IdentityRow check(RecruitRequests.Identity in, LocalDate today) {
        if (in == null) {
            throw InvalidRequest.field("body", "is required");
        }
        List<FieldError> errors = new ArrayList<>();
        String nino = blankToNull(in.nationalInsuranceNumber());
        if (nino != null) {
            nino = NationalInsuranceNumber.normalise(nino);
            NationalInsuranceNumber.problem(nino).ifPresent(p -> errors.add(new FieldError("nationalInsuranceNumber", p)));
        }
        String nhs = blankToNull(in.nhsNumber());
        if (nhs != null) {
            nhs = nhs.replaceAll("[\\s-]", "");
            NhsNumber.problem(nhs).ifPresent(p -> errors.add(new FieldError("nhsNumber", p)));
        }
        String given = text(in.givenName(), "givenName", true, errors);
        String family = text(in.familyName(), "familyName", true, errors);
        LocalDate dob = null;
        if (blankToNull(in.dateOfBirth()) == null) {
            errors.add(new FieldError("dateOfBirth", "is required"));
        } else {
            try {
                dob = LocalDate.parse(in.dateOfBirth().strip());
                if (dob.isAfter(today)) {
                    errors.add(new FieldError("dateOfBirth", "is in the future"));
                } else if (Period.between(dob, today).getYears() < 18) {
                    errors.add(new FieldError("dateOfBirth", "gives an age under 18: recruits must be aged over 18"));
                } else if (Period.between(dob, today).getYears() > 110) {
                    errors.add(new FieldError("dateOfBirth", "gives an age over 110: please check the year"));
                }
            } catch (DateTimeParseException e) {
                errors.add(new FieldError("dateOfBirth", "must be a date as YYYY-MM-DD"));
            }
        }
        String sex = blankToNull(in.sex());
        if (sex == null || !SEXES.contains(sex)) {
            errors.add(new FieldError("sex", "must be one of " + String.join(", ", SEXES.stream().sorted().toList())));
        }
        String postcode = null;
        if (blankToNull(in.postcode()) == null) {
            errors.add(new FieldError("postcode", "is required"));
        } else {
            postcode = Postcode.normalise(in.postcode());
            Optional<String> problem = Postcode.problem(postcode);
            problem.ifPresent(p -> errors.add(new FieldError("postcode", p)));
        }
        String phone = blankToNull(in.phone());
        if (phone != null && !phone.replaceAll("[\\s()-]", "").matches("\\+?\\d{10,13}")) {
            errors.add(new FieldError("phone", "must be a UK phone number of 10 or 11 digits, or +44 and the number"));
        }
        String email = blankToNull(in.email());
        if (email != null && (email.length() > MAX_TEXT || !email.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+"))) {
            errors.add(new FieldError("email", "must be an email address such as name@example.org"));
        }
        String address = text(in.address(), "address", false, errors);
        String language = text(in.language(), "language", false, errors);
        String needs = text(in.communicationNeeds(), "communicationNeeds", false, errors);
        String mode = blankToNull(in.surveyMode());
        if (mode == null || !SURVEY_MODES.contains(mode)) {
            errors.add(new FieldError("surveyMode", "must be one of face_to_face, telephone, web"));
        }
        String reason = blankToNull(in.surveyModeReason());
        if (reason != null && !SURVEY_MODE_REASONS.contains(reason)) {
            errors.add(new FieldError("surveyModeReason", "must be one of bsl_user, hearing_difficulty, phone_anxiety, preference"));
        }
        if (phone == null && email == null && address == null) {
            errors.add(new FieldError("phone", "give at least one way to contact the recruit: phone, email or address"));
        }
        if (!errors.isEmpty()) {
            throw InvalidRequest.fields(errors);
        }
        return new IdentityRow(nino, nhs, given, family, dob, sex, postcode, phone, email, address, language, needs, mode, reason);
    }

    private static String text(String value, String field, boolean required, List<FieldError> errors) {
        String v = blankToNull(value);
        if (v == null) {
            if (required) {
                errors.add(new FieldError(field, "is required"));
            }
            return null;
        }
        if (v.length() > MAX_TEXT) {
            errors.add(new FieldError(field, "is longer than " + MAX_TEXT + " characters"));
        } else if (v.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n')) {
            errors.add(new FieldError(field, "contains control characters"));
        }
        return v;
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
