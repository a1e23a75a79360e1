package org.ipstrial.api.auth;

import java.util.Optional;

/** What a session opened by a correct password still waits for before it may be used. */
public enum PendingStep {
    /** The code of the user's second factor (or a recovery code): POST /api/v1/session/code. */
    code,
    /** An enrolment, which the user's role requires: only the /api/v1/two-factor enrolment endpoints answer. */
    enrolment;

    /** The step a session's {@code pending} column names; empty for {@code none} or NULL. */
    public static Optional<PendingStep> of(String column) {
        return column == null || column.equals("none") ? Optional.empty() : Optional.of(valueOf(column));
    }
}
