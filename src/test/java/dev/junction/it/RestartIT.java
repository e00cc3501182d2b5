package dev.junction.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.junction.testing.Commands;
import dev.junction.testing.DaemonProcess;
import dev.junction.testing.DaemonTestSupport;
import dev.junction.testing.KernelInvariants;
import dev.junction.testing.TestNamespace;
import dev.junction.testing.UnixHttpClient;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Restarts of the packaged daemon while containers are running, and after a simulated reboot. */
class RestartIT extends DaemonTestSupport {

    @Override
    protected String prefix() {
        return "restart";
    }

    private DaemonProcess start(String log) {
        return startDaemon("restart-" + log);
    }

    private static String address(UnixHttpClient api, String network, String endpoint) {
        return api.get("/networks/" + network + "/endpoints/" + endpoint).json().get("address").asText();
    }

    private static boolean pings(Path sandbox, String address) {
        return TestNamespace.execIn(sandbox, "ping", "-c", "1", "-W", "2", address.split("/")[0]).exitCode() == 0;
    }

    /** Two containers on one network, joined; returns their sandbox paths. */
    private static List<Path> twoContainers(UnixHttpClient api) {
        assertEquals(200, api.post("/networks", "{\"name\":\"live\"}").status());
        assertEquals(200, api.post("/networks/live/endpoints", "{\"name\":\"a\",\"port_mapping\":[{\"proto\":6,\"port\":80,\"host_port\":18081}]}").status());
        assertEquals(200, api.post("/networks/live/endpoints", "{\"name\":\"b\"}").status());
        Path a = Path.of(api.post("/networks/live/endpoints/a/containers", "{\"container_id\":\"ca\"}").jsonString());
        Path b = Path.of(api.post("/networks/live/endpoints/b/containers", "{\"container_id\":\"cb\"}").jsonString());
        return List.of(a, b);
    }

    @Test
    void containersKeepNetworkAcrossSigterm() {
        daemon = start("sigterm-first");
        UnixHttpClient api = daemon.client();
        List<Path> sandboxes = twoContainers(api);
        String addressA = address(api, "live", "a");
        String addressB = address(api, "live", "b");
        assertTrue(pings(sandboxes.get(0), addressB));

        assertEquals(143, daemon.stop(), "exit status after SIGTERM");
        assertTrue(pings(sandboxes.get(0), addressB), "no connectivity while the daemon is down");
        assertTrue(pings(sandboxes.get(1), addressA), "no connectivity while the daemon is down");

        daemon = start("sigterm-second");
        api = daemon.client();
        assertEquals(addressA, address(api, "live", "a"), "a lost its address");
        assertEquals(addressB, address(api, "live", "b"), "b lost its address");
        assertEquals("ca", api.get("/networks/live/endpoints/a").json().get("container_id").asText());
        assertTrue(pings(sandboxes.get(0), addressB), "no connectivity after the restart");

        assertEquals(200, api.post("/networks/live/endpoints", "{\"name\":\"c\"}").status());
        String addressC = address(api, "live", "c");
        assertNotEquals(addressA, addressC);
        assertNotEquals(addressB, addressC);
        Path c = Path.of(api.post("/networks/live/endpoints/c/containers", "{\"container_id\":\"cc\"}").jsonString());
        assertTrue(pings(c, addressA));
        assertEquals(List.of(), KernelInvariants.check(api, host, runRoot()));
    }

