package dev.junction.api;

import dev.junction.core.JunctionException;
import dev.junction.core.Names;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one filter a list request may carry, such as {@code ?name=foo}. Unknown filters, repeated
 * filters, empty values and two filters at once are rejected (400), as libnetwork did.
 */
record QueryFilter(String key, String value) {

    static final String NAME = "name";
    static final String PARTIAL_ID = "partial-id";
    static final String NETWORK = "network";

    static final QueryFilter NONE = new QueryFilter(null, null);

    static QueryFilter parse(UriInfo uri, Set<String> allowed) {
        MultivaluedMap<String, String> parameters = uri.getQueryParameters();
        for (String key : parameters.keySet()) {
            if (!allowed.contains(key)) {
                throw JunctionException.invalid("unknown filter \"%s\"; known filters: %s", key, String.join(", ", new TreeSet<>(allowed)));
            }
            List<String> values = parameters.get(key);
            if (values.size() > 1) {
                throw JunctionException.invalid("filter %s is given %d times; give it once", key, values.size());
            }
            if (values.getFirst() == null || values.getFirst().isEmpty()) {
                throw JunctionException.invalid("filter %s has an empty value", key);
            }
        }
        if (parameters.size() > 1) {
            throw JunctionException.invalid("only one filter can be given at a time, got %s", String.join(", ", new TreeSet<>(parameters.keySet())));
        }
        if (parameters.isEmpty()) {
            return NONE;
        }
        String key = parameters.keySet().iterator().next();
        return new QueryFilter(key, parameters.getFirst(key));
    }

    /** Reports whether an object with this name and ID passes a {@code name} or {@code partial-id} filter. */
    boolean matches(String name, String id) {
        if (key == null) {
            return true;
        }
        return switch (key) {
            case NAME -> Names.key(name).equals(Names.key(value));
            case PARTIAL_ID -> id.startsWith(value);
            default -> true;
        };
    }
}
