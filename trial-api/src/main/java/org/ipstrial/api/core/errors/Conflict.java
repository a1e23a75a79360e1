package org.ipstrial.api.core.errors;

import java.util.List;
import org.ipstrial.api.api.ErrorBody.FieldError;

/** 409: the request is well formed but the state of the trial does not allow it. */
public final class Conflict extends TrialException {
    private static final long serialVersionUID = 1L;

    public Conflict(String code, String message) {
        super(code, message, List.of());
    }

    public Conflict(String code, String message, List<FieldError> reasons) {
        super(code, message, reasons);
    }

    @Override
    public int status() {
        return 409;
    }
}
