package dev.junction.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.junction.driver.BridgeDriver;
import dev.junction.testing.UnixHttpClient;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Measures how the cost of one operation grows with the number of objects already there: the
 * n-th endpoint (create + join, each into a new namespace) on one bridge for n up to 1,000, and
 * the n-th network create for n up to 500, for Junction and for the same kernel work done by
 * {@code ip -batch} ({@link KernelFloor}). It prints Markdown tables of window medians at sampled
 * n and draws the curves into a PNG, {@code docs/scale.png} unless a path is given as argument.
 *
 * <p>Each curve runs alone, from a fresh daemon or floor namespace, after {@value #WARMUP_CYCLES}
 * create and delete cycles whose objects are gone before the curve starts, so that the machine
 * contains only that curve's objects. After each endpoint, a control operation whose work does not
 * depend on n is timed too: {@code GET} of the first endpoint for Junction, and an ip process
 * that reads the loopback device for the floor. When a control grows with n, the machine as a
 * whole slowed down. Linux allows at most 1,024 ports on one bridge, hence 1,000 endpoints.
 */
public final class ScaleBenchmark {

    private static final int ENDPOINTS = 1_000;
    private static final int NETWORKS = 500;
    private static final int WARMUP_CYCLES = 50;
    /** The number of samples in the median at each n: n-10 to n+10, shifted to stay within 1 and the last n. */
    static final int WINDOW = 21;
    private static final int[] ENDPOINT_SAMPLES = {1, 10, 50, 100, 250, 500, 750, 1000};
    private static final int[] NETWORK_SAMPLES = {1, 10, 50, 100, 250, 500};
    /** Pause after taking a curve's objects apart: the kernel frees namespaces and devices in background work. */
    private static final long SETTLE_MILLIS = 10_000;

    /**
     * Times of the n-th endpoint, index n-1, in microseconds: create, join, and the control GET
     * after them. {@code firstPort} is {@code ip -s link} of the first endpoint's bridge port at the end.
     */
    private record JunctionEndpoints(long[] create, long[] join, long[] control, JsonNode firstPort) {

        long[] createAndJoin() {
            return sums(create, join);
        }
    }

    /**
     * Times of the n-th floor join, index n-1, in microseconds: its two processes, and the control
     * process after them. {@code firstPort} is {@code ip -s link} of the first endpoint's bridge port at the end.
     */
    private record FloorEndpoints(long[] hostSide, long[] inside, long[] control, JsonNode firstPort) {

        long[] join() {
            return sums(hostSide, inside);
        }
    }

    private ScaleBenchmark() {
    }

    /** Returns the element-wise sums of two arrays of the same length. */
    private static long[] sums(long[] first, long[] second) {
        long[] sums = new long[first.length];
        for (int i = 0; i < sums.length; i++) {
            sums[i] = first[i] + second[i];
        }
        return sums;
    }

    public static void main(String[] arguments) {
        Path plot = Path.of(arguments.length > 0 ? arguments[0] : "docs/scale.png");

        long[] junctionNetworks = junctionNetworks();
        DaemonSession.settle(SETTLE_MILLIS);
        long[] floorNetworks = floorNetworks();
        DaemonSession.settle(SETTLE_MILLIS);
        JunctionEndpoints junctionEndpoints = junctionEndpoints();
        DaemonSession.settle(SETTLE_MILLIS);
        FloorEndpoints floorEndpoints = floorEndpoints();

        printEndpoints(junctionEndpoints, floorEndpoints);
        printNetworks(junctionNetworks, floorNetworks);

        ScalePlot.write(plot, junctionEndpoints.createAndJoin(), junctionEndpoints.control(), floorEndpoints.join(), floorEndpoints.control(),
                junctionNetworks, floorNetworks);
        System.out.println();
        System.out.println("Plot written to " + plot);
    }

    private static void printEndpoints(JunctionEndpoints junction, FloorEndpoints floor) {
        long[] createAndJoin = junction.createAndJoin();
        long[] floorJoin = floor.join();

        System.out.println("The n-th endpoint on one bridge, medians over a window of " + WINDOW + " (ms):");
        System.out.println();
        System.out.println("| n | Junction create | Junction join | Junction create + join | Control: GET one endpoint | Ratio to ip join |");
        System.out.println("| ---: | ---: | ---: | ---: | ---: | ---: |");
        for (int n : ENDPOINT_SAMPLES) {
            long total = windowMedian(createAndJoin, n);
            System.out.printf(Locale.ROOT, "| %d | %s | %s | %s | %s | %.2f |%n", n,
                    Stopwatch.millis(windowMedian(junction.create(), n)), Stopwatch.millis(windowMedian(junction.join(), n)),
                    Stopwatch.millis(total), Stopwatch.millis(windowMedian(junction.control(), n)),
                    (double) total / windowMedian(floorJoin, n));
        }
        System.out.println();
        System.out.println("| n | ip join, host side | ip join, inside | ip join | Control: one ip process reading lo |");
        System.out.println("| ---: | ---: | ---: | ---: | ---: |");
        for (int n : ENDPOINT_SAMPLES) {
            System.out.printf(Locale.ROOT, "| %d | %s | %s | %s | %s |%n", n,
                    Stopwatch.millis(windowMedian(floor.hostSide(), n)), Stopwatch.millis(windowMedian(floor.inside(), n)),
                    Stopwatch.millis(windowMedian(floorJoin, n)), Stopwatch.millis(windowMedian(floor.control(), n)));
        }
        System.out.printf(Locale.ROOT, "%nJunction: the 1,000th endpoint costs %.2f times the 10th; ip -batch: %.2f times.%n",
                (double) windowMedian(createAndJoin, 1000) / windowMedian(createAndJoin, 10),
                (double) windowMedian(floorJoin, 1000) / windowMedian(floorJoin, 10));
        System.out.println();
        System.out.println("Packets through the first endpoint's bridge port by the end of each curve:");
        System.out.println();
        System.out.println("| Curve | Sent by the bridge to the first container | Received from the first container |");
        System.out.println("| --- | ---: | ---: |");
        printPortCounters("Junction", junction.firstPort());
        printPortCounters("ip -batch", floor.firstPort());
        System.out.println();
    }

    /** Prints the packet counters of a bridge port: its transmit side carries what the bridge floods to the container. */
    private static void printPortCounters(String curve, JsonNode links) {
        JsonNode statistics = links.path(0).path("stats64");
        System.out.printf(Locale.ROOT, "| %s | %d | %d |%n", curve, statistics.path("tx").path("packets").asLong(-1),
                statistics.path("rx").path("packets").asLong(-1));
    }

    private static void printNetworks(long[] junction, long[] floor) {
        System.out.println("The n-th network create, medians over a window of " + WINDOW + " (ms):");
        System.out.println();
        System.out.println("| n | Junction create | ip -batch bridge create | Ratio |");
        System.out.println("| ---: | ---: | ---: | ---: |");
        for (int n : NETWORK_SAMPLES) {
            long api = windowMedian(junction, n);
            long kernel = windowMedian(floor, n);
            System.out.printf(Locale.ROOT, "| %d | %s | %s | %.2f |%n", n, Stopwatch.millis(api), Stopwatch.millis(kernel), (double) api / kernel);
        }
        System.out.printf(Locale.ROOT, "%nJunction: the 500th network costs %.2f times the 10th; ip -batch: %.2f times.%n",
                (double) windowMedian(junction, 500) / windowMedian(junction, 10),
                (double) windowMedian(floor, 500) / windowMedian(floor, 10));
    }

    private static JunctionEndpoints junctionEndpoints() {
        long[] create = new long[ENDPOINTS];
        long[] join = new long[ENDPOINTS];
        long[] control = new long[ENDPOINTS];
        String firstPort = null;
        try (DaemonSession session = DaemonSession.start(); KeepAliveClient api = session.client()) {
            api.post("/networks", "{\"name\":\"warm\",\"options\":{\"subnet\":\"10.231.0.0/16\"}}").requireOk();
            for (int i = 1; i <= WARMUP_CYCLES; i++) {
                String id = api.post("/networks/warm/endpoints", "{\"name\":\"w" + i + "\"}").requireOk().jsonString();
                api.post("/networks/warm/endpoints/" + id + "/containers", "{\"container_id\":\"warm" + i + "\"}").requireOk();
                api.get("/networks/warm/endpoints/" + id).requireOk();
                api.delete("/networks/warm/endpoints/" + id + "/containers/warm" + i).requireOk();
                api.delete("/networks/warm/endpoints/" + id).requireOk();
            }
            api.delete("/networks/warm").requireOk();

            api.post("/networks", "{\"name\":\"scale\",\"options\":{\"subnet\":\"10.230.0.0/16\"}}").requireOk();
            for (int n = 1; n <= ENDPOINTS; n++) {
                long t0 = System.nanoTime();
                UnixHttpClient.Response created = api.post("/networks/scale/endpoints", "{\"name\":\"e" + n + "\"}");
                long t1 = System.nanoTime();
                String id = created.requireOk().jsonString();
                if (n == 1) {
                    firstPort = BridgeDriver.hostInterfaceName(id);
                }
                long t2 = System.nanoTime();
                UnixHttpClient.Response joined = api.post("/networks/scale/endpoints/" + id + "/containers",
                        "{\"container_id\":\"sc" + n + "\"}");
                long t3 = System.nanoTime();
                joined.requireOk();
                UnixHttpClient.Response fetched = api.get("/networks/scale/endpoints/e1");
                long t4 = System.nanoTime();
                fetched.requireOk();

                create[n - 1] = (t1 - t0) / 1_000;
                join[n - 1] = (t3 - t2) / 1_000;
                control[n - 1] = (t4 - t3) / 1_000;
            }
            return new JunctionEndpoints(create, join, control, session.host().ip("-s", "link", "show", "dev", firstPort));
        }
    }

    private static FloorEndpoints floorEndpoints() {
        long[] hostSide = new long[ENDPOINTS];
        long[] inside = new long[ENDPOINTS];
        long[] control = new long[ENDPOINTS];
        try (KernelFloor kernel = KernelFloor.create()) {
            kernel.createBridge("bw", "10.231.0.1/16");
            for (int i = 1; i <= WARMUP_CYCLES; i++) {
                kernel.join(i, "bw", "10.231");
                kernel.emptyNsenterProcess();
                kernel.leave(i);
            }
            kernel.deleteBridge("bw");

            kernel.createBridge("bf", "10.230.0.1/16");
            for (int n = 1; n <= ENDPOINTS; n++) {
                KernelFloor.JoinTimes join = kernel.join(WARMUP_CYCLES + n, "bf", "10.230");
                hostSide[n - 1] = join.hostMicros();
                inside[n - 1] = join.insideMicros();
                control[n - 1] = kernel.emptyNsenterProcess();
            }
            return new FloorEndpoints(hostSide, inside, control, kernel.linkStatistics("vf" + (WARMUP_CYCLES + 1)));
        }
    }

    private static long[] junctionNetworks() {
        long[] times = new long[NETWORKS];
        try (DaemonSession session = DaemonSession.start(); KeepAliveClient api = session.client()) {
            for (int i = 0; i < WARMUP_CYCLES; i++) {
                String id = api.post("/networks", "{\"name\":\"warm\",\"options\":{\"subnet\":\"10.63.255.0/24\"}}").requireOk().jsonString();
                api.delete("/networks/" + id).requireOk();
            }
            for (int n = 1; n <= NETWORKS; n++) {
                String body = "{\"name\":\"net" + n + "\",\"options\":{\"subnet\":\"" + networkSubnet(n) + ".0/24\"}}";
                long start = System.nanoTime();
                UnixHttpClient.Response response = api.post("/networks", body);
                times[n - 1] = (System.nanoTime() - start) / 1_000;
                response.requireOk();
            }
        }
        return times;
    }

    private static long[] floorNetworks() {
        long[] times = new long[NETWORKS];
        try (KernelFloor kernel = KernelFloor.create()) {
            for (int i = 0; i < WARMUP_CYCLES; i++) {
                kernel.createBridge("bw", "10.63.255.1/24");
                kernel.deleteBridge("bw");
            }
            for (int n = 1; n <= NETWORKS; n++) {
                times[n - 1] = kernel.createBridge("bf" + n, networkSubnet(n) + ".1/24");
            }
        }
        return times;
    }

    /** Returns the first three octets of the n-th network's /24 in 10.64.0.0/10, such as {@code 10.64.1}. */
    private static String networkSubnet(int n) {
        return "10." + (64 + (n >> 8)) + "." + (n & 0xFF);
    }

    /** Returns the median of {@code times} (index n-1 for the n-th) over the {@value #WINDOW} samples around n. */
    static long windowMedian(long[] times, int n) {
        int first = Math.max(1, Math.min(n - WINDOW / 2, times.length - WINDOW + 1));
        int last = Math.min(times.length, first + WINDOW - 1);
        Stopwatch window = new Stopwatch();
        for (int i = first; i <= last; i++) {
            window.record(times[i - 1]);
        }
        return window.median();
    }

    /** Returns the window medians for n = 1 to the length of {@code times}, in milliseconds, for the plot. */
    static List<Double> rollingMedianMillis(long[] times) {
        List<Double> medians = new ArrayList<>(times.length);
        for (int n = 1; n <= times.length; n++) {
            medians.add(windowMedian(times, n) / 1000.0);
        }
        return medians;
    }
}
