package dev.junction.core;

import dev.junction.driver.BridgeDriver;
import dev.junction.driver.BridgeOptions;
import dev.junction.driver.Drivers;
import dev.junction.ipam.AddressPool;
import dev.junction.ipam.Ipv4Address;
import dev.junction.ipam.Subnet;
import dev.junction.ipam.SubnetAllocator;
import dev.junction.store.Store;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Creates, lists and deletes networks. Creating and deleting networks is serialized, which makes
 * name checks and subnet choice atomic; work on the endpoints of existing networks goes on meanwhile.
 *
 * <p>Each change is stored as intended before the bridge is touched and confirmed after, so a
 * crash in between leaves a record that the start-up reconcile completes or undoes.
 */
@ApplicationScoped
public class NetworkManager {

    public static final String NONE = "none";
    public static final String HOST = "host";
    public static final String BRIDGE = "bridge";
    /** Device of the predefined {@code bridge} network, like Docker's {@code docker0}. */
    public static final String BRIDGE_DEVICE = "junction0";

    private static final Logger LOG = Logger.getLogger(NetworkManager.class);

    private final Registry registry;
    private final Host host;
    private final Drivers drivers;
    private final JunctionConfig config;
    private final Store store;
    private final FaultInjection faults;
    private final OperationGate operations;
    private final Metrics metrics;
    private final ReentrantLock lock = new ReentrantLock();
    private final Set<String> shortIds = ConcurrentHashMap.newKeySet();
    private SubnetAllocator subnets;

    NetworkManager(Registry registry, Host host, Drivers drivers, JunctionConfig config, Store store, FaultInjection faults,
                   OperationGate operations, Metrics metrics) {
        this.operations = operations;
        this.metrics = metrics;
        this.registry = registry;
        this.host = host;
        this.drivers = drivers;
        this.config = config;
        this.store = store;
        this.faults = faults;
    }

    /** Reads the pools and MTU settings; throws {@link StartupException} when one is invalid. */
    void configure() {
        List<AddressPool> pools = new ArrayList<>();
        for (String entry : config.defaultPools()) {
            try {
                pools.add(AddressPool.parse(entry));
            } catch (IllegalArgumentException e) {
                throw new StartupException("Invalid junction.default-pools entry \"" + entry + "\": " + e.getMessage());
            }
        }
        if (pools.isEmpty()) {
            throw new StartupException("junction.default-pools is empty; give at least one address pool such as 172.17.0.0/16");
        }
        subnets = new SubnetAllocator(pools);
        if (config.mtu() < BridgeOptions.MIN_MTU || config.mtu() > BridgeOptions.MAX_MTU) {
            throw new StartupException("Invalid junction.mtu " + config.mtu() + ": expected " + BridgeOptions.MIN_MTU
                    + " to " + BridgeOptions.MAX_MTU);
        }
    }

    /**
     * Creates those of the predefined networks {@code none}, {@code host} and {@code bridge} that
     * are not among {@code existing}, which happens on the first start.
     */
    void createPredefined(List<Network> existing) {
        List<String> names = existing.stream().filter(Network::predefined).map(Network::name).toList();
        if (!names.contains(NONE)) {
            createPredefined(new Network(newId(), NONE, NetworkType.NULL, true, null, null, null, 0, false, true,
                    registry.nextSequence()));
        }
        if (!names.contains(HOST)) {
            createPredefined(new Network(newId(), HOST, NetworkType.HOST, true, null, null, null, 0, false, true,
                    registry.nextSequence()));
        }
        if (!names.contains(BRIDGE)) {
            if (host.namespace().links().delete(BRIDGE_DEVICE)) {
                LOG.infof("Removed bridge %s, which no stored network owns", BRIDGE_DEVICE);
            }
            Subnet subnet = subnets.choose(subnetsInUse(), host.rangesInUse())
                    .orElseThrow(() -> new StartupException("No subnet of junction.default-pools (" + subnets.pools()
                            + ") is free on this host for the predefined bridge network"));
            Network bridge = new Network(newId(), BRIDGE, NetworkType.BRIDGE, true, BRIDGE_DEVICE, subnet, subnet.firstHost(),
                    config.mtu(), false, true, registry.nextSequence());
            drivers.forType(NetworkType.BRIDGE).createNetwork(bridge);
            createPredefined(bridge);
            LOG.infof("Created the predefined bridge network: device %s, subnet %s", BRIDGE_DEVICE, subnet);
        }
    }

