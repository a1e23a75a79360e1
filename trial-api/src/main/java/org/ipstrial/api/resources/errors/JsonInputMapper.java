package org.ipstrial.api.resources.errors;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.List;
import java.util.stream.Collectors;
import org.ipstrial.api.api.ErrorBody;

/**
 * A body that is not the JSON the endpoint takes: 400, naming the field. The value is never
 * echoed (it may be a National Insurance number typed into the wrong box).
 */
public final class JsonInputMapper implements ExceptionMapper<JsonProcessingException> {
    @Override
    public Response toResponse(JsonProcessingException e) {
        ErrorBody body;
        if (e instanceof JsonMappingException m && !(e instanceof JsonParseException)) {
            String field = m.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            String problem;
            if (e instanceof UnrecognizedPropertyException) {
                problem = "is not a field of this request";
            } else if (e instanceof InvalidFormatException f) {
                problem = "must be " + describe(f.getTargetType());
            } else if (e instanceof MismatchedInputException f && f.getTargetType() != null) {
                problem = "must be " + describe(f.getTargetType());
            } else {
                problem = "cannot be read";
            }
            body = new ErrorBody("invalid_json", "The request body does not have the expected shape.",
                    List.of(new ErrorBody.FieldError(field.isEmpty() ? "body" : field, problem)));
        } else {
            body = ErrorBody.of("malformed_json", "The request body is not valid JSON.");
        }
        return Response.status(400).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "a value of the right type";
        }
        if (Number.class.isAssignableFrom(type) || type == int.class || type == long.class || type == double.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "text";
        }
        if (type == java.time.LocalDate.class) {
            return "a date as YYYY-MM-DD";
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (java.util.Map.class.isAssignableFrom(type)) {
            return "an object";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.toString(type.getEnumConstants());
        }
        return "an object";
    }
}
