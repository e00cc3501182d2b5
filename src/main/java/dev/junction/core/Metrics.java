package dev.junction.core;

import dev.junction.kernel.KernelException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Junction's Prometheus metrics, served at {@code /q/metrics}: a timer per API operation and
 * outcome, gauges of networks, endpoints, sandboxes and allocated addresses per network, and
 * counters of kernel errors by errno and of start-up corrections by kind.
 */
@Singleton
public class Metrics {

    private final MeterRegistry meters;
    private final Map<String, Gauge> addressGauges = new ConcurrentHashMap<>();

    Metrics(MeterRegistry meters, Registry registry, SandboxManager sandboxes) {
        this.meters = meters;
        Gauge.builder("junction.networks", registry, state -> state.networks.size())
                .description("Networks, the predefined ones included").register(meters);
        Gauge.builder("junction.endpoints", registry, state -> state.endpointNetworks.size())
                .description("Endpoints of all networks").register(meters);
        Gauge.builder("junction.sandboxes", sandboxes, SandboxManager::count)
                .description("Container sandboxes").register(meters);
    }

    /** Records one API request: {@code operation} is the resource method, {@code outcome} the status class. */
    public void recordOperation(String operation, String outcome, long nanos) {
        Timer.builder("junction.api.requests")
                .description("API requests by operation and outcome")
                .tag("operation", operation)
                .tag("outcome", outcome)
                .register(meters)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Counts a failed kernel call by its errno name and operation. */
    public void kernelError(KernelException error) {
        Counter.builder("junction.kernel.errors")
                .description("Failed kernel calls by errno")
                .tag("errno", error.errnoName())
                .tag("operation", error.operation())
                .register(meters)
                .increment();
    }

    /** Counts the corrections of the start-up reconcile by kind. */
    void corrections(Map<String, Integer> byKind) {
        for (Map.Entry<String, Integer> kind : byKind.entrySet()) {
            Counter.builder("junction.reconcile.corrections")
                    .description("Corrections of the start-up reconcile by kind")
                    .tag("kind", kind.getKey())
                    .register(meters)
                    .increment(kind.getValue());
        }
    }

    /** Adds the allocated-addresses gauge of a network with a subnet. */
    void track(NetworkEntry network) {
        if (network.addresses == null) {
            return;
        }
        addressGauges.computeIfAbsent(network.network.id(), id -> Gauge.builder("junction.network.addresses.allocated", network,
                        entry -> entry.addresses.allocatedCount())
                .description("Allocated addresses of a network, its gateway included")
                .tag("network", network.network.name())
                .tag("network_id", id)
                .register(meters));
    }

    void untrack(String networkId) {
        Gauge gauge = addressGauges.remove(networkId);
        if (gauge != null) {
            meters.remove(gauge);
        }
    }
}
