package org.ipstrial.api.resources;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.ipstrial.api.auth.Role;
import org.ipstrial.api.core.sites.SiteOverview;

/** The admin's sites page: each site's users by role and its recruit counts. */
@Path("/sites")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.ADMIN)
@Tag(name = "users")
public final class SiteResource {
    private final SiteOverview sites;

    public SiteResource(SiteOverview sites) {
        this.sites = sites;
    }

    @GET
    @Operation(summary = "The trial's sites (from the trial definition) with their users by role and recruit counts")
    public SiteOverview.SiteSummaries list() {
        return sites.list();
    }
}
