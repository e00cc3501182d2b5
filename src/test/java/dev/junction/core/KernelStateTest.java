package dev.junction.core;

import com.fasterxml.jackson.databind.JsonNode;
import dev.junction.testing.ApiTestSupport;
import dev.junction.testing.Commands;
import dev.junction.testing.KernelTestResource;
import dev.junction.testing.TestNamespace;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checks what the daemon builds in the kernel with ip -j, never with the daemon's own code. */
@QuarkusTest
@QuarkusTestResource(KernelTestResource.class)
class KernelStateTest extends ApiTestSupport {

    private static JsonNode link(TestNamespace namespace, String name) {
        JsonNode links = namespace.ip("link", "show", "dev", name);
        assertEquals(1, links.size(), "expected one link " + name);
        return links.get(0);
    }

    private static List<String> ipv4Addresses(JsonNode addressInfo) {
        List<String> addresses = new ArrayList<>();
        for (JsonNode entry : addressInfo.get("addr_info")) {
            if (entry.get("family").asText().equals("inet")) {
                addresses.add(entry.get("local").asText() + "/" + entry.get("prefixlen").asInt());
            }
        }
        return addresses;
    }

    @Test
    void networkCreatesBridgeWithGatewayAndMtu() {
        String id = createNetwork(unique("kbr"), "{\"subnet\":\"10.61.0.0/24\",\"gateway\":\"10.61.0.254\",\"mtu\":1400}");
        String bridge = "jn-" + id.substring(0, 12);
        JsonNode link = link(host(), bridge);
        assertEquals("bridge", link.get("linkinfo").get("info_kind").asText());
        assertEquals(1400, link.get("mtu").asInt());
        assertTrue(link.get("flags").toString().contains("\"UP\""), "bridge is not up: " + link);
        JsonNode addresses = host().ip("addr", "show", "dev", bridge);
        assertEquals(List.of("10.61.0.254/24"), ipv4Addresses(addresses.get(0)));
    }

    @Test
    void predefinedBridgeExistsInHostNamespace() {
        JsonNode link = link(host(), NetworkManager.BRIDGE_DEVICE);
        assertEquals("bridge", link.get("linkinfo").get("info_kind").asText());
        String subnet = get("/networks/bridge").jsonPath().getString("subnet");
        String gateway = get("/networks/bridge").jsonPath().getString("gateway");
        JsonNode addresses = host().ip("addr", "show", "dev", NetworkManager.BRIDGE_DEVICE);
        assertEquals(List.of(gateway + "/" + subnet.split("/")[1]), ipv4Addresses(addresses.get(0)));
    }

    @Test
    void joinBuildsVethIntoSandbox() {
        String id = createNetwork(unique("kjoin"), "{\"subnet\":\"10.62.0.0/24\",\"mtu\":1450}");
        String endpoint = createEndpoint(id, "ep");
        Path sandbox = Path.of(join(id, endpoint, "c-kjoin"));
        var view = get("/networks/" + id + "/endpoints/" + endpoint).jsonPath();

        JsonNode hostSide = link(host(), "jv-" + endpoint.substring(0, 12));
        assertEquals("veth", hostSide.get("linkinfo").get("info_kind").asText());
        assertEquals("jn-" + id.substring(0, 12), hostSide.get("master").asText());
        assertEquals(1450, hostSide.get("mtu").asInt());
        assertTrue(hostSide.get("flags").toString().contains("\"UP\""));

        JsonNode eth0 = TestNamespace.ipIn(sandbox, "addr", "show", "dev", "eth0").get(0);
        assertEquals(view.getString("mac_address"), eth0.get("address").asText());
        assertEquals(1450, eth0.get("mtu").asInt());
        assertEquals(List.of(view.getString("address")), ipv4Addresses(eth0));
        assertTrue(eth0.get("flags").toString().contains("\"UP\""));

        JsonNode routes = TestNamespace.ipIn(sandbox, "route", "show", "default");
        assertEquals(1, routes.size());
        assertEquals("10.62.0.1", routes.get(0).get("gateway").asText());
        assertEquals("eth0", routes.get(0).get("dev").asText());

        JsonNode loopback = TestNamespace.ipIn(sandbox, "link", "show", "dev", "lo").get(0);
        assertTrue(loopback.get("flags").toString().contains("\"UP\""), "loopback is down");
    }

