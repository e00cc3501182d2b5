package dev.junction.api;

import dev.junction.testing.ApiTestSupport;
import dev.junction.testing.KernelTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(KernelTestResource.class)
class NetworksApiTest extends ApiTestSupport {

    @Test
    void listContainsPredefinedNetworks() {
        get("/networks").then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .body("name", hasItems("none", "host", "bridge"))
                .body("find { it.name == 'none' }.type", equalTo("null"))
                .body("find { it.name == 'host' }.type", equalTo("host"))
                .body("find { it.name == 'bridge' }.type", equalTo("bridge"))
                .body("find { it.name == 'bridge' }.device", equalTo("junction0"))
                .body("find { it.name == 'bridge' }.endpoints", hasSize(0));
    }

    @Test
    void createReturnsIdAsJsonString() {
        String name = unique("net");
        var response = post("/networks", "{\"name\":\"" + name + "\",\"network_type\":\"\",\"options\":{}}");
        response.then().statusCode(200).contentType(ContentType.JSON).body(matchesPattern("\"[0-9a-f]{64}\""));
        track(response.as(String.class));
    }

    @Test
    void createAcceptsNullOptionalFields() {
        var response = post("/networks", "{\"name\":\"" + unique("nulls") + "\",\"network_type\":null,\"options\":null}");
        response.then().statusCode(200);
        track(response.as(String.class));
    }

    @Test
    void createAcceptsFormContentType() {
        // curl -d sends application/x-www-form-urlencoded; the body is JSON all the same.
        var response = given().contentType("application/x-www-form-urlencoded")
                .body("{\"name\":\"" + unique("form") + "\"}").post("/networks");
        response.then().statusCode(200);
        track(response.as(String.class));
    }

    @Test
    void getReturnsDocumentedShape() {
        String name = unique("shape");
        String id = createNetwork(name);
        get("/networks/" + id).then()
                .statusCode(200)
                .body("name", equalTo(name))
                .body("id", equalTo(id))
                .body("type", equalTo("bridge"))
                .body("endpoints", hasSize(0))
                .body("device", equalTo("jn-" + id.substring(0, 12)));
    }

    @Test
    void getResolvesIdThenNameThenPrefix() {
        String name = unique("resolve");
        String id = createNetwork(name);
        get("/networks/" + id).then().statusCode(200).body("id", equalTo(id));
        get("/networks/" + name).then().statusCode(200).body("id", equalTo(id));
        get("/networks/" + id.substring(0, 20)).then().statusCode(200).body("id", equalTo(id));
        // The spec's own examples contain "//"; RestAssured would encode it without this setting.
        given().urlEncodingEnabled(false).get("/networks//" + name).then().statusCode(200).body("id", equalTo(id));
    }

    @Test
    void nameTakesPrecedenceOverIdPrefix() {
        String first = createNetwork(unique("first"));
        // A network whose name is another network's ID prefix.
        String prefixName = first.substring(0, 8);
        String second = createNetwork(prefixName);
        get("/networks/" + prefixName).then().statusCode(200).body("id", equalTo(second));
    }

    @Test
    void ambiguousPrefixIs400ListingMatches() {
        Map<Character, String> byFirstCharacter = new HashMap<>();
        for (String id : get("/networks").jsonPath().getList("id", String.class)) {
            byFirstCharacter.put(id.charAt(0), id);
        }
        String clash = null;
        String other = null;
        while (clash == null) {
            String id = createNetwork(unique("clash"));
            String previous = byFirstCharacter.putIfAbsent(id.charAt(0), id);
            if (previous != null) {
                clash = id;
                other = previous;
            }
        }
        get("/networks/" + clash.charAt(0)).then()
                .statusCode(400)
                .body("message", allOf(containsString(clash), containsString(other)));
    }

