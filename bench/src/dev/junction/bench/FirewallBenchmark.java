package dev.junction.bench;

import dev.junction.testing.DaemonProcess;
import dev.junction.testing.TestDirectories;
import dev.junction.testing.TestNamespace;
import dev.junction.testing.UnixHttpClient;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * Measures what published ports cost: a join and a leave of one endpoint with 0, 1, 10, 100 and
 * 1,000 port mappings, and the join of the n-th of 1,000 endpoints that each publish one port.
 * It starts the packaged daemon in a namespace of its own and prints Markdown tables.
 */
public final class FirewallBenchmark {

    private static final int ROUNDS = 15;
    private static final int ENDPOINTS = 1000;

    private FirewallBenchmark() {
    }

    public static void main(String[] arguments) {
        TestNamespace host = TestNamespace.create("bench");
        Path root = TestDirectories.create("bench");
        try (DaemonProcess daemon = DaemonProcess.start(DaemonProcess.settings(host, root), root.resolve("daemon.log"))) {
            UnixHttpClient api = daemon.client();
            api.post("/networks", "{\"name\":\"bench\",\"options\":{\"subnet\":\"10.200.0.0/16\"}}").requireOk();
            mappingsPerEndpoint(api);
            endpointsPerNetwork(api);
        } finally {
            host.close();
            TestDirectories.remove(root);
        }
    }

    private static void mappingsPerEndpoint(UnixHttpClient api) {
        System.out.println("| Port mappings | Join p50 (ms) | Join p90 (ms) | Leave p50 (ms) | Leave p90 (ms) |");
        System.out.println("| ---: | ---: | ---: | ---: | ---: |");
        for (int mappings : new int[]{0, 1, 10, 100, 1000}) {
            String name = "m" + mappings;
            StringJoiner body = new StringJoiner(",", "{\"name\":\"" + name + "\",\"port_mapping\":[", "]}");
            for (int i = 0; i < mappings; i++) {
                body.add("{\"proto\":6,\"port\":" + (1000 + i) + ",\"host_port\":" + (20000 + i) + "}");
            }
            api.post("/networks/bench/endpoints", body.toString()).requireOk();
            Stopwatch join = new Stopwatch();
            Stopwatch leave = new Stopwatch();
            for (int round = 0; round < ROUNDS; round++) {
                join.time(() -> api.post("/networks/bench/endpoints/" + name + "/containers", "{\"container_id\":\"c-" + name + "\"}").requireOk());
                leave.time(() -> api.delete("/networks/bench/endpoints/" + name + "/containers/c-" + name).requireOk());
            }
            api.delete("/networks/bench/endpoints/" + name).requireOk();
            System.out.printf("| %d | %s | %s | %s | %s |%n", mappings, Stopwatch.millis(join.median()), Stopwatch.millis(join.percentile(90)),
                    Stopwatch.millis(leave.median()), Stopwatch.millis(leave.percentile(90)));
        }
        System.out.println();
    }

    private static void endpointsPerNetwork(UnixHttpClient api) {
        List<Long> joins = new ArrayList<>();
        for (int n = 1; n <= ENDPOINTS; n++) {
            String name = "e" + n;
            api.post("/networks/bench/endpoints", "{\"name\":\"" + name + "\",\"port_mapping\":[{\"proto\":6,\"port\":80,\"host_port\":"
                    + (30000 + n) + "}]}").requireOk();
            long start = System.nanoTime();
            api.post("/networks/bench/endpoints/" + name + "/containers", "{\"container_id\":\"c" + n + "\"}").requireOk();
            joins.add((System.nanoTime() - start) / 1_000);
        }
        System.out.println("| Endpoint joined (each publishing one port) | Join p50 over a window of 21 (ms) |");
        System.out.println("| ---: | ---: |");
        for (int n : new int[]{1, 10, 100, 500, 1000}) {
            Stopwatch window = new Stopwatch();
            for (int i = Math.max(1, n - 10); i <= Math.min(ENDPOINTS, n + 10); i++) {
                window.record(joins.get(i - 1));
            }
            System.out.printf("| %d | %s |%n", n, Stopwatch.millis(window.median()));
        }
        for (int n = 1; n <= ENDPOINTS; n++) {
            api.delete("/networks/bench/endpoints/e" + n + "/containers/c" + n).requireOk();
            api.delete("/networks/bench/endpoints/e" + n).requireOk();
        }
    }
}
