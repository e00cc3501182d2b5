package dev.junction.core;

import dev.junction.ipam.Ipv4Address;
import dev.junction.kernel.MacAddress;
import dev.junction.store.Store;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Creates and deletes endpoints, and joins them to containers and detaches them. Every change to
 * an endpoint happens under its network's lock.
 */
@ApplicationScoped
public class EndpointManager {

    private static final Logger LOG = Logger.getLogger(EndpointManager.class);
    private static final String ENDPOINT = "endpoint";

    private final Registry registry;
    private final SandboxManager sandboxes;
    private final PortAllocator ports;
    private final Store store;
    private final FaultInjection faults;
    private final OperationGate operations;
    /** Short IDs in use: they name veth devices, which share one namespace whatever the network. */
    private final Set<String> shortIds = ConcurrentHashMap.newKeySet();

    EndpointManager(Registry registry, SandboxManager sandboxes, PortAllocator ports, Store store, FaultInjection faults,
                    OperationGate operations) {
        this.operations = operations;
        this.registry = registry;
        this.sandboxes = sandboxes;
        this.ports = ports;
        this.store = store;
        this.faults = faults;
    }

    /**
     * Adds a stored endpoint to its network at start, taking its address and MAC again. Returns
     * false, taking nothing, when another endpoint already has that address or name.
     */
    boolean restore(Endpoint endpoint) {
        NetworkEntry network = registry.networks.get(endpoint.networkId());
        if (network == null || network.endpointNames.containsKey(Names.key(endpoint.name()))) {
            return false;
        }
        if (endpoint.address() != null) {
            if (network.addresses == null || !network.network.subnet().isHostAddress(endpoint.address())
                    || !network.addresses.reserve(endpoint.address())) {
                return false;
            }
        }
        if (endpoint.mac() != null) {
            network.macs.add(endpoint.mac());
        }
        shortIds.add(Ids.shorten(endpoint.id()));
        registry.advanceSequence(endpoint.sequence());
        network.endpoints.put(endpoint.id(), endpoint);
        network.endpointNames.put(Names.key(endpoint.name()), endpoint.id());
        registry.endpointNetworks.put(endpoint.id(), network.network.id());
        if (endpoint.join() != null) {
            ports.restore(endpoint, endpoint.join().publishedPorts());
        }
        return true;
    }

    /** Replaces the in-memory copy of an endpoint after the reconcile changed it. */
    void replace(Endpoint endpoint) {
        NetworkEntry network = registry.networks.get(endpoint.networkId());
        if (network != null) {
            network.endpoints.put(endpoint.id(), endpoint);
            if (endpoint.join() == null) {
                ports.release(endpoint.id());
            }
        }
    }

    public List<Endpoint> list(String networkReference) {
        return Registry.endpointsInOrder(registry.network(networkReference));
    }

    public Endpoint get(String networkReference, String endpointReference) {
        return registry.endpoint(registry.network(networkReference), endpointReference);
    }

    /** Creates an endpoint with an address and MAC on bridge networks, and returns its ID. */
    public String create(String networkReference, String name, List<TransportPort> exposedPorts, List<PortBinding> portMapping) {
        try (OperationGate.Operation operation = operations.enter()) {
            return createNow(ENDPOINT, networkReference, name, exposedPorts, portMapping);
        }
    }

    /** Creates an endpoint for a service publish; {@code kind} names the object in error messages. */
    String create(String kind, String networkReference, String name, List<TransportPort> exposedPorts, List<PortBinding> portMapping) {
        try (OperationGate.Operation operation = operations.enter()) {
            return createNow(kind, networkReference, name, exposedPorts, portMapping);
        }
    }