    @Test
    void unknownNetworkIs404() {
        get("/networks/nosuchnetwork").then().statusCode(404).body("message", containsString("nosuchnetwork"));
        delete("/networks/nosuchnetwork").then().statusCode(404).body("message", containsString("nosuchnetwork"));
    }

    @Test
    void servedUnderVersionPrefix() {
        String name = unique("versioned");
        var response = post("/v1.0/networks", "{\"name\":\"" + name + "\"}");
        response.then().statusCode(200);
        String id = response.as(String.class);
        track(id);
        get("/v1.21/networks/" + name).then().statusCode(200).body("id", equalTo(id));
        get("/v1.0/networks").then().statusCode(200).body("name", hasItem(name));
    }

    @Test
    void duplicateNameIs409() {
        String name = unique("dup");
        String id = createNetwork(name);
        post("/networks", "{\"name\":\"" + name + "\"}").then()
                .statusCode(409)
                .body("message", allOf(containsString(name), containsString(id)));
        // "/name" is the same name in Docker's container-name style.
        post("/networks", "{\"name\":\"/" + name + "\"}").then().statusCode(409);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a b", "-leading-dash", ".dot", "//double", "name/slash", "tab\\t",
            "x12345678901234567890123456789012345678901234567890123456789012345"})
    void invalidNameIs400(String name) {
        post("/networks", "{\"name\":\"" + name + "\"}").then()
                .statusCode(400)
                .body("message", containsString("name"));
    }

    @Test
    void maximalNameIsAccepted() {
        String name = "/" + "n".repeat(64);
        createNetwork(name);
        get("/networks/" + "n".repeat(64)).then().statusCode(200).body("name", equalTo(name));
    }

    @Test
    void missingNameIs400() {
        post("/networks", "{\"network_type\":\"\"}").then().statusCode(400).body("message", containsString("name is required"));
    }

    @Test
    void wrongTypesAre400NamingField() {
        post("/networks", "{\"name\":5}").then().statusCode(400).body("message", containsString("name"));
        post("/networks", "{\"name\":\"x\",\"options\":\"subnet\"}").then().statusCode(400).body("message", containsString("options"));
        post("/networks", "{\"name\":\"x\",\"network_type\":true}").then().statusCode(400).body("message", containsString("network_type"));
    }

    @Test
    void malformedBodiesAre400() {
        given().body("{bad").post("/networks").then().statusCode(400).body("message", containsString("malformed JSON"));
        given().body("{\"name\":\"a\"} trailing").post("/networks").then().statusCode(400);
        given().body("[1,2]").post("/networks").then().statusCode(400).body("message", containsString("object"));
        given().body("").post("/networks").then().statusCode(400).body("message", containsString("body"));
    }

    @Test
    void malformedBodyMessageShowsNoParserInternals() {
        String message = given().body("{\"name\":\"x1\"").post("/networks").then().statusCode(400)
                .extract().path("message");
        assertTrue(message.contains("line 1, column 1"), message);
        assertFalse(message.contains("Source:"), message);
        assertFalse(message.contains("REDACTED"), message);
    }

    @Test
    void repeatedKeyTakesLastValue() {
        String first = unique("first");
        String last = unique("last");
        String id = post("/networks", "{\"name\":\"" + first + "\",\"name\":\"" + last + "\"}").then().statusCode(200)
                .extract().as(String.class);
        get("/networks/" + id).then().body("name", equalTo(last));
        get("/networks/" + first).then().statusCode(404);
    }

    @Test
    void undecodableBodiesNameTheProblem() {
        given().body(new byte[]{'{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xff, (byte) 0xfe, '"', '}'})
                .post("/networks").then().statusCode(400).body("message", containsString("UTF-8"));
        post("/networks", "{\"name\":\"x\",\"options\":[1]}").then().statusCode(400)
                .body("message", containsString("an array is not an object"));
        post("/networks", "{\"name\":[\"x\"]}").then().statusCode(400).body("message", containsString("name"));
    }

    @Test
    void deeplyNestedBodyIs400() {
        String nested = "[".repeat(1200) + "]".repeat(1200);
        post("/networks", "{\"name\":\"deep\",\"x\":" + nested + "}").then()
                .statusCode(400).body("message", containsString("nesting depth"));
    }

    @Test
    void unknownNetworkTypeIs400() {
        post("/networks", "{\"name\":\"" + unique("t") + "\",\"network_type\":\"overlay\"}").then()
                .statusCode(400)
                .body("message", containsString("overlay"));
    }

    @Test
    void predefinedTypesAre403() {
        post("/networks", "{\"name\":\"" + unique("t") + "\",\"network_type\":\"host\"}").then().statusCode(403);
        post("/networks", "{\"name\":\"" + unique("t") + "\",\"network_type\":\"null\"}").then().statusCode(403);
    }

    @Test
    void unknownOptionIs400NamingKey() {
        post("/networks", "{\"name\":\"" + unique("o") + "\",\"options\":{\"vlan\":3}}").then()
                .statusCode(400)
                .body("message", containsString("vlan"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "subnet  | {\"subnet\":\"10.1.2.0\"}",
            "subnet  | {\"subnet\":\"10.1.2.3/24\"}",
            "subnet  | {\"subnet\":\"10.1.2.0/33\"}",
            "subnet  | {\"subnet\":\"10.1.2.0/31\"}",
            "subnet  | {\"subnet\":\"fd00::/64\"}",
            "subnet  | {\"subnet\":42}",
            "subnet  | {\"subnet\":\"127.0.0.0/24\"}",
            "subnet  | {\"subnet\":\"169.254.0.0/24\"}",
            "subnet  | {\"subnet\":\"224.0.0.0/24\"}",
            "subnet  | {\"subnet\":\"0.0.0.0/8\"}",
            "internal | {\"internal\":\"yes\"}",
            "enable_icc | {\"enable_icc\":1}",
            "gateway | {\"gateway\":\"10.1.2.1\"}",
            "gateway | {\"subnet\":\"10.1.2.0/24\",\"gateway\":\"10.1.3.1\"}",
            "gateway | {\"subnet\":\"10.1.2.0/24\",\"gateway\":\"10.1.2.255\"}",
            "gateway | {\"subnet\":\"10.1.2.0/24\",\"gateway\":\"10.1.2.0\"}",
            "gateway | {\"subnet\":\"10.1.2.0/24\",\"gateway\":\"ten\"}",
            "mtu     | {\"mtu\":20}",
            "mtu     | {\"mtu\":70000}",
            "mtu     | {\"mtu\":\"big\"}",
            "mtu     | {\"mtu\":1500.5}",
            "mtu     | {\"mtu\":true}"})
    void invalidOptionValueIs400(String key, String options) {
        String name = unique("opt");
        post("/networks", "{\"name\":\"" + name + "\",\"options\":" + options + "}").then()
                .statusCode(400)
                .body("message", containsString(key));
        get("/networks/" + name).then().statusCode(404);
    }

    @Test
    void stringMtuIsAccepted() {
        String id = createNetwork(unique("mtu"), "{\"mtu\":\"1400\"}");
        get("/networks/" + id).then().statusCode(200).body("mtu", equalTo(1400));
    }

    @Test
    void overlappingSubnetIs409() {
        String first = unique("sub");
        String id = createNetwork(first, "{\"subnet\":\"10.77.0.0/16\"}");
        post("/networks", "{\"name\":\"" + unique("sub") + "\",\"options\":{\"subnet\":\"10.77.5.0/24\"}}").then()
                .statusCode(409)
                .body("message", allOf(containsString("10.77.0.0/16"), containsString(id)));
    }

    @Test
    void deleteReturns200WithEmptyBody() {
        String name = unique("del");
        String id = createNetwork(name);
        delete("/networks/" + id).then().statusCode(200).body(emptyString());
        get("/networks/" + id).then().statusCode(404);
        get("/networks").then().body("name", not(hasItem(name)));
    }

    @Test
    void deletedNameIsReusable() {
        String name = unique("reuse");
        String id = createNetwork(name);
        delete("/networks/" + id).then().statusCode(200);
        createNetwork(name);
    }

    @Test
    void deletePredefinedIs403() {
        for (String name : List.of("none", "host", "bridge")) {
            delete("/networks/" + name).then().statusCode(403).body("message", containsString(name));
        }
    }

    @Test
    void deleteWithEndpointsIs409() {
        String id = createNetwork(unique("busy"));
        createEndpoint(id, "ep");
        delete("/networks/" + id).then().statusCode(409).body("message", containsString("ep"));
        get("/networks/" + id).then().statusCode(200);
    }

    @Test
    void filtersSelectByNameOrPartialId() {
        String name = unique("filter");
        String id = createNetwork(name);
        given().queryParam("name", name).get("/networks").then().statusCode(200)
                .body("id", equalTo(List.of(id)));
        given().queryParam("name", "/" + name).get("/networks").then().statusCode(200)
                .body("id", equalTo(List.of(id)));
        given().queryParam("partial-id", id.substring(0, 10)).get("/networks").then().statusCode(200)
                .body("id", equalTo(List.of(id)));
        given().queryParam("name", "no-such-" + name).get("/networks").then().statusCode(200).body("$", hasSize(0));
    }

    @Test
    void badFiltersAre400() {
        given().queryParam("name", "a").queryParam("partial-id", "b").get("/networks").then()
                .statusCode(400).body("message", containsString("one filter"));
        get("/networks?name=a&name=b").then().statusCode(400).body("message", containsString("name"));
        get("/networks?color=red").then().statusCode(400).body("message", containsString("color"));
        get("/networks?name=").then().statusCode(400).body("message", containsString("empty"));
        get("/networks?partial-id").then().statusCode(400).body("message", containsString("empty"));
    }

    @Test
    void unsupportedMethodIs405WithAllow() {
        given().put("/networks").then()
                .statusCode(405)
                .header("Allow", "GET, POST")
                .body("message", containsString("GET, POST"));
        given().body("{}").post("/networks/bridge").then().statusCode(405).header("Allow", "DELETE, GET");
    }

    @Test
    void unknownPathIs404Json() {
        get("/networkz").then().statusCode(404).contentType(ContentType.JSON).body("message", containsString("/networkz"));
    }

    @Test
    void bodyOverOneMebibyteIs413() throws Exception {
        // Only the headers are sent: the daemon must reject the request before reading the body.
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(runRoot().resolve("junction.sock")))) {
            String head = "POST /networks HTTP/1.1\r\nHost: junction\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + (1024 * 1024 + 1) + "\r\n\r\n{\"name\":\"big\",";
            channel.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer buffer = ByteBuffer.allocate(4096);
            StringBuilder response = new StringBuilder();
            while (!response.toString().contains("}") && channel.read(buffer) >= 0) {
                buffer.flip();
                response.append(StandardCharsets.US_ASCII.decode(buffer));
                buffer.clear();
            }
            assertTrue(response.toString().startsWith("HTTP/1.1 413"), response.toString());
            assertTrue(response.toString().contains("\"message\":\"request body of 1048577 bytes exceeds"), response.toString());
        }
        get("/networks/big").then().statusCode(404);
    }

    @Test
    void listIsEmptyArrayNotNull() {
        given().queryParam("partial-id", "ffffffffffffffffffff").get("/networks").then()
                .statusCode(200)
                .body(equalTo("[]"));
    }

    @Test
    void errorBodiesAreJsonObjects() {
        var response = get("/networks/missing-network");
        assertEquals("application/json", response.contentType().split(";")[0]);
        assertTrue(response.jsonPath().getString("message").contains("missing-network"));
    }
}
