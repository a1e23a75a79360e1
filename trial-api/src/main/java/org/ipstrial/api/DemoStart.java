package org.ipstrial.api;

import java.time.Clock;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import org.ipstrial.api.auth.Role;
import org.ipstrial.api.auth.TrialUser;
import org.ipstrial.definition.TrialDefinition;
import org.ipstrial.api.core.delivery.DeliverySettings;
import org.ipstrial.api.core.recruitment.TrialContext;
import org.ipstrial.randomiser.RandomisationSecret;
import org.jdbi.v3.core.Jdbi;

/**
 * The demo as a newcomer meets it (scripts/serve): recruitment windows around the day the demo was
 * first started, and a few weeks of made-up recruitment and delivery recorded at that first start,
 * so the dashboard shows a trial in progress and the delivery pages open on sensible data. Only with
 * demo users (security.createDemoUsers) and trial.demoWindowAroundFirstStart.
 */
final class DemoStart {
    private DemoStart() {}

    /** The day the demo was first started: the day its demo users were created (Europe/London). */
    static LocalDate firstStart(Jdbi jdbi) {
        return jdbi.withHandle(h -> h.createQuery("SELECT min(created_at) FROM app_user").mapTo(java.time.OffsetDateTime.class).findOne())
                .map(t -> t.atZoneSameInstant(TrialContext.TRIAL_ZONE).toLocalDate())
                .orElse(LocalDate.now(TrialContext.TRIAL_ZONE));
    }

    /** Every trial group's window moved to begin on {@code start}, its length kept. */
    static TrialDefinition windowFrom(TrialDefinition d, LocalDate start) {
        var groups = d.trialGroups().stream().map(g -> new TrialDefinition.TrialGroup(g.code(), g.name(), g.site(), g.target(), start,
                start.plusDays(ChronoUnit.DAYS.between(g.recruitmentStart(), g.recruitmentEnd())))).toList();
        return new TrialDefinition(d.name(), d.sites(), groups, d.eligibility(), d.agreementForms(), d.baseline(), d.nextSteps(), d.arms());
    }

    static void loadHistory(Jdbi jdbi, TrialDefinition definition, org.ipstrial.config.DesignFile.Read design, RandomisationSecret secret,
            DeliverySettings settings, Clock clock, int recruits, int days) {
        Map<String, TrialUser> specialists = new java.util.HashMap<>();
        for (var site : definition.sites()) {
            specialist(jdbi, site.code()).ifPresent(u -> specialists.put(site.code(), u));
        }
        Optional<TrialUser> manager = user(jdbi, "SELECT id, username, role, site FROM app_user WHERE role = 'manager' AND site IS NULL ORDER BY id LIMIT 1");
        if (manager.isEmpty() || specialists.size() != definition.sites().size()) {
            return;
        }
        System.out.println("\n=== Recording " + recruits + " made-up recruits over the last " + days + " days, with their support (demo only)...");
        new DemoHistory(jdbi, definition, design, secret, settings, clock.instant(), 2026L).load(new DemoHistory.Staff(specialists, manager.get()),
                recruits, days);
        System.out.println("=== Done.\n");
    }

    private static Optional<TrialUser> specialist(Jdbi jdbi, String site) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id, username, role, site FROM app_user WHERE role = 'specialist' AND site = :site ORDER BY id LIMIT 1")
                .bind("site", site).map((rs, ctx) -> new TrialUser(rs.getLong("id"), rs.getString("username"), Role.specialist,
                        Optional.ofNullable(rs.getString("site")))).findOne());
    }

    private static Optional<TrialUser> user(Jdbi jdbi, String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).map((rs, ctx) -> new TrialUser(rs.getLong("id"), rs.getString("username"),
                Role.valueOf(rs.getString("role")), Optional.ofNullable(rs.getString("site")))).findOne());
    }
}
