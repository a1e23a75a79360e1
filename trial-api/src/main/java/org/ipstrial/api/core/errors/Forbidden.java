package org.ipstrial.api.core.errors;

import java.util.List;

/** 403 with a code of its own: the user may not do this now (a rule of the sign-in, not of the role). */
public final class Forbidden extends TrialException {
    private static final long serialVersionUID = 1L;

    public Forbidden(String code, String message) {
        super(code, message, List.of());
    }

    @Override
    public int status() {
        return 403;
    }
}
