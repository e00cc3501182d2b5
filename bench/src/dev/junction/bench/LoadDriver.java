package dev.junction.bench;

import dev.junction.testing.UnixHttpClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Drives the packaged daemon over its Unix socket with kept-alive HTTP/1.1 connections and
 * prints Markdown tables: p50 and p99 latency and throughput of network, endpoint and service
 * life cycles and of {@code GET /networks} on 1 and 16 connections, the same kernel work done by
 * {@code ip -batch} (see {@link KernelFloor}), and the ratio of each Junction figure to it.
 *
 * <p>Each life cycle runs {@value #WARMUP_CYCLES} times unmeasured, then {@value #CYCLES} times
 * measured, one request at a time on one connection. Every Junction cycle is followed by one
 * cycle of the kernel floor, so both see the same background load, such as the kernel freeing
 * the namespaces of earlier cycles. The throughput of a life cycle is therefore the number of
 * cycles divided by the sum of their durations, which is what one client issuing them back to
 * back gets. The throughput of GETs is requests divided by the wall-clock time of the loop.
 */
public final class LoadDriver {

    private static final int WARMUP_CYCLES = 30;
    private static final int CYCLES = 300;
    private static final int GET_WARMUP = 1_000;
    private static final int GET_REQUESTS = 5_000;
    private static final int CONCURRENT_CONNECTIONS = 16;
    private static final int CONCURRENT_WARMUP = 100;
    private static final int CONCURRENT_REQUESTS = 500;
    private static final int NEW_CONNECTION_REQUESTS = 1_000;
    /** Pause between phases: the kernel frees deleted namespaces and devices in background work that competes for the CPUs. */
    private static final long SETTLE_MILLIS = 5_000;
    /** The first two octets of the /16 that endpoints and services join, in the daemon's namespace and in the floor's. */
    private static final String ENDPOINT_SUBNET = "10.221";

    /** Latencies of one measured operation, and its throughput in operations per second or NaN where none applies. */
    private record Measured(String name, Stopwatch latency, double throughput) {

        static Measured steps(String name, Stopwatch latency) {
            return new Measured(name, latency, Double.NaN);
        }

        static Measured backToBack(String name, Stopwatch latency) {
            long total = latency.values().stream().mapToLong(Long::longValue).sum();
            return new Measured(name, latency, latency.count() * 1e6 / total);
        }

        static Measured overWallClock(String name, Stopwatch latency, long wallMicros) {
            return new Measured(name, latency, latency.count() * 1e6 / wallMicros);
        }
    }

    private final List<Measured> junction = new ArrayList<>();
    private final List<Measured> floor = new ArrayList<>();
    private int floorEndpoints;

    private LoadDriver() {
    }

    public static void main(String[] arguments) {
        LoadDriver driver = new LoadDriver();
        try (DaemonSession session = DaemonSession.start();
             KeepAliveClient api = session.client();
             KernelFloor kernel = KernelFloor.create()) {
            api.post("/networks", "{\"name\":\"ld\",\"options\":{\"subnet\":\"" + ENDPOINT_SUBNET + ".0.0/16\"}}").requireOk();
            kernel.createBridge("bf-e", ENDPOINT_SUBNET + ".0.1/16");

            driver.listNetworks(api, session);
            DaemonSession.settle(SETTLE_MILLIS);
            driver.networkCycles(api, kernel);
            DaemonSession.settle(SETTLE_MILLIS);
            driver.endpointCycles(api, kernel);
            DaemonSession.settle(SETTLE_MILLIS);
            driver.serviceCycles(api, kernel);
            DaemonSession.settle(SETTLE_MILLIS);
            driver.processCosts(kernel);

            if (api.connectionsOpened() != 1) {
                System.out.printf("Note: the server closed the kept connection; the client opened %d connections.%n%n",
                        api.connectionsOpened());
            }
        }
        driver.print();
    }

    /** Lists the networks (none, host, bridge and ld, with no endpoints) on one kept connection, on 16, and with a new connection per request. */
    private void listNetworks(KeepAliveClient api, DaemonSession session) {
        for (int i = 0; i < GET_WARMUP; i++) {
            api.get("/networks").requireOk();
        }
        Stopwatch single = new Stopwatch();
        long start = System.nanoTime();
        for (int i = 0; i < GET_REQUESTS; i++) {
            single.time(() -> api.get("/networks").requireOk());
        }
        junction.add(Measured.overWallClock("GET /networks, 1 connection", single, (System.nanoTime() - start) / 1_000));

        junction.add(listConcurrently(session));

        UnixHttpClient oneShot = session.daemon().client();
        Stopwatch fresh = new Stopwatch();
        start = System.nanoTime();
        for (int i = 0; i < NEW_CONNECTION_REQUESTS; i++) {
            fresh.time(() -> oneShot.get("/networks").requireOk());
        }
        junction.add(Measured.overWallClock("GET /networks, new connection per request", fresh, (System.nanoTime() - start) / 1_000));
    }

    private static Measured listConcurrently(DaemonSession session) {
        Stopwatch[] latencies = new Stopwatch[CONCURRENT_CONNECTIONS];
        CountDownLatch ready = new CountDownLatch(CONCURRENT_CONNECTIONS);
        CountDownLatch go = new CountDownLatch(1);
        AtomicReference<RuntimeException> failure = new AtomicReference<>();

        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < CONCURRENT_CONNECTIONS; t++) {
            Stopwatch latency = new Stopwatch();
            latencies[t] = latency;
            threads.add(Thread.ofPlatform().name("get-" + t).start(() -> {
                try (KeepAliveClient client = session.client()) {
                    for (int i = 0; i < CONCURRENT_WARMUP; i++) {
                        client.get("/networks").requireOk();
                    }
                    ready.countDown();
                    go.await();
                    for (int i = 0; i < CONCURRENT_REQUESTS; i++) {
                        latency.time(() -> client.get("/networks").requireOk());
                    }
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                    ready.countDown();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }

        long start;
        try {
            ready.await();
            start = System.nanoTime();
            go.countDown();
            for (Thread thread : threads) {
                thread.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the client threads", e);
        }
        long wall = (System.nanoTime() - start) / 1_000;
        if (failure.get() != null) {
            throw failure.get();
        }

        Stopwatch all = new Stopwatch();
        for (Stopwatch latency : latencies) {
            latency.values().forEach(all::record);
        }
        return Measured.overWallClock("GET /networks, " + CONCURRENT_CONNECTIONS + " connections", all, wall);
    }

    private void networkCycles(KeepAliveClient api, KernelFloor kernel) {
        Stopwatch create = new Stopwatch();
        Stopwatch delete = new Stopwatch();
        Stopwatch cycle = new Stopwatch();
        Stopwatch bridgeCreate = new Stopwatch();
        Stopwatch bridgeDelete = new Stopwatch();
        Stopwatch bridgeCycle = new Stopwatch();
        for (int i = 0; i < WARMUP_CYCLES + CYCLES; i++) {
            long t0 = System.nanoTime();
            String id = api.post("/networks", "{\"name\":\"ld" + i + "\",\"options\":{\"subnet\":\"10.220.0.0/24\"}}").requireOk().jsonString();
            long t1 = System.nanoTime();
            api.delete("/networks/" + id).requireOk();
            long t2 = System.nanoTime();

            long created = kernel.createBridge("bf-l", "10.220.0.1/24");
            long deleted = kernel.deleteBridge("bf-l");

            if (i >= WARMUP_CYCLES) {
                create.record((t1 - t0) / 1_000);
                delete.record((t2 - t1) / 1_000);
                cycle.record((t2 - t0) / 1_000);
                bridgeCreate.record(created);
                bridgeDelete.record(deleted);
                bridgeCycle.record(created + deleted);
            }
        }
        junction.add(Measured.steps("network create", create));
        junction.add(Measured.steps("network delete", delete));
        junction.add(Measured.backToBack("network create + delete", cycle));
        floor.add(Measured.steps("bridge create (link add, up, address)", bridgeCreate));
        floor.add(Measured.steps("bridge delete", bridgeDelete));
        floor.add(Measured.steps("bridge create + delete", bridgeCycle));
    }

    private void endpointCycles(KeepAliveClient api, KernelFloor kernel) {
        FloorCycles floorCycles = measureCycles(api, kernel, LoadDriver::endpointCycle, List.of("endpoint create",
                "endpoint join (new namespace)", "endpoint leave (namespace removed)", "endpoint delete",
                "endpoint create + join + leave + delete"));
        floor.add(Measured.steps("join, host side (netns add, veth pair on the bridge)", floorCycles.joinHost));
        floor.add(Measured.steps("join, inside (lo and eth0 up, address, default route)", floorCycles.joinInside));
        floor.add(Measured.steps("join (both processes)", floorCycles.join));
        floor.add(Measured.steps("leave (link del, netns del)", floorCycles.leave));
        floor.add(Measured.steps("join + leave", floorCycles.cycle));
    }

    /** Runs one endpoint life cycle on network {@code ld}, records its four steps in {@code steps} if given, and returns its total. */
    private static long endpointCycle(KeepAliveClient api, String suffix, Stopwatch[] steps) {
        String container = "ldc-" + suffix;
        long t0 = System.nanoTime();
        String id = api.post("/networks/ld/endpoints", "{\"name\":\"e-" + suffix + "\"}").requireOk().jsonString();
        long t1 = System.nanoTime();
        api.post("/networks/ld/endpoints/" + id + "/containers", "{\"container_id\":\"" + container + "\"}").requireOk().jsonString();
        long t2 = System.nanoTime();
        api.delete("/networks/ld/endpoints/" + id + "/containers/" + container).requireOk();
        long t3 = System.nanoTime();
        api.delete("/networks/ld/endpoints/" + id).requireOk();
        long t4 = System.nanoTime();
        recordSteps(steps, t0, t1, t2, t3, t4);
        return (t4 - t0) / 1_000;
    }

    private void serviceCycles(KeepAliveClient api, KernelFloor kernel) {
        FloorCycles floorCycles = measureCycles(api, kernel, LoadDriver::serviceCycle, List.of("service publish",
                "service attach (new namespace)", "service detach (namespace removed)", "service unpublish",
                "service publish + attach + detach + unpublish"));
        floor.add(Measured.steps("join + leave, alongside the service cycles", floorCycles.cycle));
    }

    /** One life cycle of four API steps: records each step in {@code steps} if given and returns the total in microseconds. */
    private interface LifeCycle {
        long run(KeepAliveClient api, String suffix, Stopwatch[] steps);
    }

    /**
     * Runs the warm-up and measured life cycles, each followed by a kernel floor cycle, and adds the
     * four steps and the whole cycle to the results under {@code names}. Returns the floor cycles.
     */
    private FloorCycles measureCycles(KeepAliveClient api, KernelFloor kernel, LifeCycle lifeCycle, List<String> names) {
        Stopwatch[] steps = {new Stopwatch(), new Stopwatch(), new Stopwatch(), new Stopwatch()};
        Stopwatch cycle = new Stopwatch();
        FloorCycles floorCycles = new FloorCycles();
        for (int i = 0; i < WARMUP_CYCLES + CYCLES; i++) {
            boolean measured = i >= WARMUP_CYCLES;
            long total = lifeCycle.run(api, "c" + i, measured ? steps : null);
            floorCycles.run(kernel, measured);
            if (measured) {
                cycle.record(total);
            }
        }
        for (int step = 0; step < steps.length; step++) {
            junction.add(Measured.steps(names.get(step), steps[step]));
        }
        junction.add(Measured.backToBack(names.get(steps.length), cycle));
        return floorCycles;
    }

    private static long serviceCycle(KeepAliveClient api, String suffix, Stopwatch[] steps) {
        String container = "lds-" + suffix;
        long t0 = System.nanoTime();
        String id = api.post("/services", "{\"name\":\"s-" + suffix + "\",\"network_name\":\"ld\"}").requireOk().jsonString();
        long t1 = System.nanoTime();
        api.post("/services/" + id + "/backend", "{\"container_id\":\"" + container + "\"}").requireOk().jsonString();
        long t2 = System.nanoTime();
        api.delete("/services/" + id + "/backend/" + container).requireOk();
        long t3 = System.nanoTime();
        api.delete("/services/" + id).requireOk();
        long t4 = System.nanoTime();
        recordSteps(steps, t0, t1, t2, t3, t4);
        return (t4 - t0) / 1_000;
    }

    private static void recordSteps(Stopwatch[] steps, long... times) {
        if (steps == null) {
            return;
        }
        for (int i = 0; i < steps.length; i++) {
            steps[i].record((times[i + 1] - times[i]) / 1_000);
        }
    }

    /** Join and leave cycles of the kernel floor on bridge {@code bf-e}, each with a new endpoint number. */
    private final class FloorCycles {

        final Stopwatch joinHost = new Stopwatch();
        final Stopwatch joinInside = new Stopwatch();
        final Stopwatch join = new Stopwatch();
        final Stopwatch leave = new Stopwatch();
        final Stopwatch cycle = new Stopwatch();

        void run(KernelFloor kernel, boolean measured) {
            int n = ++floorEndpoints;
            KernelFloor.JoinTimes joined = kernel.join(n, "bf-e", ENDPOINT_SUBNET);
            long left = kernel.leave(n);
            if (measured) {
                joinHost.record(joined.hostMicros());
                joinInside.record(joined.insideMicros());
                join.record(joined.totalMicros());
                leave.record(left);
                cycle.record(joined.totalMicros() + left);
            }
        }
    }

    /** Measures the cost of an ip process that does almost nothing, started each of the two ways the floor uses. */
    private void processCosts(KernelFloor kernel) {
        Stopwatch ipNetns = new Stopwatch();
        Stopwatch nsenter = new Stopwatch();
        for (int i = 0; i < WARMUP_CYCLES + CYCLES; i++) {
            long ipNetnsMicros = kernel.emptyIpNetnsProcess();
            long nsenterMicros = kernel.emptyNsenterProcess();
            if (i >= WARMUP_CYCLES) {
                ipNetns.record(ipNetnsMicros);
                nsenter.record(nsenterMicros);
            }
        }
        floor.add(Measured.steps("one `ip -n NS -batch` process reading lo", ipNetns));
        floor.add(Measured.steps("one `nsenter --net=NS ip -batch` process reading lo", nsenter));
    }

    private void print() {
        System.out.println("Junction, one request at a time unless stated:");
        System.out.println();
        System.out.println("| Operation | Count | p50 (ms) | p99 (ms) | Throughput (ops/s) |");
        System.out.println("| --- | ---: | ---: | ---: | ---: |");
        for (Measured measured : junction) {
            System.out.printf(Locale.ROOT, "| %s | %d | %s | %s | %s |%n", measured.name(), measured.latency().count(),
                    millis(measured.latency().median()), millis(measured.latency().percentile(99)),
                    Double.isNaN(measured.throughput()) ? "" : String.format(Locale.ROOT, "%.1f", measured.throughput()));
        }
        System.out.println();
        System.out.println("Kernel floor, one ip process per operation unless stated:");
        System.out.println();
        System.out.println("| Kernel operation | Count | p50 (ms) | p99 (ms) |");
        System.out.println("| --- | ---: | ---: | ---: |");
        for (Measured measured : floor) {
            System.out.printf(Locale.ROOT, "| %s | %d | %s | %s |%n", measured.name(), measured.latency().count(),
                    millis(measured.latency().median()), millis(measured.latency().percentile(99)));
        }
        System.out.println();
        System.out.println("| Junction operation | Floor | p50 ratio | p99 ratio |");
        System.out.println("| --- | --- | ---: | ---: |");
        ratio("network create", "bridge create (link add, up, address)");
        ratio("network delete", "bridge delete");
        ratio("network create + delete", "bridge create + delete");
        ratio("endpoint join (new namespace)", "join (both processes)");
        ratio("endpoint leave (namespace removed)", "leave (link del, netns del)");
        ratio("endpoint create + join + leave + delete", "join + leave");
        ratio("service publish + attach + detach + unpublish", "join + leave, alongside the service cycles");
    }

    private void ratio(String junctionName, String floorName) {
        Stopwatch api = find(junction, junctionName).latency();
        Stopwatch kernel = find(floor, floorName).latency();
        System.out.printf(Locale.ROOT, "| %s | %s | %.2f | %.2f |%n", junctionName, floorName,
                (double) api.median() / kernel.median(), (double) api.percentile(99) / kernel.percentile(99));
    }

    private static Measured find(List<Measured> measurements, String name) {
        return measurements.stream().filter(measured -> measured.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no measurement named " + name));
    }

    /** Formats microseconds as milliseconds with three decimals, enough for sub-millisecond GETs. */
    private static String millis(long micros) {
        return String.format(Locale.ROOT, "%.3f", micros / 1000.0);
    }
}
