package dev.junction.core;

import dev.junction.ipam.Ipv4Address;
import dev.junction.kernel.MacAddress;

import java.util.List;

/**
 * An endpoint of a network. {@code address} and {@code mac} are set on bridge networks only;
 * {@code join} is null until a container joins. {@code sequence} orders endpoints by creation.
 */
public record Endpoint(
        String id,
        String name,
        String networkId,
        Ipv4Address address,
        int prefixLength,
        MacAddress mac,
        List<TransportPort> exposedPorts,
        List<PortBinding> portMapping,
        Join join,
        long sequence) {

    public Endpoint {
        exposedPorts = exposedPorts == null ? List.of() : List.copyOf(exposedPorts);
        portMapping = portMapping == null ? List.of() : List.copyOf(portMapping);
    }

    public Endpoint withJoin(Join newJoin) {
        return new Endpoint(id, name, networkId, address, prefixLength, mac, exposedPorts, portMapping, newJoin, sequence);
    }

    public Endpoint withPortMapping(List<PortBinding> newPortMapping) {
        return new Endpoint(id, name, networkId, address, prefixLength, mac, exposedPorts, newPortMapping, join, sequence);
    }
}
