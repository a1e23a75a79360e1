package org.ipstrial.api.core.reports;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;
import org.ipstrial.api.auth.Role;
import org.ipstrial.api.core.recruitment.TrialContext;

/**
 * Up to when a reader may see allocations split by arm. The statistician sees them live; a manager
 * only up to the end of the previous day (Europe/London), so that nobody who recruits can work out
 * where a block stands from today's allocations. Specialists never reach a report.
 *
 * @param until allocations strictly before this moment are split by arm
 * @param live true when {@code until} is now (the statistician's view)
 */
public record ArmVisibility(Instant until, boolean live) {
    public ArmVisibility {
        Objects.requireNonNull(until, "until");
    }

    /** Later than any allocation: what a live reader's figures count up to. */
    static final Instant EVERY_ALLOCATION = Instant.parse("9999-12-31T00:00:00Z");

    /**
     * The moment the figures split allocations by arm up to: the cut-off, or for a live reader
     * every allocation on record, so that a live figure depends on the data alone, never on the
     * instant it was read (an allocation made in the same millisecond as the read counts too).
     */
    public Instant countedUntil() {
        return live ? EVERY_ALLOCATION : until;
    }

    public static ArmVisibility of(Role role, Clock clock) {
        return switch (role) {
            case statistician -> new ArmVisibility(clock.instant(), true);
            case manager -> new ArmVisibility(startOfToday(clock), false);
            default -> throw new IllegalArgumentException("role " + role + " sees no arm counts");
        };
    }

    static Instant startOfToday(Clock clock) {
        LocalDate today = LocalDate.now(clock.withZone(TrialContext.TRIAL_ZONE));
        return today.atStartOfDay(TrialContext.TRIAL_ZONE).toInstant();
    }
}
