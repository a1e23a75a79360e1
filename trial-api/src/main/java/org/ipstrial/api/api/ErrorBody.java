package org.ipstrial.api.api;

import java.util.List;

/** Every error answer: a stable code for programs, a message for people, and the fields at fault. */
public record ErrorBody(String code, String message, List<FieldError> fieldErrors) {
    public ErrorBody {
        fieldErrors = List.copyOf(fieldErrors);
    }

    public static ErrorBody of(String code, String message) {
        return new ErrorBody(code, message, List.of());
    }

    public record FieldError(String field, String message) {}
}
