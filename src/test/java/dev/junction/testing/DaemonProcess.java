package dev.junction.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged daemon ({@code target/quarkus-app/quarkus-run.jar}) run as a separate process,
 * as a user runs it, with its host namespace and roots pointed at ones the test created.
 */
public final class DaemonProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path log;
    private final Path socket;

    private DaemonProcess(Process process, Path log, Path socket) {
        this.process = process;
        this.log = log;
        this.socket = socket;
    }

    /** Settings for a daemon whose host namespace is {@code host} and whose state lives under {@code root}. */
    public static Map<String, String> settings(TestNamespace host, Path root) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("junction.host-netns", host.path().toString());
        settings.put("junction.run-root", root.resolve("run").toString());
        settings.put("junction.data-root", root.resolve("data").toString());
        return settings;
    }

    /** Starts the daemon and waits until it serves requests on its socket. */
    public static DaemonProcess start(Map<String, String> settings, Path log) {
        DaemonProcess daemon = launch(settings, log);
        daemon.awaitReady();
        return daemon;
    }

    /** Starts the daemon without waiting, for tests of start-up failures. */
    public static DaemonProcess launch(Map<String, String> settings, Path log) {
        return launch(List.of(), settings, log);
    }

    /** Starts the daemon under {@code wrapper}, such as {@code unshare --mount}, and waits until it serves requests. */
    public static DaemonProcess start(List<String> wrapper, Map<String, String> settings, Path log) {
        return start(wrapper, settings, Map.of(), log);
    }

    /** Starts the daemon under {@code wrapper} with extra environment variables, and waits until it serves requests. */
    public static DaemonProcess start(List<String> wrapper, Map<String, String> settings, Map<String, String> environment, Path log) {
        DaemonProcess daemon = launch(wrapper, settings, environment, log);
        daemon.awaitReady();
        return daemon;
    }

    private static DaemonProcess launch(List<String> wrapper, Map<String, String> settings, Path log) {
        return launch(wrapper, settings, Map.of(), log);
    }

    private static DaemonProcess launch(List<String> wrapper, Map<String, String> settings, Map<String, String> environment, Path log) {
        List<String> command = new ArrayList<>(wrapper);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (Map.Entry<String, String> setting : settings.entrySet()) {
            command.add("-D" + setting.getKey() + "=" + setting.getValue());
        }
        command.add("-jar");
        command.add(appJar().toString());
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().putAll(environment);
            Process process = builder
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            Path socket = Path.of(settings.getOrDefault("junction.socket.path",
                    settings.getOrDefault("junction.run-root", "/run/junction") + "/junction.sock"));
            return new DaemonProcess(process, log, socket);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the daemon", e);
        }
    }

    public static Path appJar() {
        String jar = System.getProperty("junction.app.jar", "target/quarkus-app/quarkus-run.jar");
        Path path = Path.of(jar);
        if (!Files.exists(path)) {
            throw new AssertionError("the packaged daemon " + path + " is missing; run ./mvnw verify, which packages it before the integration tests");
        }
        return path;
    }

    public UnixHttpClient client() {
        return new UnixHttpClient(socket);
    }

    public Path socket() {
        return socket;
    }

    public long pid() {
        return process.pid();
    }

    private void awaitReady() {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError("the daemon exited with " + process.exitValue() + " during start:\n" + output());
            }
            if (Files.exists(socket)) {
                try {
                    if (client().get("/networks").status() == 200) {
                        return;
                    }
                } catch (UncheckedIOException e) {
                    // Not accepting yet.
                }
            }
            pause();
        }
        throw new AssertionError("the daemon did not answer on " + socket + " within " + START_TIMEOUT + ":\n" + output());
    }

    /** Waits for the process to end on its own and returns its exit code. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the daemon did not exit within " + timeout + ":\n" + output());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    /** Sends SIGTERM and waits for the exit code. */
    public int stop() {
        process.destroy();
        return awaitExit(Duration.ofSeconds(30));
    }

    /** Sends SIGKILL and waits until the process is gone. */
    public void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(30));
    }

    public String output() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
