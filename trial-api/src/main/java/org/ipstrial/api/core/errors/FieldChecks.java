package org.ipstrial.api.core.errors;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.ipstrial.api.api.ErrorBody.FieldError;

/** Checks of one request field shared by every write, each adding its problem to the request's list. */
public final class FieldChecks {
    private FieldChecks() {}

    /**
     * A required date written as YYYY-MM-DD and not after {@code latest} (today for what has
     * happened; LocalDate.MAX for none), or null with its problem added.
     */
    public static LocalDate date(String text, String field, LocalDate latest, List<FieldError> errors) {
        if (text == null || text.isBlank()) {
            errors.add(new FieldError(field, "is required (YYYY-MM-DD)"));
            return null;
        }
        try {
            LocalDate date = LocalDate.parse(text.strip());
            if (date.isAfter(latest)) {
                errors.add(new FieldError(field, "is in the future"));
            }
            return date;
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "must be a date as YYYY-MM-DD"));
            return null;
        }
    }
}
