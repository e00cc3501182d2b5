package dev.junction.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.junction.testing.Commands;
import dev.junction.testing.DaemonProcess;
import dev.junction.testing.DaemonTestSupport;
import dev.junction.testing.SocatServer;
import dev.junction.testing.SocatServer.TcpClient;
import dev.junction.testing.TestNamespace;
import dev.junction.testing.UnixHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Published ports, masquerade and isolation, with real traffic: a namespace the test creates acts
 * as a remote host on 10.99.0.2, linked to the daemon's host namespace (10.99.0.1).
 */
class FirewallIT extends DaemonTestSupport {

    private static final String HOST_ADDRESS = "10.99.0.1";
    private static final String REMOTE_ADDRESS = "10.99.0.2";

    private TestNamespace remote;
    private UnixHttpClient api;

    @Override
    protected String prefix() {
        return "fw";
    }

    @BeforeEach
    void connectRemoteAndStart() {
        remote = TestNamespace.create("remote");
        Commands.check("ip", "link", "add", "jt-up", "netns", host.name(), "type", "veth", "peer", "name", "jt-down", "netns", remote.name());
        host.exec("ip", "addr", "add", HOST_ADDRESS + "/24", "dev", "jt-up").check(List.of("ip addr add"));
        host.exec("ip", "link", "set", "jt-up", "up").check(List.of("ip link set"));
        remote.exec("ip", "addr", "add", REMOTE_ADDRESS + "/24", "dev", "jt-down").check(List.of("ip addr add"));
        remote.exec("ip", "link", "set", "jt-down", "up").check(List.of("ip link set"));
        daemon = startDaemon("firewall");
        api = daemon.client();
    }

    @AfterEach
    void removeRemote() {
        remote.close();
    }

    private Path container(String network, String endpoint, String body) {
        UnixHttpClient.Response created = api.post("/networks/" + network + "/endpoints", body);
        assertEquals(200, created.status(), created.body());
        UnixHttpClient.Response joined = api.post("/networks/" + network + "/endpoints/" + endpoint + "/containers",
                "{\"container_id\":\"" + endpoint + "\"}");
        assertEquals(200, joined.status(), joined.body());
        return Path.of(joined.jsonString());
    }

    private String address(String network, String endpoint) {
        return api.get("/networks/" + network + "/endpoints/" + endpoint).json().get("address").asText().split("/")[0];
    }

    private String ruleset() {
        return host.exec("nft", "list", "ruleset").check(List.of("nft list ruleset")).stdout();
    }

    private void createNetwork(String name, String options) {
        UnixHttpClient.Response response = api.post("/networks", "{\"name\":\"" + name + "\",\"options\":" + options + "}");
        assertEquals(200, response.status(), response.body());
    }

    @Test
    void publishedTcpPortIsReachableEverywhere() {
        createNetwork("web", "{}");
        Path server = container("web", "srv", "{\"name\":\"srv\",\"port_mapping\":[{\"proto\":6,\"port\":80,\"host_port\":8080}]}");
        Path client = container("web", "cli", "{\"name\":\"cli\"}");
        createNetwork("other", "{}");
        Path stranger = container("other", "far", "{\"name\":\"far\"}");
        String gateway = api.get("/networks/web").json().get("gateway").asText();
        try (SocatServer ignored = SocatServer.tcp(server, 80, "srv")) {
            assertEquals("srv saw " + REMOTE_ADDRESS, TcpClient.send(remote.path(), HOST_ADDRESS, 8080), "from a remote host");
            assertEquals("srv saw " + gateway, TcpClient.send(host.path(), "127.0.0.1", 8080), "from the host's loopback");
            assertEquals("srv saw " + HOST_ADDRESS, TcpClient.send(host.path(), HOST_ADDRESS, 8080), "from the host");
            assertEquals("srv saw " + gateway, TcpClient.send(client, HOST_ADDRESS, 8080), "hairpin from the same network");
            assertEquals("srv saw " + gateway, TcpClient.send(server, gateway, 8080), "hairpin to itself");
            assertEquals("srv saw " + address("other", "far"), TcpClient.send(stranger, HOST_ADDRESS, 8080), "from another network");
        }
    }

    @Test
    void publishedUdpPortIsReachableEverywhere() {
        createNetwork("dns", "{}");
        Path server = container("dns", "srv", "{\"name\":\"srv\",\"port_mapping\":[{\"proto\":17,\"port\":53,\"host_port\":5353}]}");
        Path client = container("dns", "cli", "{\"name\":\"cli\"}");
        String gateway = api.get("/networks/dns").json().get("gateway").asText();
        try (SocatServer ignored = SocatServer.udp(server, 53, "dns")) {
            assertEquals("dns saw " + REMOTE_ADDRESS, TcpClient.sendUdp(remote.path(), HOST_ADDRESS, 5353), "from a remote host");
            assertEquals("dns saw " + gateway, TcpClient.sendUdp(host.path(), "127.0.0.1", 5353), "from the host's loopback");
            assertEquals("dns saw " + gateway, TcpClient.sendUdp(client, HOST_ADDRESS, 5353), "hairpin");
        }
    }

