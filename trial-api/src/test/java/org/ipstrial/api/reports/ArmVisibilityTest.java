package org.ipstrial.api.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.ipstrial.api.auth.Role;
import org.ipstrial.api.core.reports.ArmVisibility;
import org.junit.jupiter.api.Test;

class ArmVisibilityTest {
    static Clock at(String instant) {
        return Clock.fixed(Instant.parse(instant), ZoneOffset.UTC);
    }

    @Test
    void aManagerSeesArmsUpToMidnightInLondonInWinterAndInSummer() {
        // Winter: London is on UTC.
        assertThat(ArmVisibility.of(Role.manager, at("2026-11-23T08:30:00Z")))
                .isEqualTo(new ArmVisibility(Instant.parse("2026-11-23T00:00:00Z"), false));
        // Summer: midnight in London is 23:00 UTC the day before; at 23:30 UTC it is already the next day there.
        assertThat(ArmVisibility.of(Role.manager, at("2026-07-01T23:30:00Z")))
                .isEqualTo(new ArmVisibility(Instant.parse("2026-07-01T23:00:00Z"), false));
        assertThat(ArmVisibility.of(Role.manager, at("2026-07-01T22:59:00Z")).until())
                .isEqualTo(Instant.parse("2026-06-30T23:00:00Z"));
    }

    @Test
    void theStatisticianSeesArmsLiveAndNobodyElseAtAll() {
        assertThat(ArmVisibility.of(Role.statistician, at("2026-11-23T08:30:00Z")))
                .isEqualTo(new ArmVisibility(Instant.parse("2026-11-23T08:30:00Z"), true));
        for (Role role : new Role[] {Role.specialist, Role.custodian, Role.fieldwork, Role.analyst, Role.admin}) {
            assertThatThrownBy(() -> ArmVisibility.of(role, at("2026-11-23T08:30:00Z"))).as(role.name())
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
