package dev.junction.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriBuilder;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Adjusts requests before they are matched to a resource: strips a {@code /v1.0}-style version
 * prefix (any version is accepted), collapses repeated slashes as the spec's own examples
 * contain them, and reads every API body as JSON whatever Content-Type the client sent, since
 * {@code curl -d} sends a form type.
 */
public class RequestNormalizer {

    private static final Pattern VERSION_PREFIX = Pattern.compile("^/v[0-9]+\\.[0-9]+(/.*)?$");
    private static final Pattern REPEATED_SLASHES = Pattern.compile("/{2,}");

    @ServerRequestFilter(preMatching = true)
    public void normalize(ContainerRequestContext request) {
        String path = request.getUriInfo().getRequestUri().getRawPath();
        String normalized = REPEATED_SLASHES.matcher(path).replaceAll("/");
        Matcher version = VERSION_PREFIX.matcher(normalized);
        if (version.matches()) {
            normalized = version.group(1) == null ? "/" : version.group(1);
        }
        if (!normalized.equals(path)) {
            request.setRequestUri(UriBuilder.fromUri(request.getUriInfo().getRequestUri()).replacePath(normalized).build());
        }
        if (normalized.startsWith("/networks") || normalized.startsWith("/services")) {
            request.getHeaders().putSingle(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON);
            request.getHeaders().putSingle(HttpHeaders.ACCEPT, MediaType.APPLICATION_JSON);
        }
    }
}