    @Test
    void hostAddressMappingOnlyAnswersOnThatAddress() {
        createNetwork("bound", "{}");
        Path server = container("bound", "srv", "{\"name\":\"srv\",\"port_mapping\":[{\"proto\":6,\"port\":80,\"host_ip\":\"127.0.0.1\",\"host_port\":8081}]}");
        try (SocatServer ignored = SocatServer.tcp(server, 80, "srv")) {
            assertTrue(TcpClient.send(host.path(), "127.0.0.1", 8081).startsWith("srv saw"));
            assertEquals("", TcpClient.send(remote.path(), HOST_ADDRESS, 8081), "reachable on another address");
        }
    }

    @Test
    void hostPortZeroGetsPortFromRange() {
        createNetwork("dyn", "{}");
        Path server = container("dyn", "srv", "{\"name\":\"srv\",\"port_mapping\":[{\"proto\":6,\"port\":80,\"host_port\":0}]}");
        JsonNode mapping = api.get("/networks/dyn/endpoints/srv").json().get("port_mapping").get(0);
        int port = mapping.get("host_port").asInt();
        assertTrue(port >= 49153, "port " + port + " below the default range");
        assertTrue(port <= 65535, "port " + port + " above the default range");
        assertEquals(address("dyn", "srv"), mapping.get("ip").asText());
        try (SocatServer ignored = SocatServer.tcp(server, 80, "srv")) {
            assertTrue(TcpClient.send(remote.path(), HOST_ADDRESS, port).startsWith("srv saw"));
        }
    }

    @Test
    void takenPortIs409AndChangesNothing() {
        createNetwork("conflict", "{}");
        container("conflict", "first", "{\"name\":\"first\",\"port_mapping\":[{\"proto\":6,\"port\":80,\"host_port\":9090}]}");
        String before = ruleset();
        assertEquals(200, api.post("/networks/conflict/endpoints", "{\"name\":\"second\",\"port_mapping\":[{\"proto\":6,\"port\":80,\"host_port\":9090}]}").status());
        UnixHttpClient.Response conflict = api.post("/networks/conflict/endpoints/second/containers", "{\"container_id\":\"second\"}");
        assertEquals(409, conflict.status());
        assertTrue(conflict.json().get("message").asText().contains("9090"), conflict.body());
        assertTrue(conflict.json().get("message").asText().contains("first"), conflict.body());
        assertEquals(before, ruleset(), "a rejected join changed the ruleset");
        assertFalse(api.get("/networks/conflict/endpoints/second").json().has("container_id"));

        try (SocatServer ignored = SocatServer.tcp(host.path(), 9191, "host")) {
            assertEquals(200, api.post("/networks/conflict/endpoints", "{\"name\":\"third\",\"port_mapping\":[{\"proto\":6,\"port\":80,\"host_port\":9191}]}").status());
            UnixHttpClient.Response busy = api.post("/networks/conflict/endpoints/third/containers", "{\"container_id\":\"third\"}");
            assertEquals(409, busy.status());
            assertTrue(busy.json().get("message").asText().contains("socat"), busy.body());
            assertEquals(before, ruleset(), "a rejected join changed the ruleset");
        }
    }

    @Test
    void outboundIsMasqueradedExceptOnInternalNetworks() {
        createNetwork("out", "{}");
        Path inside = container("out", "cli", "{\"name\":\"cli\"}");
        createNetwork("sealed", "{\"internal\":true}");
        Path sealed = container("sealed", "cli2", "{\"name\":\"cli2\"}");
        try (SocatServer ignored = SocatServer.tcp(remote.path(), 9000, "remote")) {
            assertEquals("remote saw " + HOST_ADDRESS, TcpClient.send(inside, REMOTE_ADDRESS, 9000));
            assertEquals("", TcpClient.send(sealed, REMOTE_ADDRESS, 9000), "an internal network reached outside");
        }
        UnixHttpClient.Response published = api.post("/networks/sealed/endpoints",
                "{\"name\":\"pub\",\"port_mapping\":[{\"proto\":6,\"port\":80,\"host_port\":8181}]}");
        assertEquals(400, published.status());
    }

    @Test
    void internalNetworkContainersReachEachOther() {
        createNetwork("closed", "{\"internal\":true}");
        Path first = container("closed", "c1", "{\"name\":\"c1\"}");
        container("closed", "c2", "{\"name\":\"c2\"}");
        assertEquals(0, TestNamespace.execIn(first, "ping", "-c", "1", "-W", "2", address("closed", "c2")).exitCode(),
                "containers of one internal network must reach each other");
    }

    @Test
    void subnetOnHostAddressIs409() {
        UnixHttpClient.Response response = api.post("/networks", "{\"name\":\"clash\",\"options\":{\"subnet\":\"10.99.0.0/16\"}}");
        assertEquals(409, response.status(), response.body());
        assertTrue(response.json().get("message").asText().contains("jt-up"), response.body());
        assertEquals(404, api.get("/networks/clash").status());
    }

