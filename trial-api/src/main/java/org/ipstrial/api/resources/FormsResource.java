package org.ipstrial.api.resources;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.ipstrial.api.api.RecruitViews;
import org.ipstrial.api.auth.Role;
import org.ipstrial.api.core.recruitment.RecruitmentService;

/** The screening questions, agreement statements and baseline items in force today. */
@Path("/forms")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "recruitment")
public final class FormsResource {
    private final RecruitmentService recruitment;

    public FormsResource(RecruitmentService recruitment) {
        this.recruitment = recruitment;
    }

    @GET
    @RolesAllowed({Role.SPECIALIST, Role.MANAGER})
    @Operation(summary = "The forms in force today")
    public RecruitViews.Forms forms() {
        return recruitment.forms();
    }
}