    @Test
    void secondNetworkBecomesEth1WithoutSecondDefaultRoute() {
        String first = createNetwork(unique("kfirst"), "{\"subnet\":\"10.63.0.0/24\"}");
        String second = createNetwork(unique("ksecond"), "{\"subnet\":\"10.64.0.0/24\"}");
        Path sandbox = Path.of(join(first, createEndpoint(first, "a"), "c-ktwo"));
        join(second, createEndpoint(second, "b"), "c-ktwo");
        assertEquals(1, TestNamespace.ipIn(sandbox, "link", "show", "dev", "eth1").size());
        JsonNode routes = TestNamespace.ipIn(sandbox, "route", "show", "default");
        assertEquals(1, routes.size());
        assertEquals("10.63.0.1", routes.get(0).get("gateway").asText());
    }

    @Test
    void defaultRouteMovesWhenItsEndpointLeaves() {
        String first = createNetwork(unique("kmove1"), "{\"subnet\":\"10.65.0.0/24\"}");
        String second = createNetwork(unique("kmove2"), "{\"subnet\":\"10.66.0.0/24\"}");
        String a = createEndpoint(first, "a");
        Path sandbox = Path.of(join(first, a, "c-kmove"));
        join(second, createEndpoint(second, "b"), "c-kmove");
        delete("/networks/" + first + "/endpoints/" + a + "/containers/c-kmove").then().statusCode(200);
        JsonNode routes = TestNamespace.ipIn(sandbox, "route", "show", "default");
        assertEquals(1, routes.size());
        assertEquals("10.66.0.1", routes.get(0).get("gateway").asText());
    }

    @Test
    void internalNetworkGivesNoDefaultRoute() {
        String internal = createNetwork(unique("kint"), "{\"subnet\":\"10.67.0.0/24\",\"internal\":true}");
        String open = createNetwork(unique("kopen"), "{\"subnet\":\"10.68.0.0/24\"}");
        Path sandbox = Path.of(join(internal, createEndpoint(internal, "a"), "c-kint"));
        assertEquals(0, TestNamespace.ipIn(sandbox, "route", "show", "default").size());

        String b = createEndpoint(open, "b");
        join(open, b, "c-kint");
        JsonNode routes = TestNamespace.ipIn(sandbox, "route", "show", "default");
        assertEquals(1, routes.size());
        assertEquals("10.68.0.1", routes.get(0).get("gateway").asText());

        // When the open network's endpoint leaves, the default route does not move to the internal network.
        delete("/networks/" + open + "/endpoints/" + b + "/containers/c-kint").then().statusCode(200);
        assertEquals(0, TestNamespace.ipIn(sandbox, "route", "show", "default").size());
    }

    @Test
    void leaveAndDeleteRemoveEverything() {
        String id = createNetwork(unique("kleave"));
        String endpoint = createEndpoint(id, "ep");
        Path sandbox = Path.of(join(id, endpoint, "c-kleave"));
        String veth = "jv-" + endpoint.substring(0, 12);
        assertTrue(host().linkNames().contains(veth));

        delete("/networks/" + id + "/endpoints/" + endpoint + "/containers/c-kleave").then().statusCode(200);
        assertFalse(host().linkNames().contains(veth), "veth left after leave");
        assertFalse(Files.exists(sandbox), "namespace file left after the last leave");
        assertFalse(Commands.check("cat", "/proc/self/mountinfo").contains(sandbox.toString()), "namespace still mounted");
        assertFalse(Files.exists(runRoot().resolve("sandboxes/c-kleave")), "sandbox directory left");

        delete("/networks/" + id + "/endpoints/" + endpoint).then().statusCode(200);
        delete("/networks/" + id).then().statusCode(200);
        assertFalse(host().linkNames().contains("jn-" + id.substring(0, 12)), "bridge left after delete");
    }

