package org.ipstrial.api.resources;

import io.dropwizard.auth.Auth;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.ipstrial.api.api.RecruitRequests;
import org.ipstrial.api.api.UserAccount;
import org.ipstrial.api.auth.Role;
import org.ipstrial.api.auth.TrialUser;
import org.ipstrial.api.auth.UserService;
import org.ipstrial.api.core.errors.InvalidRequest;

/** The admin's user management. */
@Path("/users")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.ADMIN)
@Tag(name = "users")
public final class UserResource {
    private final UserService users;

    public UserResource(UserService users) {
        this.users = users;
    }

    /** Answers carrying a one-time code are never kept by a browser or proxy cache. */
    private static Response.ResponseBuilder shownOnce(Response.ResponseBuilder answer) {
        return answer.header("Cache-Control", "no-store");
    }

    @GET
    @Operation(summary = "Every user: role, site, disabled, locked out, awaiting a password change, last login")
    public List<UserAccount> list() {
        return users.list();
    }

    @POST
    @Operation(summary = "Create a user with a role (and a site, for a specialist): the answer carries a one-time code, "
            + "shown this once, with which the user signs in and then chooses a password",
            responses = @ApiResponse(responseCode = "201", description = "The user created and their one-time code",
                    content = @Content(mediaType = "application/json", schema = @Schema(implementation = UserService.OneTimeCode.class))))
    public Response create(@Parameter(hidden = true) @Auth TrialUser admin, RecruitRequests.NewUser request) {
        if (request == null) {
            throw InvalidRequest.field("body", "is required");
        }
        return shownOnce(Response.status(201).entity(users.create(admin, request.username(), request.role(), request.site()))).build();
    }

    @PUT
    @Path("/{username}/disabled")
    @Operation(summary = "Disable or enable a user (disabling ends their sessions; the last active admin cannot be disabled)",
            responses = @ApiResponse(responseCode = "204", description = "Done"))
    public Response disable(@Parameter(hidden = true) @Auth TrialUser admin, @PathParam("username") String username,
            RecruitRequests.Disable request) {
        if (request == null || request.disabled() == null) {
            throw InvalidRequest.field("disabled", "is required: true to disable, false to enable");
        }
        users.setDisabled(admin, username, request.disabled());
        return Response.noContent().build();
    }

    @PUT
    @Path("/{username}/site")
    @Operation(summary = "Assign a user's site (one site a user; ends their sessions)",
            responses = @ApiResponse(responseCode = "204", description = "Done"))
    public Response site(@Parameter(hidden = true) @Auth TrialUser admin, @PathParam("username") String username,
            RecruitRequests.SiteAssignment request) {
        users.assignSite(admin, username, request == null ? null : request.site());
        return Response.noContent().build();
    }

    @PUT
    @Path("/{username}/role")
    @Operation(summary = "Change a user's role and site (ends their sessions; the last active admin keeps the admin role)",
            responses = @ApiResponse(responseCode = "204", description = "Done"))
    public Response role(@Parameter(hidden = true) @Auth TrialUser admin, @PathParam("username") String username,
            RecruitRequests.RoleChange request) {
        users.changeRole(admin, username, request == null ? null : request.role(), request == null ? null : request.site());
        return Response.noContent().build();
    }

    @POST
    @Path("/{username}/unlock")
    @Operation(summary = "End a lock-out after failed logins now",
            responses = @ApiResponse(responseCode = "204", description = "Done"))
    public Response unlock(@Parameter(hidden = true) @Auth TrialUser admin, @PathParam("username") String username) {
        users.unlock(admin, username);
        return Response.noContent().build();
    }

    @POST
    @Path("/{username}/password-reset")
    @Operation(summary = "Reset a user's password: their sessions and any lock-out end, and the answer carries a one-time code, "
            + "shown this once, with which they sign in and must then choose a new password",
            responses = @ApiResponse(responseCode = "200", description = "The one-time code and until when it works",
                    content = @Content(mediaType = "application/json", schema = @Schema(implementation = UserService.OneTimeCode.class))))
    public Response passwordReset(@Parameter(hidden = true) @Auth TrialUser admin, @PathParam("username") String username) {
        return shownOnce(Response.ok(users.resetPassword(admin, username))).build();
    }
}
