package org.ipstrial.api.resources;

import io.dropwizard.auth.Auth;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Optional;
import org.ipstrial.api.api.RecruitRequests;
import org.ipstrial.api.api.RecruitViews;
import org.ipstrial.api.auth.Role;
import org.ipstrial.api.auth.TrialUser;
import org.ipstrial.api.core.errors.InvalidRequest;
import org.ipstrial.api.core.recruitment.RandomisationService;

/** Randomise a ready recruit. Send an Idempotency-Key: a retry with it returns the same allocation. */
@Path("/randomisations")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "randomisation")
public final class RandomisationResource {
    private final RandomisationService randomisation;

    public RandomisationResource(RandomisationService randomisation) {
        this.randomisation = randomisation;
    }

    @POST
    @RolesAllowed(Role.SPECIALIST)
    @Operation(summary = "Randomise: the arm in neutral words and the next step")
    public RecruitViews.Allocated randomise(@Parameter(hidden = true) @Auth TrialUser user,
            @HeaderParam("Idempotency-Key") String idempotencyKey, RecruitRequests.Randomise request) {
        if (request == null) {
            throw InvalidRequest.field("participantId", "is required");
        }
        return randomisation.randomise(user, request.participantId(), Optional.ofNullable(idempotencyKey));
    }
}
