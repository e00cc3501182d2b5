package dev.junction.it;

import dev.junction.testing.DaemonProcess;
import dev.junction.testing.DaemonTestSupport;
import dev.junction.testing.KernelInvariants;
import dev.junction.testing.UnixHttpClient;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several clients send a few hundred random operations; the daemon is killed with SIGKILL in the
 * middle of them. After a restart the daemon's view and the kernel must agree exactly.
 */
class CrashWorkloadIT extends DaemonTestSupport {

    @Override
    protected String prefix() {
        return "load";
    }

    private static final int CLIENTS = 4;
    private static final int KILL_AFTER = 180;
    private static final int OPERATIONS_AFTER_RESTART = 150;

    /** Sends one random operation on a small set of names, so that operations collide often. */
    private static int randomOperation(UnixHttpClient api, Random random) {
        String network = "n" + random.nextInt(4);
        String endpoint = "e" + random.nextInt(5);
        String container = "c" + random.nextInt(8);
        String endpointPath = "/networks/" + network + "/endpoints/" + endpoint;
        return switch (random.nextInt(10)) {
            case 0 -> api.post("/networks", "{\"name\":\"" + network + "\"}").status();
            case 1 -> api.delete("/networks/" + network).status();
            case 2, 3 -> api.post("/networks/" + network + "/endpoints", "{\"name\":\"" + endpoint + "\"}").status();
            case 4 -> api.delete(endpointPath).status();
            case 5, 6, 7 -> api.post(endpointPath + "/containers", "{\"container_id\":\"" + container + "\"}").status();
            default -> api.delete(endpointPath + "/containers/" + container).status();
        };
    }

    /** Runs clients until {@code total} operations were sent or the daemon went away; returns any 5xx seen. */
    private static List<String> runClients(UnixHttpClient api, long seed, int total, Runnable atLimit) throws Exception {
        AtomicInteger sent = new AtomicInteger();
        List<String> serverErrors = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService clients = Executors.newFixedThreadPool(CLIENTS)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int client = 0; client < CLIENTS; client++) {
                Random random = new Random(seed + client);
                futures.add(clients.submit(() -> {
                    start.await();
                    while (true) {
                        int number = sent.incrementAndGet();
                        if (number > total) {
                            return null;
                        }
                        if (number == total && atLimit != null) {
                            atLimit.run();
                            return null;
                        }
                        try {
                            int status = randomOperation(api, random);
                            if (status >= 500) {
                                serverErrors.add("operation " + number + " answered " + status);
                            }
                        } catch (UncheckedIOException e) {
                            return null;
                        }
                    }
                }));
            }
            start.countDown();
            for (Future<?> future : futures) {
                future.get(10, TimeUnit.MINUTES);
            }
        }
        return serverErrors;
    }

    @Test
    void killDuringWorkloadLeavesConsistentState() throws Exception {
        long seed = System.nanoTime();
        System.out.println("CrashWorkloadIT seed " + seed);
        daemon = startDaemon("workload-first");
        DaemonProcess first = daemon;
        List<String> errors = runClients(first.client(), seed, KILL_AFTER, first::kill);
        assertEquals(List.of(), errors, "server errors before the kill");

        daemon = startDaemon("workload-second");
        daemon.output().lines().filter(line -> line.contains("Reconcile")).forEach(line -> System.out.println("[workload] " + line));
        UnixHttpClient api = daemon.client();
        assertEquals(List.of(), KernelInvariants.check(api, host, runRoot()), "after the restart");

        errors = runClients(api, seed + 100, OPERATIONS_AFTER_RESTART, null);
        assertEquals(List.of(), errors, "server errors after the restart");
        assertEquals(List.of(), KernelInvariants.check(api, host, runRoot()), "after more operations");

        // Taking everything apart leaves nothing of Junction's in the kernel.
        for (var network : api.get("/networks").json()) {
            String name = network.get("name").asText();
            for (var endpoint : network.get("endpoints")) {
                String path = "/networks/" + name + "/endpoints/" + endpoint.get("id").asText();
                if (endpoint.has("container_id")) {
                    assertEquals(200, api.delete(path + "/containers/" + endpoint.get("container_id").asText()).status());
                }
                assertEquals(200, api.delete(path).status());
            }
            if (!network.has("device") || !network.get("device").asText().equals("junction0")) {
                if (!name.equals("none") && !name.equals("host")) {
                    assertEquals(200, api.delete("/networks/" + name).status());
                }
            }
        }
        assertTrue(host.linkNames().stream().noneMatch(link -> link.startsWith("jn-") || link.startsWith("jv-")),
                host.linkNames().toString());
        assertEquals(List.of(), KernelInvariants.check(api, host, runRoot()), "after taking everything apart");
    }
}
