package org.ipstrial.api.core.errors;

import java.util.List;
import org.ipstrial.api.api.ErrorBody.FieldError;

/**
 * A request the service refuses for a reason a person can act on. Messages never contain personal
 * data: they name fields, not values.
 */
public abstract sealed class TrialException extends RuntimeException
        permits InvalidRequest, NotFound, Conflict, LoginRefused, Forbidden {
    private static final long serialVersionUID = 1L;
    private final String code;
    private final transient List<FieldError> fieldErrors;

    protected TrialException(String code, String message, List<FieldError> fieldErrors) {
        super(message, null, false, false);
        this.code = code;
        this.fieldErrors = List.copyOf(fieldErrors);
    }

    public abstract int status();

    public String code() {
        return code;
    }

    public List<FieldError> fieldErrors() {
        return fieldErrors;
    }
}