    @Test
    void leaveSucceedsWhenVethIsAlreadyGone() {
        String id = createNetwork(unique("kgone"));
        String endpoint = createEndpoint(id, "ep");
        join(id, endpoint, "c-kgone");
        host().exec("ip", "link", "delete", "jv-" + endpoint.substring(0, 12));
        delete("/networks/" + id + "/endpoints/" + endpoint + "/containers/c-kgone").then().statusCode(200);
        join(id, endpoint, "c-kgone");
    }

    @Test
    void networkDeleteSucceedsWhenBridgeIsAlreadyGone() {
        String id = createNetwork(unique("kbrgone"));
        host().exec("ip", "link", "delete", "jn-" + id.substring(0, 12));
        delete("/networks/" + id).then().statusCode(200);
    }

    @Test
    void failedJoinLeavesNothingBehind() {
        String id = createNetwork(unique("kfail"));
        String endpoint = createEndpoint(id, "ep");
        String veth = "jv-" + endpoint.substring(0, 12);
        // A device that already has the endpoint's name makes the veth creation fail midway.
        host().exec("ip", "link", "add", veth, "type", "veth", "peer", "name", "jt-blocker").check(List.of("ip link add"));
        try {
            post("/networks/" + id + "/endpoints/" + endpoint + "/containers", "{\"container_id\":\"c-kfail\"}").then()
                    .statusCode(500)
                    .body("message", containsString("EEXIST"));
            get("/networks/" + id + "/endpoints/" + endpoint).then().statusCode(200)
                    .body("container_id", org.hamcrest.Matchers.nullValue());
            assertFalse(Files.exists(runRoot().resolve("netns/c-kfail")), "namespace file left after a failed join");
            assertFalse(Files.exists(runRoot().resolve("sandboxes/c-kfail")), "sandbox directory left after a failed join");
        } finally {
            host().exec("ip", "link", "delete", veth);
        }
        join(id, endpoint, "c-kfail");
    }

    @Test
    void twoContainersPingEachOther() {
        String id = createNetwork(unique("kping"));
        String a = createEndpoint(id, "a");
        String b = createEndpoint(id, "b");
        Path sandboxA = Path.of(join(id, a, "c-pinga"));
        Path sandboxB = Path.of(join(id, b, "c-pingb"));
        String addressB = get("/networks/" + id + "/endpoints/" + b).jsonPath().getString("address").split("/")[0];
        String addressA = get("/networks/" + id + "/endpoints/" + a).jsonPath().getString("address").split("/")[0];
        assertEquals(0, TestNamespace.execIn(sandboxA, "ping", "-c", "1", "-W", "2", addressB).exitCode());
        assertEquals(0, TestNamespace.execIn(sandboxB, "ping", "-c", "1", "-W", "2", addressA).exitCode());
    }

    @Test
    void defaultSandboxPutsAddressedDeviceInHostNamespace() {
        String id = createNetwork(unique("kdef"), "{\"subnet\":\"10.67.0.0/24\"}");
        String endpoint = createEndpoint(id, "ep");
        post("/networks/" + id + "/endpoints/" + endpoint + "/containers",
                "{\"container_id\":\"c-kdef\",\"use_default_sandbox\":true}").then().statusCode(200);
        String device = "jc-" + endpoint.substring(0, 12);
        JsonNode addresses = host().ip("addr", "show", "dev", device);
        String expected = get("/networks/" + id + "/endpoints/" + endpoint).jsonPath().getString("address");
        assertEquals(List.of(expected), ipv4Addresses(addresses.get(0)));
        delete("/networks/" + id + "/endpoints/" + endpoint + "/containers/c-kdef").then().statusCode(200);
        assertFalse(host().linkNames().contains(device), "device left in the host namespace after leave");
    }

    @Test
    void endpointsOfDifferentNetworksGetDifferentSubnets() {
        String first = createNetwork(unique("ksub1"));
        String second = createNetwork(unique("ksub2"));
        String subnetA = get("/networks/" + first).jsonPath().getString("subnet");
        String subnetB = get("/networks/" + second).jsonPath().getString("subnet");
        assertNotEquals(subnetA, subnetB);
    }
}
