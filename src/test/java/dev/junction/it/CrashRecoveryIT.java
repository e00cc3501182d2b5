package dev.junction.it;

import dev.junction.testing.DaemonProcess;
import dev.junction.testing.DaemonTestSupport;
import dev.junction.testing.KernelInvariants;
import dev.junction.testing.UnixHttpClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Halts the daemon right after each step of each operation, as SIGKILL would, restarts it, and
 * checks that nothing leaked or is half-made, that the operation can be retried, and that its
 * names can be used again.
 */
class CrashRecoveryIT extends DaemonTestSupport {

    @Override
    protected String prefix() {
        return "crash";
    }

    private static final String CONTAINER = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private DaemonProcess startHaltingAt(String step) {
        Map<String, String> settings = settings();
        settings.put("junction.fault.halt-at", step);
        return DaemonProcess.start(settings, Path.of("target/it-logs/crash-" + step.replace(':', '-') + ".log"));
    }

    /** Sends the request that reaches the step; the daemon halts before it sends a response. */
    private void sendAndAwaitHalt(String method, String path, String body) {
        try {
            UnixHttpClient.Response response = daemon.client().send(method, path, body);
            throw new AssertionError("the daemon answered " + response.status() + " " + response.body() + " instead of halting");
        } catch (UncheckedIOException | AssertionError e) {
            if (e instanceof AssertionError && e.getMessage().startsWith("the daemon answered")) {
                throw e;
            }
        }
        assertEquals(137, daemon.awaitExit(Duration.ofSeconds(30)), "exit status of the halted daemon");
    }

    private UnixHttpClient restart(String step) {
        daemon = DaemonProcess.start(settings(), Path.of("target/it-logs/crash-" + step.replace(':', '-') + "-restart.log"));
        String output = daemon.output();
        output.lines().filter(line -> line.contains("Reconcile")).forEach(line -> System.out.println("[" + step + "] " + line));
        return daemon.client();
    }

