package dev.junction.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.junction.testing.ApiTestSupport;
import dev.junction.testing.Commands;
import dev.junction.testing.KernelTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.List;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The OpenAPI document, the Prometheus metrics and the health checks. */
@QuarkusTest
@QuarkusTestResource(KernelTestResource.class)
class ObservabilityTest extends ApiTestSupport {

    private static JsonNode openApi() throws Exception {
        return Commands.JSON.readTree(get("/q/openapi?format=json").then().statusCode(200).extract().asString());
    }

    /** Fails when a resource method has no operation in the OpenAPI document, or lacks its documented responses. */
    @Test
    void openApiDescribesEveryOperation() throws Exception {
        JsonNode paths = openApi().path("paths");
        int operations = 0;
        for (Class<?> resource : List.of(NetworksResource.class, ServicesResource.class)) {
            String base = resource.getAnnotation(Path.class).value();
            for (Method method : resource.getDeclaredMethods()) {
                String verb = method.isAnnotationPresent(GET.class) ? "get"
                        : method.isAnnotationPresent(POST.class) ? "post"
                        : method.isAnnotationPresent(DELETE.class) ? "delete" : null;
                if (verb == null) {
                    continue;
                }
                Path sub = method.getAnnotation(Path.class);
                String path = sub == null ? base : base + "/" + sub.value();
                JsonNode operation = paths.path(path).path(verb);
                assertFalse(operation.isMissingNode(), verb + " " + path + " (" + method.getName() + ") is missing from /q/openapi");
                assertFalse(operation.path("summary").asText().isEmpty(), verb + " " + path + " has no summary");
                assertFalse(operation.path("description").asText().isEmpty(), verb + " " + path + " has no description");
                assertTrue(operation.path("responses").has("200"), verb + " " + path + " documents no 200");
                assertTrue(operation.path("responses").has("400"), verb + " " + path + " documents no 400");
                assertTrue(operation.path("responses").path("400").toString().contains("ErrorBody"),
                        verb + " " + path + " does not describe the error body");
                operations++;
            }
        }
        assertEquals(17, operations, "operations of the networking API");
    }

    @Test
    void openApiDescribesErrorBodyAndOptionKeys() throws Exception {
        JsonNode schemas = openApi().path("components").path("schemas");
        assertTrue(schemas.path("ErrorBody").path("properties").has("message"));
        String options = schemas.path("NetworkCreate").path("properties").path("options").path("description").asText();
        for (String key : List.of("subnet", "gateway", "mtu", "internal", "enable_icc")) {
            assertTrue(options.contains(key), "option " + key + " is not described: " + options);
        }
    }

    @Test
    void metricsCountOperationsAndObjects() {
        String id = createNetwork(unique("metrics"));
        get("/networks/no-such-network");
        String metrics = get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("junction_api_requests_seconds_count{operation=\"createNetwork\",outcome=\"success\"}"), metrics);
        assertTrue(metrics.contains("junction_api_requests_seconds_count{operation=\"getNetwork\",outcome=\"client_error\"}"), metrics);
        assertTrue(metrics.contains("junction_networks "), metrics);
        assertTrue(metrics.contains("junction_endpoints "), metrics);
        assertTrue(metrics.contains("junction_sandboxes "), metrics);
        assertTrue(metrics.contains("junction_network_addresses_allocated{network=\"" + get("/networks/" + id).jsonPath().getString("name")
                + "\",network_id=\"" + id + "\"} 1.0"), metrics);
    }

    @Test
    void kernelErrorsAreCountedByErrno() {
        String network = createNetwork(unique("kerr"));
        String endpoint = createEndpoint(network, "ep");
        String veth = "jv-" + endpoint.substring(0, 12);
        host().exec("ip", "link", "add", veth, "type", "veth", "peer", "name", "jt-kerr").check(List.of("ip link add"));
        try {
            post("/networks/" + network + "/endpoints/" + endpoint + "/containers", "{\"container_id\":\"c-kerr\"}").then().statusCode(500);
        } finally {
            host().exec("ip", "link", "delete", veth);
        }
        get("/q/metrics").then().body(containsString("junction_kernel_errors_total{errno=\"EEXIST\",operation=\"RTM_NEWLINK\"}"));
    }

    @Test
    void readinessCountsAreCurrent() {
        createNetwork(unique("count"));
        int networks = get("/networks").jsonPath().getList("$").size();
        get("/q/health/ready").then().body("checks[0].data.networks", equalTo(networks));
    }

    @Test
    void healthReportsReadiness() {
        get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks[0].data.netlink", equalTo("answers"))
                .body("checks[0].data.stateDirectory", containsString("is writable"));
    }
}
