package dev.junction.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A socat server inside a namespace that replies to each TCP connection or UDP datagram with
 * {@code NAME saw ADDRESS}, the client address it saw, so that tests can check NAT.
 */
public final class SocatServer implements AutoCloseable {

    private final Process process;

    private SocatServer(Process process) {
        this.process = process;
    }

    /** Starts a TCP server on {@code port} in the namespace bound at {@code namespace} and waits until it replies. */
    public static SocatServer tcp(Path namespace, int port, String name) {
        SocatServer server = start(namespace, List.of("TCP-LISTEN:" + port + ",fork,reuseaddr", "SYSTEM:echo " + name + " saw $SOCAT_PEERADDR"));
        server.awaitAnswer(() -> TcpClient.send(namespace, "127.0.0.1", port));
        return server;
    }

    /** Starts a UDP server on {@code port} and waits until it replies. */
    public static SocatServer udp(Path namespace, int port, String name) {
        SocatServer server = start(namespace, List.of("UDP-RECVFROM:" + port + ",fork,reuseaddr", "SYSTEM:echo " + name + " saw $SOCAT_PEERADDR"));
        server.awaitAnswer(() -> TcpClient.sendUdp(namespace, "127.0.0.1", port));
        return server;
    }

    private static SocatServer start(Path namespace, List<String> arguments) {
        List<String> command = new ArrayList<>(List.of("nsenter", "--net=" + namespace, "socat"));
        command.addAll(arguments);
        try {
            return new SocatServer(new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start socat; install the socat package", e);
        }
    }

    private void awaitAnswer(Supplier<String> probe) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError("socat exited with " + process.exitValue());
            }
            if (!probe.get().isEmpty()) {
                return;
            }
        }
        throw new AssertionError("socat did not answer within 20 s");
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Clients that return the reply of a {@link SocatServer}, or an empty string. */
    public static final class TcpClient {

        private TcpClient() {
        }

        public static String send(Path namespace, String address, int port) {
            return TestNamespace.execIn(namespace, "socat", "-T2", "-", "TCP:" + address + ":" + port + ",connect-timeout=2")
                    .stdout().strip();
        }

        public static String sendUdp(Path namespace, String address, int port) {
            return TestNamespace.execIn(namespace, "sh", "-c", "echo ping | socat -T1 - UDP:" + address + ":" + port)
                    .stdout().strip();
        }
    }
}
