package org.ipstrial.api.core.errors;

import java.util.List;

/** 401 at login: wrong username or password, a disabled account, or a locked one. */
public final class LoginRefused extends TrialException {
    private static final long serialVersionUID = 1L;

    public LoginRefused(String code, String message) {
        super(code, message, List.of());
    }

    @Override
    public int status() {
        return 401;
    }
}