    private String createNow(String kind, String networkReference, String name, List<TransportPort> exposedPorts,
                             List<PortBinding> portMapping) {
        if (name == null || name.isEmpty()) {
            throw JunctionException.invalid("name is required");
        }
        if (!Names.isValid(name)) {
            throw JunctionException.invalid("invalid name \"%s\": expected %s", name, Names.RULE);
        }
        List<TransportPort> exposed = Ports.checkExposed(exposedPorts);
        List<PortBinding> mapping = Ports.checkMapping(portMapping);
        NetworkEntry network = registry.network(networkReference);
        if (network.network.type() != NetworkType.BRIDGE && !mapping.isEmpty()) {
            throw JunctionException.invalid("network %s is of type %s, which publishes no ports; remove port_mapping",
                    network.network.name(), network.network.type().apiName());
        }
        if (network.network.internal() && !mapping.isEmpty()) {
            throw JunctionException.invalid("network %s is internal, so its endpoints cannot publish ports; remove port_mapping",
                    network.network.name());
        }

        network.lockLive();
        try {
            String existing = network.endpointNames.get(Names.key(name));
            if (existing != null) {
                throw JunctionException.conflict("%s name \"%s\" is already used in network %s by %s %s",
                        kind, name, network.network.name(), kind, existing);
            }
            Ipv4Address address = null;
            MacAddress mac = null;
            int prefixLength = 0;
            if (network.addresses != null) {
                address = network.addresses.allocate().orElseThrow(() -> JunctionException.conflict(
                        "network %s has no free address left in subnet %s", network.network.name(), network.network.subnet()));
                prefixLength = network.network.subnet().prefixLength();
                mac = newMac(network);
            }
            String id = Ids.generate(shortIds::add);
            Endpoint endpoint = new Endpoint(id, name, network.network.id(), address, prefixLength, mac, exposed, mapping,
                    null, registry.nextSequence());
            try {
                store.putEndpoint(endpoint, null);
            } catch (RuntimeException e) {
                shortIds.remove(Ids.shorten(id));
                if (address != null) {
                    network.addresses.release(address);
                    network.macs.remove(mac);
                }
                throw e;
            }
            network.endpoints.put(id, endpoint);
            network.endpointNames.put(Names.key(name), id);
            registry.endpointNetworks.put(id, network.network.id());
            LOG.infof("Created endpoint %s (%s) in network %s (%s)%s", name, id, network.network.name(), network.network.id(),
                    address == null ? "" : ", address " + address + "/" + prefixLength + ", MAC " + mac);
            faults.reached("endpoint-create:commit");
            return id;
        } finally {
            network.lock.unlock();
        }
    }

    /** Deletes an endpoint that no container is joined to, and releases its address. */
    public void delete(String networkReference, String endpointReference) {
        try (OperationGate.Operation operation = operations.enter()) {
            deleteNow(ENDPOINT, networkReference, endpointReference);
        }
    }

    /** Deletes an endpoint for a service unpublish; {@code kind} names the object in error messages. */
    void delete(String kind, String networkReference, String endpointReference) {
        try (OperationGate.Operation operation = operations.enter()) {
            deleteNow(kind, networkReference, endpointReference);
        }
    }

    private void deleteNow(String kind, String networkReference, String endpointReference) {
        NetworkEntry network = registry.network(networkReference);
        network.lockLive();
        try {
            Endpoint endpoint = registry.endpoint(network, endpointReference);
            if (endpoint.join() != null) {
                throw JunctionException.conflict("%s %s is joined to container %s; detach the container first",
                        kind, endpoint.name(), endpoint.join().containerId());
            }
            store.deleteEndpoint(endpoint.id());
            network.endpoints.remove(endpoint.id());
            network.endpointNames.remove(Names.key(endpoint.name()), endpoint.id());
            registry.endpointNetworks.remove(endpoint.id());
            if (endpoint.address() != null) {
                network.addresses.release(endpoint.address());
            }
            if (endpoint.mac() != null) {
                network.macs.remove(endpoint.mac());
            }
            shortIds.remove(Ids.shorten(endpoint.id()));
            LOG.infof("Deleted endpoint %s (%s) of network %s (%s)", endpoint.name(), endpoint.id(),
                    network.network.name(), network.network.id());
            faults.reached("endpoint-delete:commit");
        } finally {
            network.lock.unlock();
        }
    }

    /** Joins an endpoint to a container and returns the path of the container's network namespace. */
    public String join(String networkReference, String endpointReference, JoinOptions options) {
        try (OperationGate.Operation operation = operations.enter()) {
            return joinNow(ENDPOINT, networkReference, endpointReference, options);
        }
    }

    /** Joins a container to a service's endpoint; {@code kind} names the object in error messages. */
    String join(String kind, String networkReference, String endpointReference, JoinOptions options) {
        try (OperationGate.Operation operation = operations.enter()) {
            return joinNow(kind, networkReference, endpointReference, options);
        }
    }

    private String joinNow(String kind, String networkReference, String endpointReference, JoinOptions options) {
        checkJoinOptions(options);
        NetworkEntry network = registry.network(networkReference);
        List<ParentEntry> parents = resolveParents(options);

        network.lockLive();
        try {
            Endpoint endpoint = registry.endpoint(network, endpointReference);
            if (endpoint.join() != null) {
                throw JunctionException.conflict("%s %s is already joined to container %s",
                        kind, endpoint.name(), endpoint.join().containerId());
            }
            List<PortBinding> published = ports.reserve(endpoint);
            Join join;
            try {
                join = sandboxes.join(network.network, endpoint, options, published);
            } catch (RuntimeException e) {
                ports.release(endpoint.id());
                throw e;
            }
            Endpoint joined = endpoint.withJoin(join);
            network.endpoints.put(endpoint.id(), joined);
            try {
                for (ParentEntry parent : parents) {
                    sandboxes.addParentEntry(parent.containerId(), parent.entry());
                }
            } catch (RuntimeException e) {
                sandboxes.leave(network.network, joined);
                ports.release(endpoint.id());
                network.endpoints.put(endpoint.id(), endpoint);
                throw e;
            }
            LOG.infof("Joined endpoint %s (%s) of network %s to container %s%s: sandbox %s",
                    endpoint.name(), endpoint.id(), network.network.name(), options.containerId(),
                    join.interfaceName() == null ? "" : " as " + join.interfaceName(), join.sandboxPath());
            return join.sandboxPath();
        } finally {
            network.lock.unlock();
        }
    }

