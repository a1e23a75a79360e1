package org.ipstrial.api.auth;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.ipstrial.api.api.ErrorBody;

/**
 * A user who signed in with a one-time code (a new user, or after an admin's password reset) must
 * choose a password before anything else: every call answers 403 {@code password_change_required}
 * but those marked {@link Allowed} (the password change itself, who am I, log out). It runs after
 * the session is found and before roles are checked, and it is the only place that knows the rule,
 * so the login flow stays as it is.
 */
public final class PasswordChangeGate implements DynamicFeature {
    /** A call a user awaiting a password change may still make. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    public @interface Allowed {}

    @Override
    public void configure(ResourceInfo resource, FeatureContext context) {
        if (!resource.getResourceMethod().isAnnotationPresent(Allowed.class)) {
            context.register(Filter.class);
        }
    }

    @Priority(Priorities.AUTHENTICATION + 500)
    public static final class Filter implements ContainerRequestFilter {
        @Override
        public void filter(ContainerRequestContext request) {
            if (request.getSecurityContext().getUserPrincipal() instanceof TrialUser user && user.passwordChangeRequired()) {
                request.abortWith(Response.status(403).type(MediaType.APPLICATION_JSON_TYPE)
                        .entity(ErrorBody.of("password_change_required",
                                "Choose a new password first (POST /api/v1/session/password): you signed in with a one-time code."))
                        .build());
            }
        }
    }
}
