package org.ipstrial.api.core.sites;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.ipstrial.api.core.recruitment.TrialContext;
import org.ipstrial.definition.TrialDefinition;
import org.jdbi.v3.core.Jdbi;

/**
 * The admin's view of the trial's sites: each site of the trial definition with the users bound to
 * it (by role) and how many recruits it has. Counts only, never a recruit: the admin sees no one.
 */
public final class SiteOverview {
    private final Jdbi jdbi;
    private final TrialContext trial;

    public SiteOverview(Jdbi jdbi, TrialContext trial) {
        this.jdbi = jdbi;
        this.trial = trial;
    }

    /** A user as listed on a site. */
    public record SiteUser(String username, boolean disabled) {}

    /**
     * One site: its users by role (role name to usernames), its recruits now (erased ones no longer
     * count) and those ever randomised (an erased recruit's allocation stays, so it still counts).
     */
    public record SiteSummary(String code, String name, List<String> areas, Map<String, List<SiteUser>> usersByRole,
            long recruits, long randomised) {}

    /** Every site in the trial definition's order, and the users bound to no site (they work across sites). */
    public record SiteSummaries(List<SiteSummary> sites, Map<String, List<SiteUser>> usersWithoutSite) {}

    private record UserAtSite(String site, String role, String username, boolean disabled) {}

    public SiteSummaries list() {
        return jdbi.withHandle(h -> {
            List<UserAtSite> users = h.createQuery("SELECT site, role, username, disabled FROM app_user ORDER BY role, username")
                    .map((rs, ctx) -> new UserAtSite(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4))).list();
            Map<String, Long> recruits = counts(h, "SELECT site, count(*) FROM recruit GROUP BY site");
            Map<String, Long> randomised = counts(h, "SELECT site, count(*) FROM allocation GROUP BY site");
            List<SiteSummary> sites = trial.definition().sites().stream()
                    .map(s -> new SiteSummary(s.code(), s.name(), s.areas().stream().map(TrialDefinition.Area::name).toList(),
                            byRole(users, s.code()), recruits.getOrDefault(s.code(), 0L), randomised.getOrDefault(s.code(), 0L)))
                    .toList();
            return new SiteSummaries(sites, byRole(users, null));
        });
    }

    private static Map<String, Long> counts(org.jdbi.v3.core.Handle h, String sql) {
        return h.createQuery(sql).map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2))).list().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private static Map<String, List<SiteUser>> byRole(List<UserAtSite> users, String site) {
        return users.stream().filter(u -> java.util.Objects.equals(u.site(), site))
                .collect(Collectors.groupingBy(UserAtSite::role, TreeMap::new,
                        Collectors.mapping(u -> new SiteUser(u.username(), u.disabled()), Collectors.toList())));
    }
}
