package dev.junction.api;

import dev.junction.core.Metrics;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;

/** Times every API request by operation (the resource method, such as {@code joinContainer}) and outcome. */
@Provider
public class OperationTimer implements ContainerRequestFilter, ContainerResponseFilter {

    private static final String START = "dev.junction.api.start";

    @Context
    ResourceInfo resource;

    private final Metrics metrics;

    OperationTimer(Metrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        request.setProperty(START, System.nanoTime());
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        Object start = request.getProperty(START);
        if (!(start instanceof Long started)) {
            return;
        }
        String operation = resource == null || resource.getResourceMethod() == null ? "unmatched" : resource.getResourceMethod().getName();
        int status = response.getStatus();
        String outcome = "success";
        if (status >= 500) {
            outcome = "server_error";
        } else if (status >= 400) {
            outcome = "client_error";
        }
        metrics.recordOperation(operation, outcome, System.nanoTime() - started);
    }
}
