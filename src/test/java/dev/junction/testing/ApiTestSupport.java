package dev.junction.testing;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static io.restassured.RestAssured.given;

/**
 * Helpers for tests that drive the API of the daemon started by {@code @QuarkusTest}. Every
 * network a test creates through {@link #createNetwork} is taken apart after the test, endpoints
 * and joins included, whether the test passed or not.
 */
public abstract class ApiTestSupport {

    private final List<String> createdNetworks = new ArrayList<>();

    protected static Path runRoot() {
        return Path.of(ConfigProvider.getConfig().getValue("junction.run-root", String.class));
    }

    /** The namespace that plays the part of the host; the test resource removes it at the end. */
    protected static TestNamespace host() {
        return TestNamespace.existing(Path.of(ConfigProvider.getConfig().getValue("junction.host-netns", String.class)));
    }

    protected static String unique(String prefix) {
        return prefix + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
    }

    protected static Response post(String path, String json) {
        return given().contentType(ContentType.JSON).body(json).when().post(path);
    }

    protected static Response get(String path) {
        return given().when().get(path);
    }

    protected static Response delete(String path) {
        return given().when().delete(path);
    }

    /** Creates a bridge network and returns its ID; {@code options} is a JSON object or null. */
    protected String createNetwork(String name, String options) {
        Response response = post("/networks", "{\"name\":\"" + name + "\",\"network_type\":\"\",\"options\":" + options + "}");
        if (response.statusCode() != 200) {
            throw new AssertionError("creating network " + name + " failed: " + response.statusCode() + " " + response.asString());
        }
        String id = response.as(String.class);
        createdNetworks.add(id);
        return id;
    }

    protected String createNetwork(String name) {
        return createNetwork(name, "{}");
    }

    /** Records a network created by other means, so that it is removed after the test. */
    protected void track(String networkId) {
        createdNetworks.add(networkId);
    }

    protected static String createEndpoint(String network, String name) {
        Response response = post("/networks/" + network + "/endpoints", "{\"name\":\"" + name + "\"}");
        if (response.statusCode() != 200) {
            throw new AssertionError("creating endpoint " + name + " failed: " + response.statusCode() + " " + response.asString());
        }
        return response.as(String.class);
    }

    /** Joins a container with default options and returns the sandbox path. */
    protected static String join(String network, String endpoint, String containerId) {
        Response response = post("/networks/" + network + "/endpoints/" + endpoint + "/containers",
                "{\"container_id\":\"" + containerId + "\"}");
        if (response.statusCode() != 200) {
            throw new AssertionError("joining " + containerId + " failed: " + response.statusCode() + " " + response.asString());
        }
        return response.as(String.class);
    }

    @AfterEach
    void removeCreatedNetworks() {
        for (String network : createdNetworks.reversed()) {
            Response endpoints = get("/networks/" + network + "/endpoints");
            if (endpoints.statusCode() != 200) {
                continue;
            }
            for (Object item : endpoints.jsonPath().getList("$")) {
                @SuppressWarnings("unchecked")
                var endpoint = (java.util.Map<String, Object>) item;
                String id = (String) endpoint.get("id");
                Object container = endpoint.get("container_id");
                if (container != null) {
                    delete("/networks/" + network + "/endpoints/" + id + "/containers/" + container);
                }
                delete("/networks/" + network + "/endpoints/" + id);
            }
            delete("/networks/" + network);
        }
        createdNetworks.clear();
    }
}
