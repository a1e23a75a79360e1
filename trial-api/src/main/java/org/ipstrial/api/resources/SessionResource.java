package org.ipstrial.api.resources;

import io.dropwizard.auth.Auth;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import org.ipstrial.api.SecuritySettings;
import org.ipstrial.api.api.RecruitRequests;
import org.ipstrial.api.auth.PasswordChangeGate;
import org.ipstrial.api.api.TwoFactorViews;
import org.ipstrial.api.auth.AcceptsPendingSession;
import org.ipstrial.api.auth.SessionAuthFilter;
import org.ipstrial.api.auth.TwoFactorService;
import org.ipstrial.api.auth.TrialUser;
import org.ipstrial.api.auth.UserService;

/** Log in and out. The token comes back in the body (programs) and as an HttpOnly cookie (pages). */
@Path("/session")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "session")
public final class SessionResource {
    private final UserService users;
    private final TwoFactorService twoFactor;
    private final SecuritySettings.SecureCookie secureCookie;

    public SessionResource(UserService users, TwoFactorService twoFactor, SecuritySettings.SecureCookie secureCookie) {
        this.users = users;
        this.twoFactor = twoFactor;
        this.secureCookie = secureCookie;
    }

    /** Whether the session cookie carries the Secure flag for a request to this host (see {@link SecuritySettings}). */
    static boolean secure(SecuritySettings.SecureCookie policy, String host) {
        return switch (policy) {
            case always -> true;
            case never -> false;
            case auto -> !isLoopback(host);
        };
    }

    /** A loopback name or address literal; never a DNS lookup (a name is judged by its text alone). */
    static boolean isLoopback(String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        String h = host.toLowerCase(java.util.Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.equals("localhost") || h.endsWith(".localhost")) {
            return true;
        }
        if (h.matches("\\d{1,3}(\\.\\d{1,3}){3}") || h.contains(":")) {
            try {
                return java.net.InetAddress.getByName(h).isLoopbackAddress(); // a literal: parsed, not looked up
            } catch (java.net.UnknownHostException e) {
                return false;
            }
        }
        return false;
    }

    public record SessionView(String token, Instant expiresAt, String username, String role, String site,
            @Schema(description = "Absent when the session may be used. code: send the second factor's code to POST /session/code "
                    + "first; enrolment: the role requires a second factor and the user has none: only the /two-factor enrolment "
                    + "endpoints answer until it is confirmed", allowableValues = {"code", "enrolment"}) String pendingStep) {
        @Override
        public String toString() {
            return "SessionView[" + username + "]";
        }
    }

    public record Me(String username, String role, String site,
            @Schema(description = "Signed in with a one-time code: every call but this one, the password change and log-out "
                    + "answers 403 password_change_required until a new password is chosen") boolean passwordChangeRequired) {}

    @POST
    @Operation(summary = "Log in: a session token for a correct username and password (for a user with a second factor, usable "
            + "once its code is given: see pendingStep)",
            responses = @ApiResponse(responseCode = "200", description = "The session: its token (send as Authorization: Bearer), expiry and user; also set as an HttpOnly cookie",
                    content = @Content(mediaType = "application/json", schema = @Schema(implementation = SessionView.class))))
    public Response login(RecruitRequests.Login login, @Context UriInfo uri) {
        var session = users.login(login == null ? null : login.username(), login == null ? null : login.password());
        TrialUser user = session.user();
        NewCookie cookie = new NewCookie.Builder(SessionAuthFilter.COOKIE).value(session.token()).path("/")
                .httpOnly(true).secure(secure(secureCookie, uri.getBaseUri().getHost())).sameSite(NewCookie.SameSite.STRICT).maxAge((int) users.sessionLifetime().toSeconds())
                .build();
        return Response.ok(view(session)).cookie(cookie).build();
    }

    @POST
    @Path("code")
    @AcceptsPendingSession
    @Operation(summary = "The second step of a sign-in: the code from the authenticator app (or a recovery code, once each) "
            + "for the session the password opened",
            responses = @ApiResponse(responseCode = "200", description = "The session, usable from now on (the same token)",
                    content = @Content(mediaType = "application/json", schema = @Schema(implementation = SessionView.class))))
    public SessionView secondFactor(TwoFactorViews.SecondFactorCode body, @Context ContainerRequestContext request) {
        return view(twoFactor.completeSignIn(SessionAuthFilter.tokenOf(request).orElse(null), body == null ? null : body.code()));
    }

    private static SessionView view(UserService.NewSession session) {
        TrialUser user = session.user();
        return new SessionView(session.token(), session.expiresAt(), user.username(), user.role().name(), user.site().orElse(null),
                session.pending().map(Enum::name).orElse(null));
    }

    @GET
    @PermitAll
    @PasswordChangeGate.Allowed
    @Operation(summary = "Who is logged in")
    public Me me(@Parameter(hidden = true) @Auth TrialUser user) {
        return new Me(user.username(), user.role().name(), user.site().orElse(null), user.passwordChangeRequired());
    }

    @POST
    @Path("/password")
    @PermitAll
    @PasswordChangeGate.Allowed
    @Operation(summary = "Change your own password (after signing in with a one-time code, the code is the current password); "
            + "your other sessions end, this one goes on",
            responses = @ApiResponse(responseCode = "204", description = "Changed"))
    public Response changePassword(@Parameter(hidden = true) @Auth TrialUser user, RecruitRequests.PasswordChange change,
            @Context ContainerRequestContext request) {
        if (change == null) {
            throw org.ipstrial.api.core.errors.InvalidRequest.field("body", "is required");
        }
        String token = SessionAuthFilter.tokenOf(request).orElseThrow();
        users.changeOwnPassword(user, token, change.currentPassword(), change.newPassword());
        return Response.noContent().build();
    }

    @DELETE
    @AcceptsPendingSession
    @PasswordChangeGate.Allowed
    @Operation(summary = "Log out: the session ends, a sign-in still waiting for its second step included",
            responses = @ApiResponse(responseCode = "204", description = "Logged out; the cookie is cleared"))
    public Response logout(@Context ContainerRequestContext request) {
        if (!SessionAuthFilter.tokenOf(request).map(users::logout).orElse(false)) {
            throw org.ipstrial.api.core.errors.LoginRefused.notAuthenticated();
        }
        NewCookie expired = new NewCookie.Builder(SessionAuthFilter.COOKIE).value("").path("/").maxAge(0).httpOnly(true)
                .secure(secure(secureCookie, request.getUriInfo().getBaseUri().getHost())).sameSite(NewCookie.SameSite.STRICT).build();
        return Response.noContent().cookie(expired).build();
    }
}
