package org.ipstrial.api.auth;

import io.dropwizard.auth.AuthFilter;
import io.dropwizard.auth.UnauthorizedHandler;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.ipstrial.api.api.ErrorBody;

/**
 * Finds the session token in {@code Authorization: Bearer ...} (programs) or in the
 * {@value #COOKIE} cookie (the pages), and refuses the request with 401 when it names no live
 * session. Roles are checked afterwards by {@code @RolesAllowed} (403).
 */
@Priority(Priorities.AUTHENTICATION)
public final class SessionAuthFilter extends AuthFilter<String, TrialUser> {
    public static final String COOKIE = "trial_session";

    private final UserService users;

    public SessionAuthFilter(UserService users) {
        this.users = users;
        this.authenticator = users::authenticate;
        this.prefix = "Bearer";
        this.realm = "trial";
        this.authorizer = (user, role, request) -> user.role().name().equals(role);
        this.unauthorizedHandler = new UnauthorizedHandler() {
            @Override
            public Response buildResponse(String prefix, String realm) {
                return Response.status(401)
                        .header(HttpHeaders.WWW_AUTHENTICATE, prefix + " realm=\"" + realm + "\"")
                        .type(MediaType.APPLICATION_JSON_TYPE)
                        .entity(ErrorBody.of("not_authenticated", "Log in first: this needs a valid session."))
                        .build();
            }
        };
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String token = tokenOf(request).orElse(null);
        if (!authenticate(request, token, "Bearer")) {
            // A sign-in that waits for its second step is told which (read only after a refusal).
            var pending = users.pendingStep(token);
            if (pending.isPresent()) {
                throw pending.get() == PendingStep.code ? TwoFactorService.secondFactorRequired() : TwoFactorService.enrolmentRequired();
            }
            throw new WebApplicationException(unauthorizedHandler.buildResponse(prefix, realm));
        }
    }

    public static Optional<String> tokenOf(ContainerRequestContext request) {
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.of(header.substring(7).trim());
        }
        Cookie cookie = request.getCookies().get(COOKIE);
        return cookie == null ? Optional.empty() : Optional.of(cookie.getValue());
    }
}
