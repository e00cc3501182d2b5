package dev.junction.it;

import dev.junction.testing.DaemonProcess;
import dev.junction.testing.DaemonTestSupport;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sd_notify messages a systemd Type=notify service sends, received by socat in place of systemd. */
class SystemdNotifyIT extends DaemonTestSupport {

    @Override
    protected String prefix() {
        return "notify";
    }

    /** Receives datagrams on {@code address} (a socat address) into {@code file} until stopped. */
    private static Process receiver(String address, Path file) throws IOException {
        return new ProcessBuilder("socat", "-u", address, "OPEN:" + file + ",creat,append")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static String awaitContent(Path file, String expected) throws IOException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            String content = Files.exists(file) ? Files.readString(file) : "";
            if (content.contains(expected)) {
                return content;
            }
            LockSupport.parkNanos(20_000_000);
        }
        throw new AssertionError("no " + expected + " within 30 s in " + (Files.exists(file) ? Files.readString(file) : "(no file)"));
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Test
    void sendsReadyWatchdogAndStopping() throws Exception {
        Path socket = root.resolve("notify.sock");
        Path received = root.resolve("notify.txt");
        Process socat = receiver("UNIX-RECV:" + socket, received);
        try {
            while (!Files.exists(socket)) {
                assertTrue(socat.isAlive(), "socat exited");
                LockSupport.parkNanos(20_000_000);
            }
            daemon = DaemonProcess.start(List.of(), settings(), Map.of("NOTIFY_SOCKET", socket.toString(), "WATCHDOG_USEC", "200000"),
                    Path.of("target/it-logs/notify.log"));
            String ready = awaitContent(received, "WATCHDOG=1");
            assertTrue(ready.contains("READY=1"), ready);
            assertTrue(ready.contains("STATUS=Serving " + runRoot().resolve("junction.sock")), ready);
            assertTrue(ready.contains("MAINPID=" + daemon.pid()), ready);
            assertTrue(ready.indexOf("READY=1") < ready.indexOf("WATCHDOG=1"), "a watchdog ping came before READY=1");

            assertEquals(143, daemon.stop());
            String all = awaitContent(received, "STOPPING=1");
            assertTrue(all.indexOf("STOPPING=1") > all.indexOf("READY=1"), all);
        } finally {
            stop(socat);
        }
    }

    @Test
    void abstractNotifySocketWorks() throws Exception {
        String name = "junction-notify-" + ProcessHandle.current().pid();
        Path received = root.resolve("abstract.txt");
        Process socat = receiver("ABSTRACT-RECV:" + name, received);
        try {
            // Abstract sockets leave no file to wait for; the daemon's start takes far longer than socat's bind.
            daemon = DaemonProcess.start(List.of(), settings(), Map.of("NOTIFY_SOCKET", "@" + name),
                    Path.of("target/it-logs/notify-abstract.log"));
            String content = awaitContent(received, "READY=1");
            assertTrue(content.contains("STATUS="), content);
        } finally {
            stop(socat);
        }
    }
}