    private void assertConsistent(UnixHttpClient api) {
        assertEquals(List.of(), KernelInvariants.check(api, host, runRoot()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"network-create:intent", "network-create:kernel", "network-create:commit"})
    void networkCreate(String step) {
        daemon = startHaltingAt(step);
        sendAndAwaitHalt("POST", "/networks", "{\"name\":\"crashnet\"}");
        UnixHttpClient api = restart(step);
        assertConsistent(api);

        int existing = api.get("/networks/crashnet").status();
        boolean committed = step.endsWith("commit");
        assertEquals(committed ? 200 : 404, existing, "network after a crash at " + step);
        assertEquals(committed ? 409 : 200, api.post("/networks", "{\"name\":\"crashnet\"}").status(), "retry");
        assertConsistent(api);
        assertEquals(200, api.delete("/networks/crashnet").status());
        assertEquals(200, api.post("/networks", "{\"name\":\"crashnet\"}").status(), "name reusable");
        assertConsistent(api);
    }

    @ParameterizedTest
    @ValueSource(strings = {"endpoint-create:commit"})
    void endpointCreate(String step) {
        daemon = startHaltingAt(step);
        assertEquals(200, daemon.client().post("/networks", "{\"name\":\"net\"}").status());
        sendAndAwaitHalt("POST", "/networks/net/endpoints", "{\"name\":\"ep\"}");
        UnixHttpClient api = restart(step);
        assertConsistent(api);

        assertEquals(200, api.get("/networks/net/endpoints/ep").status());
        assertEquals(409, api.post("/networks/net/endpoints", "{\"name\":\"ep\"}").status(), "retry");
        assertEquals(200, api.delete("/networks/net/endpoints/ep").status());
        assertEquals(200, api.post("/networks/net/endpoints", "{\"name\":\"ep\"}").status(), "name reusable");
        assertConsistent(api);
    }

    @ParameterizedTest
    @ValueSource(strings = {"join:intent", "join:namespace", "join:kernel", "join:commit"})
    void join(String step) {
        daemon = startHaltingAt(step);
        UnixHttpClient before = daemon.client();
        assertEquals(200, before.post("/networks", "{\"name\":\"net\"}").status());
        assertEquals(200, before.post("/networks/net/endpoints", "{\"name\":\"ep\"}").status());
        String address = before.get("/networks/net/endpoints/ep").json().get("address").asText();
        sendAndAwaitHalt("POST", "/networks/net/endpoints/ep/containers", "{\"container_id\":\"" + CONTAINER + "\"}");
        UnixHttpClient api = restart(step);
        assertConsistent(api);

        boolean committed = step.endsWith("commit");
        var endpoint = api.get("/networks/net/endpoints/ep").json();
        assertEquals(address, endpoint.get("address").asText(), "the endpoint keeps its address");
        assertEquals(committed, endpoint.has("container_id"), "joined after a crash at " + step);
        assertEquals(committed, Files.exists(root.resolve("run/netns/0123456789ab")), "namespace file after " + step);
        UnixHttpClient.Response retry = api.post("/networks/net/endpoints/ep/containers", "{\"container_id\":\"" + CONTAINER + "\"}");
        assertEquals(committed ? 409 : 200, retry.status(), "retry: " + retry.body());
        assertConsistent(api);
        assertEquals(200, api.delete("/networks/net/endpoints/ep/containers/" + CONTAINER).status());
        assertEquals(200, api.delete("/networks/net/endpoints/ep").status());
        assertEquals(200, api.post("/networks/net/endpoints", "{\"name\":\"ep\"}").status(), "name reusable");
        assertEquals(200, api.post("/networks/net/endpoints/ep/containers", "{\"container_id\":\"" + CONTAINER + "\"}").status());
        assertConsistent(api);
    }

    @ParameterizedTest
    @ValueSource(strings = {"leave:intent", "leave:kernel", "leave:commit"})
    void leave(String step) {
        daemon = startHaltingAt(step);
        UnixHttpClient before = daemon.client();
        assertEquals(200, before.post("/networks", "{\"name\":\"net\"}").status());
        assertEquals(200, before.post("/networks/net/endpoints", "{\"name\":\"ep\"}").status());
        assertEquals(200, before.post("/networks/net/endpoints/ep/containers", "{\"container_id\":\"" + CONTAINER + "\"}").status());
        sendAndAwaitHalt("DELETE", "/networks/net/endpoints/ep/containers/" + CONTAINER, null);
        UnixHttpClient api = restart(step);
        assertConsistent(api);

        assertFalse(api.get("/networks/net/endpoints/ep").json().has("container_id"), "a started leave is finished");
        assertFalse(Files.exists(root.resolve("run/netns/0123456789ab")), "namespace file left");
        assertFalse(Files.exists(root.resolve("run/sandboxes/0123456789ab")), "sandbox directory left");
        assertEquals(404, api.delete("/networks/net/endpoints/ep/containers/" + CONTAINER).status(), "retry");
        assertEquals(200, api.post("/networks/net/endpoints/ep/containers", "{\"container_id\":\"" + CONTAINER + "\"}").status());
        assertConsistent(api);
    }

    @ParameterizedTest
    @ValueSource(strings = {"endpoint-delete:commit"})
    void endpointDelete(String step) {
        daemon = startHaltingAt(step);
        UnixHttpClient before = daemon.client();
        assertEquals(200, before.post("/networks", "{\"name\":\"net\"}").status());
        assertEquals(200, before.post("/networks/net/endpoints", "{\"name\":\"ep\"}").status());
        sendAndAwaitHalt("DELETE", "/networks/net/endpoints/ep", null);
        UnixHttpClient api = restart(step);
        assertConsistent(api);

        assertEquals(404, api.get("/networks/net/endpoints/ep").status());
        assertEquals(404, api.delete("/networks/net/endpoints/ep").status(), "retry");
        assertEquals(200, api.post("/networks/net/endpoints", "{\"name\":\"ep\"}").status(), "name reusable");
        assertConsistent(api);
    }

    @ParameterizedTest
    @ValueSource(strings = {"network-delete:intent", "network-delete:kernel", "network-delete:commit"})
    void networkDelete(String step) {
        daemon = startHaltingAt(step);
        assertEquals(200, daemon.client().post("/networks", "{\"name\":\"net\"}").status());
        sendAndAwaitHalt("DELETE", "/networks/net", null);
        UnixHttpClient api = restart(step);
        assertConsistent(api);

        assertEquals(404, api.get("/networks/net").status(), "a started delete is finished");
        assertEquals(404, api.delete("/networks/net").status(), "retry");
        assertEquals(200, api.post("/networks", "{\"name\":\"net\"}").status(), "name reusable");
        assertConsistent(api);
        assertTrue(host.linkNames().stream().filter(link -> link.startsWith("jn-")).count() == 1, host.linkNames().toString());
    }
}
