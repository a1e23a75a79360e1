package org.ipstrial.api.resources;

import io.dropwizard.auth.Auth;
import io.swagger.v3.oas.annotations.Operation;
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
import java.time.Instant;
import org.ipstrial.api.api.RecruitRequests;
import org.ipstrial.api.auth.SessionAuthFilter;
import org.ipstrial.api.auth.TrialUser;
import org.ipstrial.api.auth.UserService;

/** Log in and out. The token comes back in the body (programs) and as an HttpOnly cookie (pages). */
@Path("/session")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "session")
public final class SessionResource {
    private final UserService users;

    public SessionResource(UserService users) {
        this.users = users;
    }

    public record SessionView(String token, Instant expiresAt, String username, String role, String site) {
        @Override
        public String toString() {
            return "SessionView[" + username + "]";
        }
    }

    public record Me(String username, String role, String site) {}

    @POST
    @Operation(summary = "Log in: a session token for a correct username and password")
    public Response login(RecruitRequests.Login login) {
        var session = users.login(login == null ? null : login.username(), login == null ? null : login.password());
        TrialUser user = session.user();
        NewCookie cookie = new NewCookie.Builder(SessionAuthFilter.COOKIE).value(session.token()).path("/")
                .httpOnly(true).sameSite(NewCookie.SameSite.STRICT).maxAge((int) (session.expiresAt().getEpochSecond() - Instant.now().getEpochSecond()))
                .build();
        return Response.ok(new SessionView(session.token(), session.expiresAt(), user.username(), user.role().name(),
                user.site().orElse(null))).cookie(cookie).build();
    }

    @GET
    @PermitAll
    @Operation(summary = "Who is logged in")
    public Me me(@Parameter(hidden = true) @Auth TrialUser user) {
        return new Me(user.username(), user.role().name(), user.site().orElse(null));
    }

    @DELETE
    @PermitAll
    @Operation(summary = "Log out: the session ends")
    public Response logout(@Parameter(hidden = true) @Auth TrialUser user, @Context ContainerRequestContext request) {
        SessionAuthFilter.tokenOf(request).ifPresent(users::logout);
        NewCookie expired = new NewCookie.Builder(SessionAuthFilter.COOKIE).value("").path("/").maxAge(0).httpOnly(true).build();
        return Response.noContent().cookie(expired).build();
    }
}