    /** Detaches a container from an endpoint; {@code containerId} may also be the container's 12-character sandbox key. */
    public void leave(String networkReference, String endpointReference, String containerId) {
        try (OperationGate.Operation operation = operations.enter()) {
            leaveNow(ENDPOINT, networkReference, endpointReference, containerId);
        }
    }

    /** Detaches a container from a service's endpoint; {@code kind} names the object in error messages. */
    void leave(String kind, String networkReference, String endpointReference, String containerId) {
        try (OperationGate.Operation operation = operations.enter()) {
            leaveNow(kind, networkReference, endpointReference, containerId);
        }
    }

    private void leaveNow(String kind, String networkReference, String endpointReference, String containerId) {
        SandboxManager.checkContainerId("container ID", containerId);
        NetworkEntry network = registry.network(networkReference);
        network.lockLive();
        try {
            Endpoint endpoint = registry.endpoint(network, endpointReference);
            Join join = endpoint.join();
            if (join == null || !(join.containerId().equals(containerId) || join.sandboxKey().equals(containerId))) {
                throw JunctionException.notFound("container %s is not joined to %s %s%s", containerId, kind, endpoint.name(),
                        join == null ? "" : " (container " + join.containerId() + " is)");
            }
            sandboxes.leave(network.network, endpoint);
            ports.release(endpoint.id());
            network.endpoints.put(endpoint.id(), endpoint.withJoin(null));
            LOG.infof("Detached container %s from endpoint %s (%s) of network %s", join.containerId(), endpoint.name(),
                    endpoint.id(), network.network.name());
        } finally {
            network.lock.unlock();
        }
    }

    private static void checkJoinOptions(JoinOptions options) {
        SandboxManager.checkContainerId("container_id", options.containerId());
        SandboxFiles.checkHostName("host_name", options.hostName());
        SandboxFiles.checkHostName("domain_name", options.domainName());
        SandboxFiles.checkPath("hosts_path", options.hostsPath());
        SandboxFiles.checkPath("resolv_conf_path", options.resolvConfPath());
        for (int i = 0; i < options.dns().size(); i++) {
            SandboxFiles.checkAddress("dns[" + i + "]", options.dns().get(i));
        }
        for (int i = 0; i < options.extraHosts().size(); i++) {
            ExtraHost extra = options.extraHosts().get(i);
            checkHostsName("extra_hosts[" + i + "].name", extra.name());
            SandboxFiles.checkAddress("extra_hosts[" + i + "].address", extra.address());
        }
        for (int i = 0; i < options.parentUpdates().size(); i++) {
            ParentUpdate update = options.parentUpdates().get(i);
            if (update.endpointId() == null || update.endpointId().isEmpty()) {
                throw JunctionException.invalid("parent_updates[%d].endpoint_id is required", i);
            }
            checkHostsName("parent_updates[" + i + "].name", update.name());
            SandboxFiles.checkAddress("parent_updates[" + i + "].address", update.address());
        }
    }

    private static void checkHostsName(String field, String name) {
        if (name == null || name.isEmpty()) {
            throw JunctionException.invalid("%s is required", field);
        }
        SandboxFiles.checkHostName(field, name);
    }

    private record ParentEntry(String containerId, ExtraHost entry) {
    }

    private List<ParentEntry> resolveParents(JoinOptions options) {
        List<ParentEntry> parents = new ArrayList<>();
        for (int i = 0; i < options.parentUpdates().size(); i++) {
            ParentUpdate update = options.parentUpdates().get(i);
            Endpoint parent;
            try {
                parent = registry.endpointOfAnyNetwork(update.endpointId(), "endpoint");
            } catch (JunctionException e) {
                throw new JunctionException(e.reason(), "parent_updates[" + i + "].endpoint_id: " + e.getMessage());
            }
            if (parent.join() == null) {
                throw JunctionException.conflict("parent_updates[%d].endpoint_id: endpoint %s is not joined to a container, "
                        + "so it has no hosts file", i, parent.name());
            }
            String address = SandboxFiles.checkAddress("parent_updates[" + i + "].address", update.address());
            parents.add(new ParentEntry(parent.join().containerId(), new ExtraHost(update.name(), address)));
        }
        return parents;
    }

    private static MacAddress newMac(NetworkEntry network) {
        while (true) {
            MacAddress mac = MacAddress.randomLocal();
            if (network.macs.add(mac)) {
                return mac;
            }
        }
    }
}
