package org.ipstrial.api.core.errors;

import java.util.List;

/** 401 at login: wrong username or password, a disabled account, or a locked one. */
public final class LoginRefused extends TrialException {
    private static final long serialVersionUID = 1L;

    public LoginRefused(String code, String message) {
        super(code, message, List.of());
    }

    /** No live session behind the request (the session filter's own 401 says the same). */
    public static LoginRefused notAuthenticated() {
        return new LoginRefused("not_authenticated", "Log in first: this needs a valid session.");
    }

    @Override
    public int status() {
        return 401;
    }
}
