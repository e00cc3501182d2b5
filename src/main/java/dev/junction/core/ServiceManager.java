package dev.junction.core;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/**
 * Services are endpoints addressed without their network: publishing creates an endpoint,
 * attaching a backend joins a container to it, and unpublishing deletes it.
 */
@ApplicationScoped
public class ServiceManager {

    private static final String SERVICE = "service";

    private final Registry registry;
    private final EndpointManager endpoints;

    ServiceManager(Registry registry, EndpointManager endpoints) {
        this.registry = registry;
        this.endpoints = endpoints;
    }

    /** Lists the endpoints of every network, in network order and then endpoint order. */
    public List<Endpoint> list() {
        List<Endpoint> services = new ArrayList<>();
        for (NetworkEntry network : registry.networksInOrder()) {
            services.addAll(Registry.endpointsInOrder(network));
        }
        return services;
    }

    public Endpoint get(String reference) {
        return registry.endpointOfAnyNetwork(reference, "service");
    }

    public String publish(String name, String networkName, List<TransportPort> exposedPorts, List<PortBinding> portMapping) {
        if (networkName == null || networkName.isEmpty()) {
            throw JunctionException.invalid("network_name is required");
        }
        return endpoints.create(SERVICE, networkName, name, exposedPorts, portMapping);
    }

    public void unpublish(String reference) {
        Endpoint service = get(reference);
        if (service.join() != null) {
            throw JunctionException.conflict("service %s has backend container %s attached; detach it first",
                    service.name(), service.join().containerId());
        }
        endpoints.delete(SERVICE, service.networkId(), service.id());
    }

    public String attach(String reference, JoinOptions options) {
        Endpoint service = get(reference);
        return endpoints.join(SERVICE, service.networkId(), service.id(), options);
    }

    /** Returns the ID of the container attached to a service, if any. */
    public List<String> backends(String reference) {
        Endpoint service = get(reference);
        return service.join() == null ? List.of() : List.of(service.join().containerId());
    }

    public void detach(String reference, String containerId) {
        Endpoint service = get(reference);
        endpoints.leave(SERVICE, service.networkId(), service.id(), containerId);
    }
}
