package dev.junction.bench;

import dev.junction.testing.TestDirectories;
import dev.junction.testing.TestNamespace;
import dev.junction.testing.UnixHttpClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Measures start time (from process start to the first response) and resident memory (idle,
 * and after 1,000 requests) of each build of the daemon. The builds are the plain fast-jar on the
 * build's JDK, the packaged jlink runtime with its AOT cache started by the packaged launcher, and
 * the native executable when the packages carry one. Each build starts 7 times in a namespace of
 * its own, and the tables give medians.
 */
public final class StartupBenchmark {

    private static final int RUNS = 7;
    private static final int REQUESTS = 1000;
    private static final Path PACKAGED = Path.of("target/package-root/usr/lib/junction");

    private record Sample(long startMillis, long idleKilobytes, long busyKilobytes) {
    }

    private StartupBenchmark() {
    }

    public static void main(String[] arguments) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        System.out.println("| Build | First response p50 (ms) | First response min (ms) | RSS idle p50 (MB) | RSS after 1,000 requests p50 (MB) |");
        System.out.println("| --- | ---: | ---: | ---: | ---: |");
        report("fast-jar, JDK defaults", List.of(java, "--enable-native-access=ALL-UNNAMED", "-jar", "target/quarkus-app/quarkus-run.jar"), Map.of());
        if (Files.isDirectory(PACKAGED.resolve("runtime"))) {
            report("packaged: jlink runtime, AOT cache, launcher options", List.of("packaging/junctiond"),
                    Map.of("JUNCTION_HOME", PACKAGED.toAbsolutePath().toString()));
        } else if (Files.isExecutable(PACKAGED.resolve("junctiond"))) {
            report("packaged: native executable", List.of("packaging/junctiond"), Map.of("JUNCTION_HOME", PACKAGED.toAbsolutePath().toString()));
        } else {
            System.out.println("| packaged | not built: run ./mvnw package -Dpackages first | | | |");
        }
    }

    private static void report(String build, List<String> command, Map<String, String> environment) throws Exception {
        List<Sample> samples = new ArrayList<>();
        for (int run = 0; run < RUNS; run++) {
            samples.add(measure(command, environment));
        }
        Stopwatch start = new Stopwatch();
        Stopwatch idle = new Stopwatch();
        Stopwatch busy = new Stopwatch();
        for (Sample sample : samples) {
            start.record(sample.startMillis());
            idle.record(sample.idleKilobytes());
            busy.record(sample.busyKilobytes());
        }
        System.out.printf("| %s | %d | %d | %d | %d |%n", build, start.median(), start.percentile(0), idle.median() / 1024,
                busy.median() / 1024);
    }

    private static Sample measure(List<String> command, Map<String, String> environment) throws Exception {
        TestNamespace host = TestNamespace.create("bs");
        Path root = TestDirectories.create("bs");
        Path socket = root.resolve("run/junction.sock");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(root.resolve("daemon.log").toFile());
        builder.environment().putAll(environment);
        builder.environment().put("JUNCTION_HOST_NETNS", host.path().toString());
        builder.environment().put("JUNCTION_RUN_ROOT", root.resolve("run").toString());
        builder.environment().put("JUNCTION_DATA_ROOT", root.resolve("data").toString());
        long started = System.nanoTime();
        Process process = builder.start();
        try {
            UnixHttpClient api = new UnixHttpClient(socket);
            long responded = awaitFirstResponse(process, api, root);
            // The daemon's process is the JVM or native executable that the launcher script executes in its place.
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(2));
            long idle = residentKilobytes(process.pid());
            for (int i = 0; i < REQUESTS; i++) {
                api.get("/networks");
            }
            long busy = residentKilobytes(process.pid());
            return new Sample((responded - started) / 1_000_000, idle, busy);
        } finally {
            process.destroy();
            process.waitFor(30, TimeUnit.SECONDS);
            host.close();
            TestDirectories.remove(root);
        }
    }

    private static long awaitFirstResponse(Process process, UnixHttpClient api, Path root) throws IOException {
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the daemon exited during start:\n" + Files.readString(root.resolve("daemon.log")));
            }
            if (Files.exists(root.resolve("run/junction.sock"))) {
                try {
                    if (api.get("/networks").status() == 200) {
                        return System.nanoTime();
                    }
                } catch (UncheckedIOException e) {
                    // Not accepting yet.
                }
            }
            LockSupport.parkNanos(500_000);
        }
    }

    private static long residentKilobytes(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for process " + pid);
    }
}
