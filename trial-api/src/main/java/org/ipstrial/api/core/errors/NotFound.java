package org.ipstrial.api.core.errors;

import java.util.List;

/** 404: no such thing, or not one this user may see (we do not say which). */
public final class NotFound extends TrialException {
    private static final long serialVersionUID = 1L;

    public NotFound(String code, String message) {
        super(code, message, List.of());
    }

    @Override
    public int status() {
        return 404;
    }
}
