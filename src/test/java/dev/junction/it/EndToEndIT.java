package dev.junction.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.junction.testing.Commands;
import dev.junction.testing.DaemonTestSupport;
import dev.junction.testing.TestNamespace;
import dev.junction.testing.UnixHttpClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packaged daemon over its real Unix socket, as a user drives it with curl. */
class EndToEndIT extends DaemonTestSupport {

    @Override
    protected String prefix() {
        return "e2e";
    }

    @BeforeEach
    void start() {
        daemon = startDaemon("end-to-end");
    }

    @Test
    void containersPingThenLeaveNothing() {
        UnixHttpClient api = daemon.client();

        UnixHttpClient.Response created = api.post("/networks", "{\"name\":\"foo\",\"network_type\":\"\",\"options\":{}}");
        assertEquals(200, created.status(), created.body());
        String network = created.jsonString();
        String first = api.post("/networks/foo/endpoints", "{\"name\":\"web\"}").jsonString();
        String second = api.post("/networks/foo/endpoints", "{\"name\":\"db\"}").jsonString();

        Path sandboxA = Path.of(api.post("/networks/foo/endpoints/web/containers", "{\"container_id\":\"container-a\"}").jsonString());
        Path sandboxB = Path.of(api.post("/networks/foo/endpoints/db/containers", "{\"container_id\":\"container-b\"}").jsonString());
        String addressA = api.get("/networks/foo/endpoints/web").json().get("address").asText().split("/")[0];
        String addressB = api.get("/networks/foo/endpoints/db").json().get("address").asText().split("/")[0];

        assertEquals(0, TestNamespace.execIn(sandboxA, "ping", "-c", "2", "-W", "2", addressB).exitCode(), "a cannot reach b");
        assertEquals(0, TestNamespace.execIn(sandboxB, "ping", "-c", "2", "-W", "2", addressA).exitCode(), "b cannot reach a");

        // A third container on another network gets an address from another subnet.
        api.post("/networks", "{\"name\":\"bar\"}").jsonString();
        api.post("/networks/bar/endpoints", "{\"name\":\"cache\"}").jsonString();
        api.post("/networks/bar/endpoints/cache/containers", "{\"container_id\":\"container-c\"}").jsonString();
        JsonNode foo = api.get("/networks/foo").json();
        JsonNode bar = api.get("/networks/bar").json();
        assertNotEquals(foo.get("subnet").asText(), bar.get("subnet").asText());
        String addressC = api.get("/networks/bar/endpoints/cache").json().get("address").asText();
        assertTrue(addressC.startsWith(bar.get("subnet").asText().split("\\.0\\.0/")[0]), addressC);

        for (String[] join : List.of(new String[]{"foo", "web", "container-a"}, new String[]{"foo", "db", "container-b"},
                new String[]{"bar", "cache", "container-c"})) {
            assertEquals(200, api.delete("/networks/" + join[0] + "/endpoints/" + join[1] + "/containers/" + join[2]).status());
            assertEquals(200, api.delete("/networks/" + join[0] + "/endpoints/" + join[1]).status());
        }
        assertEquals(200, api.delete("/networks/foo").status());
        assertEquals(200, api.delete("/networks/bar").status());

        List<String> leftovers = host.linkNames().stream()
                .filter(link -> link.startsWith("jn-") || link.startsWith("jv-") || link.startsWith("jc-"))
                .toList();
        assertEquals(List.of(), leftovers, "links left after deleting everything");
        assertEquals(List.of("default"), listNames(root.resolve("run/netns")), "namespace files left");
        assertEquals(List.of(), listNames(root.resolve("run/sandboxes")), "sandbox directories left");
        assertFalse(network.isEmpty() || first.isEmpty() || second.isEmpty());
    }

    @Test
    void errorsOverSocketAreJson() {
        UnixHttpClient api = daemon.client();
        UnixHttpClient.Response missing = api.get("/networks/nope");
        assertEquals(404, missing.status());
        assertTrue(missing.headers().get("content-type").startsWith("application/json"));
        assertTrue(missing.json().get("message").asText().contains("nope"));
        assertEquals(405, api.send("PUT", "/networks", "{}").status());
        assertEquals(400, api.post("/networks", "{").status());
    }

    @Test
    void operationsEndpointsAreServedOnTheSocketOnly() throws Exception {
        UnixHttpClient api = daemon.client();
        assertEquals(200, api.get("/q/health/ready").status());
        assertEquals(200, api.get("/q/health/live").status());
        assertTrue(api.get("/q/metrics").body().contains("junction_networks"));
        assertTrue(api.get("/q/openapi").body().contains("/networks/{network}/endpoints"));
        // No TCP listener without junction.tcp.address: the daemon's process has no listening TCP socket.
        String listening = Commands.check("ss", "-Hltnp");
        assertFalse(listening.contains("pid=" + daemon.pid() + ","), listening);
    }

    @Test
    void jsonLogsAreOneObjectPerLine() throws Exception {
        daemon.close();
        java.util.Map<String, String> settings = settings();
        settings.put("junction.log-json", "true");
        daemon = dev.junction.testing.DaemonProcess.start(settings, Path.of("target/it-logs/json-logs.log"));
        daemon.client().get("/networks/nope");
        List<String> lines = daemon.output().lines().filter(line -> line.startsWith("{")).toList();
        assertTrue(lines.size() > 3, daemon.output());
        for (String line : lines) {
            JsonNode entry = Commands.JSON.readTree(line);
            assertTrue(entry.has("message"), line);
            assertTrue(entry.has("level"), line);
        }
        assertTrue(lines.stream().anyMatch(line -> line.contains("Reconcile done")), daemon.output());
    }

    private static List<String> listNames(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(path -> path.getFileName().toString()).sorted().toList();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
