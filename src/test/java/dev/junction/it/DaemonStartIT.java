package dev.junction.it;

import dev.junction.testing.DaemonProcess;
import dev.junction.testing.DaemonTestSupport;
import dev.junction.testing.TestDirectories;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the packaged daemon starts, refuses to start, and listens. */
class DaemonStartIT extends DaemonTestSupport {

    @Override
    protected String prefix() {
        return "start";
    }

    @Test
    void secondDaemonOnRunRootExits() {
        Map<String, String> settings = settings();
        try (DaemonProcess first = DaemonProcess.start(settings, Path.of("target/it-logs/lock-first.log"))) {
            Map<String, String> second = new HashMap<>(settings);
            second.put("junction.socket.path", root.resolve("second.sock").toString());
            try (DaemonProcess refused = DaemonProcess.launch(second, root.resolve("second.log"))) {
                int exitCode = refused.awaitExit(Duration.ofSeconds(60));
                assertNotEquals(0, exitCode);
                assertTrue(refused.output().contains("Another Junction daemon (pid " + first.pid() + ")"), refused.output());
                assertTrue(refused.output().contains("junction.lock"), refused.output());
            }
            assertEquals(200, first.client().get("/networks").status(), "the first daemon must keep serving");
        }
    }

    @Test
    void secondDaemonInSameNamespaceExits() {
        try (DaemonProcess first = DaemonProcess.start(settings(), Path.of("target/it-logs/namespace-first.log"))) {
            Map<String, String> second = new HashMap<>();
            second.put("junction.host-netns", host.path().toString());
            second.put("junction.run-root", root.resolve("second/run").toString());
            second.put("junction.data-root", root.resolve("second/data").toString());
            try (DaemonProcess refused = DaemonProcess.launch(second, root.resolve("namespace-second.log"))) {
                assertNotEquals(0, refused.awaitExit(Duration.ofSeconds(60)));
                assertTrue(refused.output().contains("Another Junction daemon already serves " + host.path()), refused.output());
            }
            assertTrue(host.linkNames().contains("junction0"), "the refused daemon touched the first one's bridge");
            assertEquals(200, first.client().get("/networks").status());
        }
    }

    @Test
    void socketHasMode0660() throws IOException {
        try (DaemonProcess daemon = DaemonProcess.start(settings(), Path.of("target/it-logs/mode.log"))) {
            assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(daemon.socket())));
        }
    }

    @Test
    void nonLoopbackTcpAddressIsRejected() {
        Map<String, String> settings = settings();
        settings.put("junction.tcp.address", "0.0.0.0:2385");
        daemon = DaemonProcess.launch(settings, root.resolve("tcp.log"));
        assertNotEquals(0, daemon.awaitExit(Duration.ofSeconds(60)));
        assertTrue(daemon.output().contains("junction.tcp.address 0.0.0.0:2385 is not a loopback address"), daemon.output());
    }

    @Test
    void loopbackTcpListenerServesApi() throws Exception {
        Map<String, String> settings = settings();
        settings.put("junction.tcp.address", "127.0.0.1:23851");
        try (DaemonProcess daemon = DaemonProcess.start(settings, Path.of("target/it-logs/tcp.log"));
             HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:23851/networks")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertTrue(response.body().contains("\"bridge\""), response.body());
        }
    }

    @Test
    void missingHostNamespaceStopsStartWithMessage() {
        Map<String, String> settings = settings();
        settings.put("junction.host-netns", "/run/netns/does-not-exist");
        daemon = DaemonProcess.launch(settings, root.resolve("netns.log"));
        assertNotEquals(0, daemon.awaitExit(Duration.ofSeconds(60)));
        assertTrue(daemon.output().contains("/run/netns/does-not-exist does not exist"), daemon.output());
        assertEquals(List.of(), TestDirectories.mountsUnder(root), "a failed start left mounts behind");
    }

    @Test
    void sigtermExitsWith143AndRemovesSocket() {
        daemon = DaemonProcess.start(settings(), Path.of("target/it-logs/sigterm.log"));
        assertEquals(143, daemon.stop());
        assertTrue(Files.notExists(daemon.socket()), "socket left after SIGTERM");
    }
}