    private void createPredefined(Network network) {
        store.putNetwork(network, LifecycleState.READY);
        register(network);
    }

    /** Adds a stored network to the indexes at start. */
    void restore(Network network) {
        shortIds.add(Ids.shorten(network.id()));
        registry.advanceSequence(network.sequence());
        register(network);
    }

    /** Returns the number of networks, the predefined ones included. */
    public int count() {
        return registry.networks.size();
    }

    /** Returns the number of endpoints of all networks. */
    public int endpointCount() {
        return registry.endpointNetworks.size();
    }

    public List<Network> list() {
        return registry.networksInOrder().stream().map(entry -> entry.network).toList();
    }

    public Network get(String reference) {
        return registry.network(reference).network;
    }

    /** Returns the endpoints of a network in creation order. */
    public List<Endpoint> endpoints(Network network) {
        NetworkEntry entry = registry.networks.get(network.id());
        return entry == null ? List.of() : Registry.endpointsInOrder(entry);
    }

    /** Looks a network up by ID; used to name the network of an endpoint. */
    public Optional<Network> byId(String id) {
        NetworkEntry entry = registry.networks.get(id);
        return entry == null ? Optional.empty() : Optional.of(entry.network);
    }

    /** Creates a network and returns its ID. */
    public String create(String name, String typeName, Map<String, Object> options) {
        try (OperationGate.Operation operation = operations.enter()) {
            return createNow(name, typeName, options);
        }
    }

    private String createNow(String name, String typeName, Map<String, Object> options) {
        if (name == null || name.isEmpty()) {
            throw JunctionException.invalid("name is required");
        }
        if (!Names.isValid(name)) {
            throw JunctionException.invalid("invalid name \"%s\": expected %s", name, Names.RULE);
        }
        NetworkType type = NetworkType.fromApiName(typeName).orElseThrow(() -> JunctionException.invalid(
                "unknown network_type \"%s\": expected \"bridge\" (or \"\" for bridge)", typeName));
        if (type != NetworkType.BRIDGE) {
            String predefined = type == NetworkType.HOST ? HOST : NONE;
            throw JunctionException.forbidden("network_type \"%s\" belongs to the predefined network \"%s\"; "
                    + "only one network of this type can exist", type.apiName(), predefined);
        }
        BridgeOptions bridgeOptions = BridgeOptions.parse(options);

        lock.lock();
        try {
            String existing = registry.networkNames.get(Names.key(name));
            if (existing != null) {
                throw JunctionException.conflict("network name \"%s\" is already used by network %s", name, existing);
            }
            Subnet subnet = bridgeOptions.subnet() != null ? checkFree(bridgeOptions.subnet()) : chooseSubnet();
            Ipv4Address gateway = bridgeOptions.gateway() != null ? bridgeOptions.gateway() : subnet.firstHost();
            int mtu = bridgeOptions.mtu() != null ? bridgeOptions.mtu() : config.mtu();
            String id = newId();
            Network network = new Network(id, name, NetworkType.BRIDGE, false, BridgeDriver.bridgeName(id), subnet, gateway,
                    mtu, bridgeOptions.internal(), bridgeOptions.icc(), registry.nextSequence());
            try {
                store.putNetwork(network, LifecycleState.CREATING);
            } catch (RuntimeException e) {
                shortIds.remove(Ids.shorten(id));
                throw e;
            }
            faults.reached("network-create:intent");
            try {
                drivers.forType(NetworkType.BRIDGE).createNetwork(network);
            } catch (RuntimeException e) {
                forget(network, e);
                throw e;
            }
            faults.reached("network-create:kernel");
            try {
                store.setNetworkState(id, LifecycleState.READY);
            } catch (RuntimeException e) {
                drivers.forType(NetworkType.BRIDGE).deleteNetwork(network);
                forget(network, e);
                throw e;
            }
            register(network);
            LOG.infof("Created network %s (%s): bridge %s, subnet %s, gateway %s, MTU %d",
                    name, id, network.device(), subnet, gateway, mtu);
            faults.reached("network-create:commit");
            return id;
        } finally {
            lock.unlock();
        }
    }