    @Test
    void containersKeepNetworkAcrossSigkill() {
        daemon = start("sigkill-first");
        UnixHttpClient api = daemon.client();
        List<Path> sandboxes = twoContainers(api);
        String addressB = address(api, "live", "b");
        daemon.kill();
        assertTrue(pings(sandboxes.get(0), addressB), "no connectivity while the daemon is down");

        daemon = start("sigkill-second");
        api = daemon.client();
        assertEquals(addressB, address(api, "live", "b"));
        assertEquals(List.of(), KernelInvariants.check(api, host, runRoot()));
        // The port that endpoint a reserved stays taken after the restart.
        assertEquals(200, api.post("/networks/live/endpoints", "{\"name\":\"d\",\"port_mapping\":[{\"proto\":6,\"port\":80,\"host_port\":18081}]}").status());
        UnixHttpClient.Response conflict = api.post("/networks/live/endpoints/d/containers", "{\"container_id\":\"cd\"}");
        assertEquals(409, conflict.status(), conflict.body());
    }

    @Test
    void rebootRecreatesBridgeAndDetachesLostContainers() {
        daemon = start("reboot-first");
        UnixHttpClient api = daemon.client();
        List<Path> sandboxes = twoContainers(api);
        JsonNode network = api.get("/networks/live").json();
        String bridge = network.get("device").asText();
        String idA = api.get("/networks/live/endpoints/a").json().get("id").asText();
        assertEquals(143, daemon.stop());

        // What a reboot clears: the bridge, and the namespace of container a (b's survives here).
        host.exec("ip", "link", "delete", bridge).check(List.of("ip link delete"));
        Commands.check("umount", sandboxes.get(0).toString());
        Commands.check("rm", sandboxes.get(0).toString());
        Commands.check("touch", root.resolve("run/netns/stray").toString());
        Commands.check("mkdir", "-p", root.resolve("run/sandboxes/stray").toString());
        host.exec("ip", "link", "add", "jv-0123456789a", "type", "veth", "peer", "name", "jt-peer").check(List.of("ip link add"));

        daemon = start("reboot-second");
        api = daemon.client();
        JsonNode bridgeLink = host.ip("addr", "show", "dev", bridge).get(0);
        assertEquals(network.get("mtu").asInt(), bridgeLink.get("mtu").asInt());
        assertTrue(bridgeLink.toString().contains("\"" + network.get("gateway").asText() + "\""), bridgeLink.toString());
        assertFalse(api.get("/networks/live/endpoints/a").json().has("container_id"), "a's container is gone, so a is detached");
        assertEquals("cb", api.get("/networks/live/endpoints/b").json().get("container_id").asText());
        assertFalse(host.linkNames().contains("jv-" + idA.substring(0, 12)));
        assertFalse(Files.exists(root.resolve("run/netns/stray")), "stray namespace file left");
        assertFalse(Files.exists(root.resolve("run/sandboxes/stray")), "stray sandbox directory left");
        assertFalse(host.linkNames().contains("jv-0123456789a"), "stray device left");
        assertEquals(List.of(), KernelInvariants.check(api, host, runRoot()));

        // b's veth survived the old bridge but lost its place on it; the reconcile attached it to the new one.
        Path a = Path.of(api.post("/networks/live/endpoints/a/containers", "{\"container_id\":\"ca\"}").jsonString());
        assertTrue(pings(a, address(api, "live", "b")), "a new join cannot reach the restored container");
        assertTrue(daemon.output().contains("Reconcile done"), daemon.output());
    }

    @Test
    void corruptDatabaseStopsStartAndIsKept() throws Exception {
        Path data = root.resolve("data");
        Files.createDirectories(data);
        byte[] garbage = new byte[4096];
        Arrays.fill(garbage, (byte) 'x');
        Files.write(data.resolve("junction.db"), garbage);
        Map<String, String> settings = settings();
        daemon = DaemonProcess.launch(settings, root.resolve("corrupt.log"));
        assertNotEquals(0, daemon.awaitExit(Duration.ofSeconds(60)));
        String output = daemon.output();
        assertTrue(output.contains(data.resolve("junction.db").toString()), output);
        assertTrue(output.contains("not a database"), output);
        assertFalse(output.contains("\tat "), "a stack trace instead of a message: " + output);
        assertArrayEquals(garbage, Files.readAllBytes(data.resolve("junction.db")));
    }
}
