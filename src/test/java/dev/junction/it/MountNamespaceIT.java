package dev.junction.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.junction.testing.DaemonProcess;
import dev.junction.testing.DaemonTestSupport;
import dev.junction.testing.TestDirectories;
import dev.junction.testing.TestNamespace;
import dev.junction.testing.UnixHttpClient;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The daemon in a mount namespace of its own, as systemd's sandboxing runs it: its namespace
 * files must still be mounted where other processes (here, the test) see and open them.
 */
class MountNamespaceIT extends DaemonTestSupport {

    /** What systemd does for a service with ProtectSystem=: a new mount namespace that the host's mounts propagate into. */
    private static final List<String> SANDBOX = List.of("unshare", "--mount", "--propagation", "slave");

    @Override
    protected String prefix() {
        return "mnt";
    }

    private DaemonProcess startSandboxed(String log) {
        Map<String, String> settings = settings();
        settings.put("junction.host-mounts-pid", Long.toString(ProcessHandle.current().pid()));
        return DaemonProcess.start(SANDBOX, settings, Path.of("target/it-logs/" + log + ".log"));
    }

    @Test
    void sandboxIsVisibleOutsideTheDaemonsMountNamespace() {
        daemon = startSandboxed("mount-namespace");
        UnixHttpClient api = daemon.client();
        assertEquals(200, api.post("/networks", "{\"name\":\"net\"}").status());
        assertEquals(200, api.post("/networks/net/endpoints", "{\"name\":\"ep\"}").status());
        Path sandbox = Path.of(api.post("/networks/net/endpoints/ep/containers", "{\"container_id\":\"box\"}").jsonString());
        String address = api.get("/networks/net/endpoints/ep").json().get("address").asText();

        assertTrue(TestDirectories.mountsUnder(root).contains(sandbox.toString()), "the namespace file is not mounted here");
        JsonNode eth0 = TestNamespace.ipIn(sandbox, "addr", "show", "dev", "eth0").get(0);
        assertTrue(eth0.toString().contains(address.split("/")[0]), eth0.toString());
        assertTrue(TestDirectories.mountsUnder(root).contains(runRoot().resolve("netns/default").toString()),
                "the default sandbox is not mounted here");

        // A restarted daemon, in a new mount namespace, finds the sandbox again.
        daemon.kill();
        daemon = startSandboxed("mount-namespace-restart");
        api = daemon.client();
        assertEquals("box", api.get("/networks/net/endpoints/ep").json().get("container_id").asText());
        assertFalse(daemon.output().contains("is gone"), daemon.output());

        assertEquals(200, api.delete("/networks/net/endpoints/ep/containers/box").status());
        assertFalse(TestDirectories.mountsUnder(root).contains(sandbox.toString()), "the namespace file is still mounted");
        assertFalse(Files.exists(sandbox), "the namespace file is left");
    }
}
