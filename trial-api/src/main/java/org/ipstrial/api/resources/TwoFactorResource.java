package org.ipstrial.api.resources;

import io.dropwizard.auth.Auth;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.ipstrial.api.api.TwoFactorViews;
import org.ipstrial.api.auth.AcceptsPendingSession;
import org.ipstrial.api.auth.Role;
import org.ipstrial.api.auth.SessionAuthFilter;
import org.ipstrial.api.auth.TrialUser;
import org.ipstrial.api.auth.TwoFactorService;

/**
 * The signed-in user's second factor (enrolment: any role; required for some, see
 * docs/security.md#two-factor-sign-in), and the admin's reset of someone's.
 */
@Path("/two-factor")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "two-factor")
public final class TwoFactorResource {
    private final TwoFactorService twoFactor;

    public TwoFactorResource(TwoFactorService twoFactor) {
        this.twoFactor = twoFactor;
    }

    @GET
    @AcceptsPendingSession
    @Operation(summary = "Whether you have a second factor, whether your role requires one, and how many recovery codes are left "
            + "(also for a sign-in that must enrol first)")
    public TwoFactorViews.TwoFactorStatus status(@Context ContainerRequestContext request) {
        return twoFactor.status(twoFactor.enrollingUser(token(request)));
    }

    @POST
    @Path("enrolment")
    @AcceptsPendingSession
    @Operation(summary = "Start an enrolment: a new secret for your authenticator app, as a QR code, its otpauth:// URI and base32 text; "
            + "again to replace one not yet confirmed",
            responses = @ApiResponse(responseCode = "200", description = "Shown once: the secret is kept only encrypted",
                    content = @Content(mediaType = "application/json", schema = @Schema(implementation = TwoFactorViews.TwoFactorEnrolment.class))))
    public TwoFactorViews.TwoFactorEnrolment start(@Context ContainerRequestContext request) {
        return twoFactor.start(twoFactor.enrollingUser(token(request)));
    }

    @POST
    @Path("enrolment/confirmation")
    @AcceptsPendingSession
    @Operation(summary = "Confirm the enrolment with the app's first code: sign-in asks for a code from now on; "
            + "the answer holds ten recovery codes, shown this once",
            responses = @ApiResponse(responseCode = "200", description = "The recovery codes, each usable once instead of a code",
                    content = @Content(mediaType = "application/json", schema = @Schema(implementation = TwoFactorViews.RecoveryCodes.class))))
    public TwoFactorViews.RecoveryCodes confirm(TwoFactorViews.SecondFactorCode body, @Context ContainerRequestContext request) {
        String token = token(request);
        TrialUser user = twoFactor.enrollingUser(token);
        return twoFactor.confirm(user, token, body == null ? null : body.code());
    }

    @DELETE
    @Path("users/{username}")
    @RolesAllowed(Role.ADMIN)
    @Operation(summary = "Reset a user's second factor (a lost phone): it and the recovery codes are removed and the user's sessions end; "
            + "the user enrols again at the next sign-in if the role requires it",
            responses = @ApiResponse(responseCode = "204", description = "Reset"))
    public Response reset(@Parameter(hidden = true) @Auth TrialUser admin, @PathParam("username") String username) {
        twoFactor.reset(admin, username);
        return Response.noContent().build();
    }

    static String token(ContainerRequestContext request) {
        return SessionAuthFilter.tokenOf(request).orElse(null);
    }
}
