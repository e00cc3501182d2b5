package dev.junction.api;

import dev.junction.testing.ApiTestSupport;
import dev.junction.testing.KernelTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@QuarkusTestResource(KernelTestResource.class)
class ServicesApiTest extends ApiTestSupport {

    private String publish(String name, String network) {
        var response = post("/services", "{\"name\":\"" + name + "\",\"network_name\":\"" + network
                + "\",\"exposed_ports\":null,\"port_mapping\":null}");
        response.then().statusCode(200).contentType(ContentType.JSON).body(matchesPattern("\"[0-9a-f]{64}\""));
        return response.as(String.class);
    }

    @Test
    void publishCreatesEndpointOnNetwork() {
        String networkName = unique("svcnet");
        String network = createNetwork(networkName);
        String id = publish("bar", networkName);
        get("/services/" + id).then()
                .statusCode(200)
                .body("name", equalTo("bar"))
                .body("id", equalTo(id))
                .body("network", equalTo(networkName));
        get("/networks/" + network + "/endpoints/bar").then().statusCode(200).body("id", equalTo(id));
    }

    @Test
    void listShowsEndpointsOfAllNetworks() {
        String first = unique("svc1");
        String second = unique("svc2");
        createNetwork(first);
        String secondId = createNetwork(second);
        String a = publish("/stupefied_stallman", first);
        String b = createEndpoint(secondId, "plain-endpoint");
        get("/services").then()
                .statusCode(200)
                .body("id", hasItem(a))
                .body("id", hasItem(b))
                .body("find { it.id == '" + b + "' }.network", equalTo(second));
    }

    @Test
    void filtersSelectServices() {
        String networkName = unique("svcf");
        String network = createNetwork(networkName);
        String id = publish(unique("only"), networkName);
        String name = get("/services/" + id).jsonPath().getString("name");
        given().queryParam("name", name).get("/services").then().statusCode(200).body("id", equalTo(List.of(id)));
        given().queryParam("partial-id", id.substring(0, 14)).get("/services").then().statusCode(200).body("id", equalTo(List.of(id)));
        given().queryParam("network", networkName).get("/services").then().statusCode(200).body("id", equalTo(List.of(id)));
        given().queryParam("network", network).get("/services").then().statusCode(200).body("id", equalTo(List.of(id)));
        given().queryParam("network", "no-such-network").get("/services").then().statusCode(200).body("$", hasSize(0));
        given().queryParam("network", networkName).queryParam("name", name).get("/services").then().statusCode(400);
        given().queryParam("color", "x").get("/services").then().statusCode(400);
    }

    @Test
    void serviceNameInTwoNetworksIsAmbiguous() {
        String first = unique("amb1");
        String second = unique("amb2");
        createNetwork(first);
        createNetwork(second);
        String a = publish("shared", first);
        String b = publish("shared", second);
        get("/services/shared").then().statusCode(400).body("message", containsString(a)).body("message", containsString(b));
        get("/services/" + a).then().statusCode(200);
    }

    @Test
    void publishErrors() {
        post("/services", "{\"name\":\"x\"}").then().statusCode(400).body("message", containsString("network_name"));
        post("/services", "{\"name\":\"x\",\"network_name\":\"no-such-network\"}").then().statusCode(404)
                .body("message", containsString("no-such-network"));
        post("/services", "{\"name\":\"bad name\",\"network_name\":\"bridge\"}").then().statusCode(400).body("message", containsString("name"));
        String networkName = unique("dupsvc");
        createNetwork(networkName);
        publish("dup", networkName);
        post("/services", "{\"name\":\"dup\",\"network_name\":\"" + networkName + "\"}").then().statusCode(409);
    }

    @Test
    void unknownServiceIs404() {
        get("/services/no-such-service").then().statusCode(404).body("message", containsString("no-such-service"));
        delete("/services/no-such-service").then().statusCode(404);
        get("/services/no-such-service/backend").then().statusCode(404);
        post("/services/no-such-service/backend", "{\"container_id\":\"c\"}").then().statusCode(404);
        delete("/services/no-such-service/backend/c").then().statusCode(404);
    }

    @Test
    void backendLifecycle() {
        String networkName = unique("backend");
        createNetwork(networkName);
        String id = publish("svc", networkName);
        get("/services/" + id + "/backend").then().statusCode(200).body(equalTo("[]"));

        String container = "98c5241f9475e9efc17e7198e931fb48166010b80f96d48df204e251378ca547";
        var attached = post("/services/" + id + "/backend", """
                {"container_id":"%s","host_name":"","domain_name":"","hosts_path":"","resolv_conf_path":"",
                 "dns":null,"extra_hosts":null,"parent_updates":null,"use_default_sandbox":false}""".formatted(container));
        attached.then().statusCode(200).contentType(ContentType.JSON);
        assertEquals(runRoot().resolve("netns/98c5241f9475").toString(), attached.as(String.class));

        get("/services/" + id + "/backend").then().statusCode(200).body("$", equalTo(List.of(Map.of("id", container))));
        delete("/services/" + id).then().statusCode(409).body("message", containsString(container));
        post("/services/" + id + "/backend", "{\"container_id\":\"other\"}").then().statusCode(409)
                .body("message", containsString("service svc is already joined"));
        post("/services/" + id + "/backend", "{\"container_id\":\"other\"}").then().statusCode(409);

        delete("/services/" + id + "/backend/" + container).then().statusCode(200).body(emptyString());
        get("/services/" + id + "/backend").then().body(equalTo("[]"));
        delete("/services/" + id + "/backend/" + container).then().statusCode(404);
        delete("/services/" + id).then().statusCode(200).body(emptyString());
        get("/services").then().body("id", not(hasItem(id)));
    }

    @Test
    void servicesServedUnderVersionPrefix() {
        String networkName = unique("svcv");
        createNetwork(networkName);
        String id = publish("v", networkName);
        get("/v1.0/services/" + id).then().statusCode(200).body("id", equalTo(id));
        given().put("/services/" + id).then().statusCode(405).header("Allow", "DELETE, GET");
    }
}
