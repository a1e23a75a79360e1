package org.ipstrial.api.core.followup;

import java.time.LocalDate;
import java.util.Objects;

/** The days a wave's interview is due: from {@code opens} to {@code closes}, both included, around {@code target}. */
public record DueWindow(LocalDate opens, LocalDate target, LocalDate closes) {
    public DueWindow {
        Objects.requireNonNull(opens, "opens");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(closes, "closes");
        if (opens.isAfter(target) || target.isAfter(closes)) {
            throw new IllegalArgumentException("a window opens on or before its target day and closes on or after it");
        }
    }

    /** Where a recruit stands on {@code today}: done (whenever), else before, inside or after the window. */
    public FollowUpState stateOn(LocalDate today, boolean done) {
        if (done) {
            return FollowUpState.done;
        }
        if (today.isBefore(opens)) {
            return FollowUpState.upcoming;
        }
        return today.isAfter(closes) ? FollowUpState.overdue : FollowUpState.due;
    }
}
