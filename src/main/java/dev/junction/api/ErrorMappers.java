package dev.junction.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.junction.core.JunctionException;
import dev.junction.core.Metrics;
import dev.junction.kernel.KernelException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns every failure into the error contract: a status code and {@code {"message": "..."}}.
 * Client errors are logged at debug without a stack trace. Anything else is a bug or a kernel
 * failure, logged with its stack trace and returned as 500.
 */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);
    private static final Pattern COERCED_VALUE = Pattern.compile("value \\((.{1,80}?)\\) to ");
    private static final Pattern GIVEN_SHAPE = Pattern.compile("from (Array|Object|String|Boolean|Integer|Floating-point) value");
    private static final Pattern JACKSON_LOCATION = Pattern.compile("\\[Source: .*?; line: (\\d+), column: (\\d+)]");

    private final Metrics metrics;

    ErrorMappers(Metrics metrics) {
        this.metrics = metrics;
    }

    @ServerExceptionMapper
    public Response junction(JunctionException e) {
        Response.Status status = switch (e.reason()) {
            case INVALID -> Response.Status.BAD_REQUEST;
            case NOT_FOUND -> Response.Status.NOT_FOUND;
            case CONFLICT -> Response.Status.CONFLICT;
            case FORBIDDEN -> Response.Status.FORBIDDEN;
            case UNAVAILABLE -> Response.Status.SERVICE_UNAVAILABLE;
        };
        LOG.debugf("Rejected request (%d): %s", status.getStatusCode(), e.getMessage());
        return error(status.getStatusCode(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response kernel(KernelException e) {
        metrics.kernelError(e);
        LOG.errorf(e, "Kernel operation failed: %s", e.getMessage());
        return error(500, "kernel operation failed: " + e.getMessage());
    }

    @ServerExceptionMapper
    public Response violation(ConstraintViolationException e) {
        List<String> problems = new ArrayList<>();
        for (ConstraintViolation<?> violation : e.getConstraintViolations()) {
            String field = jsonPath(violation.getPropertyPath());
            Object value = violation.getInvalidValue();
            String rejectedValue = value instanceof String text ? " (got \"" + text + "\")" : "";
            problems.add(field + " " + violation.getMessage() + rejectedValue);
        }
        return error(400, "invalid request: " + String.join("; ", new TreeSet<>(problems)));
    }

    @ServerExceptionMapper(priority = 1)
    public Response malformed(StreamReadException e) {
        String field = null;
        if (e.getProcessor() instanceof JsonParser parser) {
            try {
                field = parser.currentName();
            } catch (IOException ignored) {
                // The position is enough without the field name.
            }
        }
        String location = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr();
        String kind = e instanceof JsonParseException && !(e instanceof InputCoercionException) ? "malformed JSON" : "invalid value";
        return error(400, kind + location + (field == null ? "" : " (field " + field + ")") + ": " + parserMessage(e));
    }

    @ServerExceptionMapper(priority = 1)
    public Response mismatched(MismatchedInputException e) {
        String field = jsonPath(e.getPath());
        String expected = describe(e.getTargetType());
        if (field.isEmpty()) {
            return error(400, "invalid request body: expected a JSON object");
        }
        if (e instanceof InvalidFormatException format) {
            return error(400, "invalid value for " + field + ": " + quoted(format.getValue()) + " is not " + expected);
        }
        String rejectedValue = givenValue(e);
        if (rejectedValue == null) {
            return error(400, "invalid value for " + field + ": expected " + expected);
        }
        return error(400, "invalid value for " + field + ": " + rejectedValue + " is not " + expected);
    }

    @ServerExceptionMapper(priority = 1)
    public Response mapping(JsonMappingException e) {
        String field = jsonPath(e.getPath());
        return error(400, "invalid request body" + (field.isEmpty() ? "" : " at " + field) + ": " + parserMessage(e));
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e, UriInfo uri) {
        return error(404, "no API path " + uri.getPath() + "; see the networking API for the paths served");
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e, UriInfo uri) {
        String allowed = allowedMethods(uri.getPath());
        return Response.status(405)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.ALLOW, allowed)
                .entity(new Views.ErrorBody("method not allowed on " + uri.getPath() + "; allowed: " + allowed))
                .build();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        if (e.getCause() instanceof StreamReadException parse) {
            return malformed(parse);
        }
        if (e.getCause() instanceof MismatchedInputException mismatch) {
            return mismatched(mismatch);
        }
        if (e.getCause() instanceof JsonMappingException mapping) {
            return mapping(mapping);
        }
        if (e.getCause() instanceof JsonProcessingException json) {
            return error(400, "invalid request body: " + parserMessage(json));
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.errorf(e, "Request failed: %s", e.getMessage());
        }
        String message = e.getMessage() == null || e.getMessage().isEmpty()
                ? Response.Status.fromStatusCode(status) == null ? "request failed" : Response.Status.fromStatusCode(status).getReasonPhrase().toLowerCase(Locale.ROOT)
                : e.getMessage();
        return error(status, message);
    }

    /** Maps a failed body read: the body grew past the size limit (Vert.x then sends its own 413), or the client went away. */
    @ServerExceptionMapper
    public Response unreadable(IOException e) {
        if ("Request too large".equals(e.getMessage())) {
            LOG.debugf("Rejected a request body over the size limit");
            return error(413, "request body exceeds the limit of 1 MiB");
        }
        LOG.debugf("Cannot read a request body: %s", e.getMessage());
        return error(400, "cannot read the request body: " + e.getMessage());
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        LOG.errorf(e, "Unexpected failure: %s", e.getMessage());
        return error(500, "internal error: " + e);
    }

    /** The methods of each API path, for the Allow header of a 405; the resources define the same table. */
    private static final List<Map.Entry<Pattern, String>> ROUTES = List.of(
            Map.entry(Pattern.compile("/networks/?"), "GET, POST"),
            Map.entry(Pattern.compile("/networks/[^/]+/?"), "DELETE, GET"),
            Map.entry(Pattern.compile("/networks/[^/]+/endpoints/?"), "GET, POST"),
            Map.entry(Pattern.compile("/networks/[^/]+/endpoints/[^/]+/?"), "DELETE, GET"),
            Map.entry(Pattern.compile("/networks/[^/]+/endpoints/[^/]+/containers/?"), "POST"),
            Map.entry(Pattern.compile("/networks/[^/]+/endpoints/[^/]+/containers/[^/]+/?"), "DELETE"),
            Map.entry(Pattern.compile("/services/?"), "GET, POST"),
            Map.entry(Pattern.compile("/services/[^/]+/?"), "DELETE, GET"),
            Map.entry(Pattern.compile("/services/[^/]+/backend/?"), "GET, POST"),
            Map.entry(Pattern.compile("/services/[^/]+/backend/[^/]+/?"), "DELETE"));

    private static String allowedMethods(String path) {
        for (Map.Entry<Pattern, String> route : ROUTES) {
            if (route.getKey().matcher(path).matches()) {
                return route.getValue();
            }
        }
        return "GET";
    }

    static Response error(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(new Views.ErrorBody(message)).build();
    }

    /** Returns a bean-validation path in JSON terms, such as {@code port_mapping[1].host_port}. */
    private static String jsonPath(Path path) {
        StringBuilder text = new StringBuilder();
        Iterator<Path.Node> nodes = path.iterator();
        int depth = 0;
        while (nodes.hasNext()) {
            Path.Node node = nodes.next();
            depth++;
            // The first two nodes name the resource method and its parameter.
            if (depth <= 2 || node.getName() == null || node.getName().startsWith("<")) {
                if (node.getIndex() != null && !text.isEmpty()) {
                    text.append('[').append(node.getIndex()).append(']');
                }
                continue;
            }
            if (node.getIndex() != null && !text.isEmpty()) {
                text.append('[').append(node.getIndex()).append(']');
            }
            if (!text.isEmpty()) {
                text.append('.');
            }
            text.append(snakeCase(node.getName()));
        }
        return text.toString();
    }

    private static String jsonPath(List<JsonMappingException.Reference> path) {
        StringBuilder text = new StringBuilder();
        for (JsonMappingException.Reference reference : path) {
            if (reference.getFieldName() != null) {
                if (!text.isEmpty()) {
                    text.append('.');
                }
                text.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                text.append('[').append(reference.getIndex()).append(']');
            }
        }
        return text.toString();
    }

    private static String snakeCase(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "a value of another type";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Integer.class || type == int.class || type == Long.class) {
            return "an integer";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (List.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "an object";
        }
        return "a " + type.getSimpleName();
    }

    /**
     * Returns the rejected JSON value, such as {@code "tcp"}, from Jackson's coercion message
     * ({@code Cannot coerce String value ("tcp") to ...}), or null when the message has none.
     */
    /**
     * Returns Jackson's message with each embedded location, such as {@code [Source: REDACTED ...; line: 1, column: 1]},
     * shortened to {@code line 1, column 1}.
     */
    private static String parserMessage(JsonProcessingException e) {
        return JACKSON_LOCATION.matcher(String.valueOf(e.getOriginalMessage())).replaceAll("line $1, column $2");
    }

    private static String givenValue(MismatchedInputException e) {
        String message = String.valueOf(e.getOriginalMessage());
        Matcher value = COERCED_VALUE.matcher(message);
        if (value.find()) {
            return value.group(1);
        }
        Matcher shape = GIVEN_SHAPE.matcher(message);
        if (shape.find()) {
            return switch (shape.group(1)) {
                case "Array" -> "an array";
                case "Object" -> "an object";
                case "String" -> "a string";
                case "Boolean" -> "true or false";
                default -> "a number";
            };
        }
        return null;
    }

    private static String quoted(Object value) {
        return value instanceof String text ? "\"" + text + "\"" : String.valueOf(value);
    }
}
