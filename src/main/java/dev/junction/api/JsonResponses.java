package dev.junction.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Success responses whose body the networking API fixes: a JSON string, or nothing. */
final class JsonResponses {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonResponses() {
    }

    /** Returns 200 with {@code value} as a JSON string, the body of creates and joins. */
    static Response string(String value) {
        try {
            return Response.ok(MAPPER.writeValueAsString(value), MediaType.APPLICATION_JSON_TYPE).build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Returns 200 with an empty body, the response to deletes. */
    static Response empty() {
        return Response.ok().build();
    }
}
