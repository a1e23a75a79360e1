package org.ipstrial.api.core.errors;

import java.util.List;
import org.ipstrial.api.api.ErrorBody.FieldError;

/** Input that breaks a rule: 422 with every field at fault. Nothing was changed. */
public final class InvalidRequest extends TrialException {
    private static final long serialVersionUID = 1L;

    public InvalidRequest(String code, String message, List<FieldError> fieldErrors) {
        super(code, message, fieldErrors);
    }

    public static InvalidRequest fields(List<FieldError> errors) {
        return new InvalidRequest("invalid_fields", errors.size() == 1
                ? "One field needs correcting." : errors.size() + " fields need correcting.", errors);
    }

    public static InvalidRequest field(String field, String message) {
        return fields(List.of(new FieldError(field, message)));
    }

    @Override
    public int status() {
        return 422;
    }
}