    @Test
    void networksAreIsolatedFromEachOther() {
        createNetwork("left", "{}");
        createNetwork("right", "{}");
        Path left = container("left", "l1", "{\"name\":\"l1\"}");
        Path right = container("right", "r1", "{\"name\":\"r1\"}");
        try (SocatServer ignored = SocatServer.tcp(right, 80, "right")) {
            assertEquals("", TcpClient.send(left, address("right", "r1"), 80), "one network reached another");
        }
        assertNotEquals(0, TestNamespace.execIn(left, "ping", "-c", "1", "-W", "1", address("right", "r1")).exitCode());
    }

    @Test
    void disabledIccBlocksContainersOfOneNetwork() {
        createNetwork("quiet", "{\"enable_icc\":false}");
        Path first = container("quiet", "q1", "{\"name\":\"q1\"}");
        Path second = container("quiet", "q2", "{\"name\":\"q2\"}");
        assertNotEquals(0, TestNamespace.execIn(first, "ping", "-c", "1", "-W", "1", address("quiet", "q2")).exitCode());
        assertEquals(0, TestNamespace.execIn(first, "ping", "-c", "1", "-W", "2",
                api.get("/networks/quiet").json().get("gateway").asText()).exitCode(), "the gateway must stay reachable");
        createNetwork("chatty", "{}");
        Path third = container("chatty", "c1", "{\"name\":\"c1\"}");
        Path fourth = container("chatty", "c2", "{\"name\":\"c2\"}");
        assertEquals(0, TestNamespace.execIn(third, "ping", "-c", "1", "-W", "2", address("chatty", "c2")).exitCode());
        assertFalse(second.equals(fourth));
    }

    @Test
    void joinLeaveCyclesRestoreRulesetExactly() {
        createNetwork("cycle", "{}");
        assertEquals(200, api.post("/networks/cycle/endpoints", "{\"name\":\"ep\",\"port_mapping\":["
                + "{\"proto\":6,\"port\":80,\"host_port\":8280},{\"proto\":17,\"port\":53,\"host_ip\":\"127.0.0.1\",\"host_port\":8253}]}").status());
        String empty = ruleset();
        assertEquals(200, api.post("/networks/cycle/endpoints/ep/containers", "{\"container_id\":\"c\"}").status());
        String joined = ruleset();
        assertNotEquals(empty, joined);
        assertEquals(200, api.delete("/networks/cycle/endpoints/ep/containers/c").status());
        assertEquals(empty, ruleset(), "the first leave left rules behind");
        assertEquals(200, api.post("/networks/cycle/endpoints/ep/containers", "{\"container_id\":\"c\"}").status());
        assertEquals(joined, ruleset(), "the second join differs from the first");
        assertEquals(200, api.delete("/networks/cycle/endpoints/ep/containers/c").status());
        assertEquals(empty, ruleset(), "the second leave left rules behind");
    }

    @Test
    void endpointRulesGoAfterLeaveDeleteAndCrash() {
        createNetwork("gone", "{}");
        container("gone", "a", "{\"name\":\"a\",\"port_mapping\":[{\"proto\":6,\"port\":80,\"host_port\":8380}]}");
        String addressA = address("gone", "a");
        assertTrue(rulesetJson().contains(addressA), "rules of a missing after the join");
        assertEquals(200, api.delete("/networks/gone/endpoints/a/containers/a").status());
        assertFalse(rulesetJson().contains(addressA), "rules of a left after the leave");

        container("gone", "b", "{\"name\":\"b\",\"port_mapping\":[{\"proto\":6,\"port\":80,\"host_port\":8381}]}");
        String addressB = address("gone", "b");
        // The container goes away while the daemon is killed: the restart must drop its rules.
        daemon.kill();
        Path sandbox = runRoot().resolve("netns/b");
        Commands.check("umount", sandbox.toString());
        Commands.check("rm", sandbox.toString());
        daemon = startDaemon("firewall-restart");
        api = daemon.client();
        assertFalse(api.get("/networks/gone/endpoints/b").json().has("container_id"));
        assertFalse(rulesetJson().contains(addressB), "rules of b left after the restart");
        assertTrue(daemon.output().contains("Removed firewall element"), daemon.output());

        assertEquals(200, api.delete("/networks/gone/endpoints/b").status());
        String bridge = api.get("/networks/gone").json().get("device").asText();
        assertEquals(200, api.delete("/networks/gone/endpoints/a").status());
        assertEquals(200, api.delete("/networks/gone").status());
        assertFalse(rulesetJson().contains(bridge), "rules of the network left after its deletion");
    }

    private String rulesetJson() {
        return host.exec("nft", "-j", "list", "ruleset").check(List.of("nft -j list ruleset")).stdout();
    }

    @Test
    void missingNftStopsStartWithPackageName() {
        daemon.stop();
        Map<String, String> settings = settings();
        settings.put("junction.firewall.nft", "/nonexistent/nft");
        try (DaemonProcess refused = DaemonProcess.launch(settings, root.resolve("no-nft.log"))) {
            assertNotEquals(0, refused.awaitExit(Duration.ofSeconds(60)));
            assertTrue(refused.output().contains("Install the nftables package"), refused.output());
        }
    }
}