    /** Drops the record and short ID of a network whose creation failed. */
    private void forget(Network network, RuntimeException cause) {
        shortIds.remove(Ids.shorten(network.id()));
        try {
            store.deleteNetwork(network.id());
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
            LOG.errorf("Cannot remove the record of network %s after its creation failed: %s", network.id(), e.getMessage());
        }
    }

    /** Deletes a network that has no endpoints. */
    public void delete(String reference) {
        try (OperationGate.Operation operation = operations.enter()) {
            deleteNow(reference);
        }
    }

    private void deleteNow(String reference) {
        lock.lock();
        try {
            NetworkEntry entry = registry.network(reference);
            Network network = entry.network;
            if (network.predefined()) {
                throw JunctionException.forbidden("network %s is predefined and cannot be deleted", network.name());
            }
            entry.lockLive();
            try {
                if (!entry.endpoints.isEmpty()) {
                    List<String> names = Registry.endpointsInOrder(entry).stream().map(Endpoint::name).limit(10).toList();
                    throw JunctionException.conflict("network %s has %d endpoint(s) (%s); delete them first",
                            network.name(), entry.endpoints.size(), String.join(", ", names));
                }
                store.setNetworkState(network.id(), LifecycleState.DELETING);
                faults.reached("network-delete:intent");
                try {
                    drivers.forType(network.type()).deleteNetwork(network);
                } catch (RuntimeException e) {
                    store.setNetworkState(network.id(), LifecycleState.READY);
                    throw e;
                }
                faults.reached("network-delete:kernel");
                store.deleteNetwork(network.id());
                entry.removed = true;
                registry.networks.remove(network.id());
                registry.networkNames.remove(Names.key(network.name()), network.id());
                shortIds.remove(Ids.shorten(network.id()));
                metrics.untrack(network.id());
            } finally {
                entry.lock.unlock();
            }
            LOG.infof("Deleted network %s (%s)", network.name(), network.id());
            faults.reached("network-delete:commit");
        } finally {
            lock.unlock();
        }
    }

    private Subnet checkFree(Subnet subnet) {
        for (NetworkEntry entry : registry.networks.values()) {
            Subnet other = entry.network.subnet();
            if (other != null && other.overlaps(subnet)) {
                throw JunctionException.conflict("subnet %s overlaps subnet %s of network %s (%s)",
                        subnet, other, entry.network.name(), entry.network.id());
            }
        }
        // Routes elsewhere (a VPN's, say) may overlap a network the user requests, as Docker allows,
        // but a subnet on which the host itself has an address would take over the host's traffic.
        for (Host.HostAddress address : host.foreignAddresses()) {
            if (address.subnet().overlaps(subnet)) {
                throw JunctionException.conflict("subnet %s overlaps %s, the subnet of address %s on host device %s; choose another subnet",
                        subnet, address.subnet(), address.address(), address.device());
            }
        }
        return subnet;
    }

    private Subnet chooseSubnet() {
        return subnets.choose(subnetsInUse(), host.rangesInUse()).orElseThrow(() -> JunctionException.conflict(
                "no free subnet is left in the address pools %s; give the subnet option or add pools to junction.default-pools",
                subnets.pools()));
    }

    private List<Subnet> subnetsInUse() {
        List<Subnet> inUse = new ArrayList<>();
        for (NetworkEntry entry : registry.networks.values()) {
            if (entry.network.subnet() != null) {
                inUse.add(entry.network.subnet());
            }
        }
        return inUse;
    }

    private String newId() {
        return Ids.generate(shortIds::add);
    }

    private void register(Network network) {
        NetworkEntry entry = new NetworkEntry(network);
        registry.networks.put(network.id(), entry);
        registry.networkNames.put(Names.key(network.name()), network.id());
        metrics.track(entry);
    }
}
