package dev.junction.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.junction.testing.Commands;
import dev.junction.testing.TestDirectories;
import dev.junction.testing.TestNamespace;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The kernel work of Junction's operations done by {@code ip -batch} (iproute2), one process per
 * operation, in a namespace of its own that plays the host: the floor that Junction's
 * figures are compared with. Each method returns the wall-clock time from starting the process to
 * its exit, in microseconds, which is how the API calls are timed.
 *
 * <p>Bridges are created and deleted by {@code ip -n NS -batch FILE}. Endpoint batches run as
 * {@code nsenter --net=FILE ip -batch FILE} instead, for two reasons. {@code ip -n} enters a
 * private copy of the mount namespace, so the bind mount that {@code netns add} makes there is
 * invisible outside the process. And making that copy costs time in proportion to the number of
 * mounts, which grows by one per container namespace: with 500 namespaces, {@code ip -n} took
 * 2.7 ms instead of 1.7 ms to read one device on the machine of docs/benchmarks.md, while
 * {@code nsenter} stayed at 2.2 ms. A join takes two processes, because an ip process returns to
 * its own namespace after {@code netns add} and so cannot configure the inside of a namespace it
 * created.
 */
final class KernelFloor implements AutoCloseable {

    /** Times of one join: the host side (namespace and veth pair) and the inside (loopback, address, route). */
    record JoinTimes(long hostMicros, long insideMicros) {

        long totalMicros() {
            return hostMicros + insideMicros;
        }
    }

    private final TestNamespace namespace;
    private final Path scripts;
    private final Set<String> containers = new LinkedHashSet<>();
    private int batches;

    private KernelFloor(TestNamespace namespace, Path scripts) {
        this.namespace = namespace;
        this.scripts = scripts;
    }

    static KernelFloor create() {
        TestNamespace namespace = TestNamespace.create(DaemonSession.PREFIX);
        try {
            return new KernelFloor(namespace, TestDirectories.create(DaemonSession.PREFIX));
        } catch (RuntimeException e) {
            namespace.close();
            throw e;
        }
    }

    /** Creates a bridge that is up, with the gateway address {@code gatewayCidr} such as {@code 10.221.0.1/16}. */
    long createBridge(String name, String gatewayCidr) {
        return inNamespace(List.of(
                "link add " + name + " mtu 1500 address " + mac(name.hashCode()) + " type bridge",
                "link set " + name + " up",
                "address add " + gatewayCidr + " dev " + name));
    }

    long deleteBridge(String name) {
        return inNamespace(List.of("link del " + name));
    }

    /**
     * Joins endpoint {@code n} to a new namespace as Junction joins a container: {@code netns add},
     * a veth pair whose host end {@code vf<n>} is up on {@code bridge} and whose peer {@code eth0}
     * is created in the namespace, then loopback and {@code eth0} up, an address of the /16
     * {@code subnet16} (such as {@code 10.221}) after its gateway {@code .0.1}, and a default route.
     */
    JoinTimes join(int n, String bridge, String subnet16) {
        if (n < 1 || n > 65_000) {
            throw new IllegalArgumentException("endpoint number " + n + " is outside 1 to 65000");
        }
        String container = containerName(n);
        int host = n + 1;
        containers.add(container);
        long hostSide = inNamespaceByNsenter(List.of(
                "netns add " + container,
                "link add vf" + n + " mtu 1500 master " + bridge + " up type veth peer name eth0 mtu 1500 address "
                        + mac(n) + " netns " + container));
        long inside = inContainer(container, List.of(
                "link set lo up",
                "link set eth0 up",
                "address add " + subnet16 + "." + (host >> 8) + "." + (host & 0xFF) + "/16 dev eth0",
                "route add default via " + subnet16 + ".0.1"));
        return new JoinTimes(hostSide, inside);
    }

    /** Takes endpoint {@code n} apart as a leave of its container's last endpoint does: the veth pair, then the namespace. */
    long leave(int n) {
        String container = containerName(n);
        long micros = inNamespaceByNsenter(List.of("link del vf" + n, "netns del " + container));
        containers.remove(container);
        return micros;
    }

    /** Runs one {@code ip -n NS -batch} process that only reads the loopback device: the cost of the process itself. */
    long emptyIpNetnsProcess() {
        return inNamespace(List.of("link show dev lo"));
    }

    /** Runs one {@code nsenter --net=NS ip -batch} process that only reads the loopback device. */
    long emptyNsenterProcess() {
        return inNamespaceByNsenter(List.of("link show dev lo"));
    }

    /** Returns {@code ip -s -j link show dev DEVICE} of the floor's namespace, for packet counters. */
    JsonNode linkStatistics(String device) {
        return namespace.ip("-s", "link", "show", "dev", device);
    }

    private String containerName(int n) {
        return namespace.name() + "-c" + n;
    }

    /** Returns a locally administered unicast MAC derived from {@code seed}. */
    private static String mac(int seed) {
        return String.format("02:42:%02x:%02x:%02x:%02x", (seed >>> 24) & 0xFF, (seed >>> 16) & 0xFF, (seed >>> 8) & 0xFF, seed & 0xFF);
    }

    private long inNamespace(List<String> lines) {
        return time(List.of("ip", "-n", namespace.name(), "-batch"), lines);
    }

    private long inNamespaceByNsenter(List<String> lines) {
        return time(List.of("nsenter", "--net=" + namespace.path(), "ip", "-batch"), lines);
    }

    private long inContainer(String container, List<String> lines) {
        return time(List.of("nsenter", "--net=/run/netns/" + container, "ip", "-batch"), lines);
    }

    /** Writes the batch file, then times one process that runs it. A non-zero exit is an error. */
    private long time(List<String> command, List<String> lines) {
        Path script = scripts.resolve("batch-" + (batches++ % 2) + ".txt");
        Path errors = scripts.resolve("errors.txt");
        List<String> full = new ArrayList<>(command);
        full.add(script.toString());
        try {
            Files.write(script, lines, StandardCharsets.US_ASCII);
            ProcessBuilder builder = new ProcessBuilder(full)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(errors.toFile());
            long start = System.nanoTime();
            Process process = builder.start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out after 60 s: " + String.join(" ", full));
            }
            long micros = (System.nanoTime() - start) / 1_000;
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", full) + " exited with " + process.exitValue() + " on the batch "
                        + lines + ": " + Files.readString(errors, StandardCharsets.UTF_8).strip());
            }
            return micros;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", full), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", full), e);
        }
    }

    /** Deletes the namespaces that joins left, then the floor's own namespace with its bridges and veth devices. */
    @Override
    public void close() {
        try {
            if (!containers.isEmpty()) {
                Path script = scripts.resolve("cleanup.txt");
                List<String> lines = containers.stream().map(container -> "netns del " + container).toList();
                try {
                    Files.write(script, lines, StandardCharsets.US_ASCII);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                Commands.run("ip", "-force", "-batch", script.toString());
                containers.clear();
            }
        } finally {
            namespace.close();
            TestDirectories.remove(scripts);
        }
    }
}
