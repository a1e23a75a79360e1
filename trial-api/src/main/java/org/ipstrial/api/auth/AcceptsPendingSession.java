package org.ipstrial.api.auth;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A resource method that reads the session token itself, because it also serves a sign-in not
 * yet complete (the second factor's code, an enrolment the role requires), which the
 * {@link SessionAuthFilter} refuses everywhere else. Without a live session it answers 401
 * not_authenticated as the filter does. The OpenAPI document reads this to say so.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface AcceptsPendingSession {}
