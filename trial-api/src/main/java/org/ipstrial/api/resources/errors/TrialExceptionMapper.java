package org.ipstrial.api.resources.errors;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.ipstrial.api.api.ErrorBody;
import org.ipstrial.api.core.errors.TrialException;

/** The service's own refusals: status, code, message and field errors as the exception says. */
public final class TrialExceptionMapper implements ExceptionMapper<TrialException> {
    @Override
    public Response toResponse(TrialException e) {
        return Response.status(e.status()).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorBody(e.code(), e.getMessage(), e.fieldErrors())).build();
    }
}
