package org.ipstrial.api.resources.errors;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.ipstrial.api.api.ErrorBody;

/** Framework refusals (404 no such path, 405, 406, 415, 403 wrong role, 401...) in the same JSON shape. */
public final class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {
    @Override
    public Response toResponse(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return InternalErrorMapper.internalError(e);
        }
        String code = switch (status) {
            case 400 -> "bad_request";
            case 401 -> "not_authenticated";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 413 -> "too_large";
            case 415 -> "unsupported_media_type";
            default -> "client_error";
        };
        String message = switch (status) {
            case 401 -> "Log in first: this needs a valid session.";
            case 403 -> "Your role does not allow this.";
            case 404 -> "There is nothing here.";
            case 415 -> "Send the body as application/json.";
            default -> e.getResponse().getStatusInfo().getReasonPhrase();
        };
        Response.ResponseBuilder builder = Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ErrorBody.of(code, message));
        e.getResponse().getHeaders().forEach((name, values) -> {
            if (name.equalsIgnoreCase("WWW-Authenticate") || name.equalsIgnoreCase("Allow")) {
                values.forEach(v -> builder.header(name, v));
            }
        });
        return builder.build();
    }
}
