package dev.junction.core;

import dev.junction.ipam.Subnet;
import dev.junction.testing.ApiTestSupport;
import dev.junction.testing.KernelTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

@QuarkusTest
@QuarkusTestResource(KernelTestResource.class)
class ConcurrencyTest extends ApiTestSupport {

    /** Runs the tasks on their own threads, released together, and returns their results in order. */
    private static <T> List<T> runTogether(List<Callable<T>> tasks) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService executor = Executors.newFixedThreadPool(tasks.size())) {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(executor.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        }
    }

    @Test
    void parallelCreatesOfOneNameGiveOneSuccess() throws Exception {
        String name = unique("race");
        List<Callable<Response>> tasks = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            tasks.add(() -> post("/networks", "{\"name\":\"" + name + "\"}"));
        }
        List<Response> responses = runTogether(tasks);
        int created = 0;
        int conflicts = 0;
        for (Response response : responses) {
            if (response.statusCode() == 200) {
                created++;
                track(response.as(String.class));
            } else if (response.statusCode() == 409) {
                conflicts++;
            }
        }
        assertEquals(1, created, "successful creates");
        assertEquals(19, conflicts, "409 responses");
        assertEquals(1, host().linkNames().stream().filter(link -> link.startsWith("jn-")).filter(link ->
                link.equals("jn-" + get("/networks/" + name).jsonPath().getString("id").substring(0, 12))).count());
    }

    @Test
    void parallelCreatesGetDisjointSubnets() throws Exception {
        List<Callable<Response>> tasks = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String name = unique("par" + i);
            tasks.add(() -> post("/networks", "{\"name\":\"" + name + "\"}"));
        }
        List<Subnet> subnets = new ArrayList<>();
        for (Response response : runTogether(tasks)) {
            assertEquals(200, response.statusCode(), response.asString());
            String id = response.as(String.class);
            track(id);
            subnets.add(Subnet.parse(get("/networks/" + id).jsonPath().getString("subnet")));
        }
        for (int i = 0; i < subnets.size(); i++) {
            for (int j = i + 1; j < subnets.size(); j++) {
                assertFalse(subnets.get(i).overlaps(subnets.get(j)), subnets.get(i) + " overlaps " + subnets.get(j));
            }
        }
    }

    @Test
    void parallelJoinsOnOneNetworkAllSucceed() throws Exception {
        String network = createNetwork(unique("pjoin"));
        List<String> endpoints = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            endpoints.add(createEndpoint(network, "ep" + i));
        }
        List<Callable<Response>> tasks = new ArrayList<>();
        for (int i = 0; i < endpoints.size(); i++) {
            String endpoint = endpoints.get(i);
            String container = "c-pjoin" + i;
            tasks.add(() -> post("/networks/" + network + "/endpoints/" + endpoint + "/containers",
                    "{\"container_id\":\"" + container + "\"}"));
        }
        for (Response response : runTogether(tasks)) {
            assertEquals(200, response.statusCode(), response.asString());
        }
        long veths = host().linkNames().stream().filter(link -> endpoints.stream()
                .anyMatch(endpoint -> link.equals("jv-" + endpoint.substring(0, 12)))).count();
        assertEquals(endpoints.size(), veths);
    }
}
