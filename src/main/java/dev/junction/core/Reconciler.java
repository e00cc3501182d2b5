package dev.junction.core;

import dev.junction.driver.Attachment;
import dev.junction.driver.BridgeDriver;
import dev.junction.driver.BridgeFirewall;
import dev.junction.driver.Drivers;
import dev.junction.ipam.Ipv4Address;
import dev.junction.kernel.Addresses;
import dev.junction.kernel.KernelException;
import dev.junction.kernel.Links;
import dev.junction.kernel.NetNamespace;
import dev.junction.store.Store;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Brings the stored state and the kernel into agreement at start, before the API is served. It
 * finishes or undoes changes a crash interrupted and restores every allocation. It recreates what
 * should exist (a bridge after a reboot) and removes what Junction owns but no longer needs.
 * Each correction is logged on one line; a failed correction is logged and the reconcile goes on.
 */
@ApplicationScoped
public class Reconciler {

    private static final Logger LOG = Logger.getLogger(Reconciler.class);

    /** Counts of the restored objects, and of the corrections of each kind the reconcile made. */
    public record Summary(int networks, int endpoints, int joined, int sandboxes, Map<String, Integer> corrections) {

        public int correctionCount() {
            return corrections.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private final Store store;
    private final Host host;
    private final Registry registry;
    private final NetworkManager networks;
    private final EndpointManager endpoints;
    private final SandboxManager sandboxes;
    private final Drivers drivers;
    private final BridgeDriver bridges;
    private final BridgeFirewall firewall;
    private final Metrics metrics;
    private final Map<String, Integer> corrections = new TreeMap<>();
    private volatile Summary lastSummary;

    Reconciler(Store store, Host host, Registry registry, NetworkManager networks, EndpointManager endpoints,
               SandboxManager sandboxes, Drivers drivers, BridgeDriver bridges, BridgeFirewall firewall, Metrics metrics) {
        this.metrics = metrics;
        this.store = store;
        this.host = host;
        this.registry = registry;
        this.networks = networks;
        this.endpoints = endpoints;
        this.sandboxes = sandboxes;
        this.drivers = drivers;
        this.bridges = bridges;
        this.firewall = firewall;
    }

    /** Returns the summary of the reconcile at start, or null before it ran. */
    public Summary lastSummary() {
        return lastSummary;
    }

    Summary run() {
        corrections.clear();
        List<Network> live = restoreNetworks();
        networks.createPredefined(live);
        for (NetworkEntry entry : registry.networksInOrder()) {
            if (entry.network.type() == NetworkType.BRIDGE) {
                ensureBridge(entry.network);
            }
        }
        Map<String, List<Endpoint>> joinedByContainer = restoreEndpoints();
        Set<String> keptSandboxes = restoreSandboxes(joinedByContainer);
        for (List<Endpoint> orphans : joinedByContainer.values()) {
            for (Endpoint endpoint : orphans) {
                detach(endpoint, "its container " + endpoint.join().containerId() + " has no stored sandbox");
            }
        }
        removeOrphanLinks();
        removeOrphanNamespaceFiles(keptSandboxes);
        removeOrphanSandboxDirectories(keptSandboxes);
        loadFirewall();

        int endpointCount = 0;
        int joinedCount = 0;
        for (NetworkEntry entry : registry.networks.values()) {
            endpointCount += entry.endpoints.size();
            joinedCount += (int) entry.endpoints.values().stream().filter(endpoint -> endpoint.join() != null).count();
        }
        Summary summary = new Summary(registry.networks.size(), endpointCount, joinedCount, keptSandboxes.size(),
                Map.copyOf(corrections));
        lastSummary = summary;
        metrics.corrections(corrections);
        LOG.infof("Reconcile done: %d networks, %d endpoints (%d joined), %d sandboxes; %d corrections%s",
                summary.networks(), summary.endpoints(), summary.joined(), summary.sandboxes(), summary.correctionCount(),
                corrections.isEmpty() ? "" : " " + corrections);
        return summary;
    }

    private List<Network> restoreNetworks() {
        List<Network> live = new ArrayList<>();
        for (Store.StoredNetwork stored : store.networks()) {
            Network network = stored.network();
            switch (stored.state()) {
                case READY -> {
                    networks.restore(network);
                    live.add(network);
                }
                case CREATING -> {
                    removeBridge(network);
                    store.deleteNetwork(network.id());
                    correct("network-undone", "Network %s (%s) was being created when the daemon stopped: removed its bridge %s and its record",
                            network.name(), network.id(), network.device());
                }
                case DELETING -> {
                    removeBridge(network);
                    store.deleteNetwork(network.id());
                    correct("network-finished", "Network %s (%s) was being deleted when the daemon stopped: removed its bridge %s and its record",
                            network.name(), network.id(), network.device());
                }
            }
        }
        return live;
    }

    private void removeBridge(Network network) {
        if (network.device() != null) {
            deleteLink(network.device());
        }
    }

    /** Recreates a missing bridge and restores its state, address and MTU. */
    private void ensureBridge(Network network) {
        Links links = host.namespace().links();
        try {
            var found = links.get(network.device());
            if (found.isEmpty()) {
                drivers.forType(NetworkType.BRIDGE).createNetwork(network);
                correct("bridge-recreated", "Recreated bridge %s of network %s (%s) with gateway %s/%d and MTU %d",
                        network.device(), network.name(), network.id(), network.gateway(), network.subnet().prefixLength(), network.mtu());
                return;
            }
            bridges.configureHost(network);
            firewall.addNetwork(network);
            Links.Link bridge = found.get();
            if (bridge.mtu() != network.mtu()) {
                links.setMtu(network.device(), network.mtu());
                correct("bridge-repaired", "Set the MTU of bridge %s of network %s back to %d (was %d)",
                        network.device(), network.name(), network.mtu(), bridge.mtu());
            }
            if (!bridge.up()) {
                links.setUp(bridge.index());
                correct("bridge-repaired", "Set bridge %s of network %s up", network.device(), network.name());
            }
            boolean hasGateway = false;
            for (Addresses.Address address : host.namespace().addresses().list()) {
                if (address.index() == bridge.index() && address.address() instanceof Inet4Address inet4
                        && Ipv4Address.of(inet4).equals(network.gateway()) && address.prefixLength() == network.subnet().prefixLength()) {
                    hasGateway = true;
                }
            }
            if (!hasGateway) {
                host.namespace().addresses().add(bridge.index(), network.gateway().toInetAddress(), network.subnet().prefixLength());
                correct("bridge-repaired", "Added gateway %s/%d back to bridge %s of network %s",
                        network.gateway(), network.subnet().prefixLength(), network.device(), network.name());
            }
        } catch (RuntimeException e) {
            fail("restore bridge " + network.device() + " of network " + network.name(), e);
        }
    }

    /** Restores endpoints into their networks and returns the joined ones by container. */
    private Map<String, List<Endpoint>> restoreEndpoints() {
        Map<String, List<Endpoint>> joinedByContainer = new LinkedHashMap<>();
        for (Store.StoredEndpoint stored : store.endpoints()) {
            Endpoint endpoint = stored.endpoint();
            if (!registry.networks.containsKey(endpoint.networkId())) {
                store.deleteEndpoint(endpoint.id());
                correct("endpoint-removed", "Endpoint %s (%s) belongs to network %s, which no longer exists: removed its record",
                        endpoint.name(), endpoint.id(), endpoint.networkId());
                continue;
            }
            if (stored.joinState() == JoinState.JOINING || stored.joinState() == JoinState.LEAVING) {
                removeDevices(endpoint.join());
                Endpoint detached = endpoint.withJoin(null);
                store.putEndpoint(detached, null);
                if (stored.joinState() == JoinState.JOINING) {
                    correct("join-undone", "Endpoint %s (%s) was joining container %s when the daemon stopped: removed its devices and undid the join",
                            endpoint.name(), endpoint.id(), endpoint.join().containerId());
                } else {
                    correct("leave-finished", "Endpoint %s (%s) was leaving container %s when the daemon stopped: removed its devices and finished the leave",
                            endpoint.name(), endpoint.id(), endpoint.join().containerId());
                }
                endpoint = detached;
            }
            if (!endpoints.restore(endpoint)) {
                store.deleteEndpoint(endpoint.id());
                correct("endpoint-removed", "Endpoint %s (%s) repeats the name or address of another endpoint of its network: removed its record",
                        endpoint.name(), endpoint.id());
                continue;
            }
            if (endpoint.join() != null) {
                joinedByContainer.computeIfAbsent(endpoint.join().containerId(), id -> new ArrayList<>()).add(endpoint);
            }
        }
        return joinedByContainer;
    }

    /** Restores sandboxes whose namespace still exists and returns their keys. */
    private Set<String> restoreSandboxes(Map<String, List<Endpoint>> joinedByContainer) {
        Set<String> restored = new HashSet<>();
        for (SandboxRecord record : store.sandboxes()) {
            List<Endpoint> joined = joinedByContainer.remove(record.containerId());
            if (joined == null || joined.isEmpty()) {
                removeSandbox(record);
                correct("sandbox-removed", "Sandbox %s of container %s has no joined endpoint: removed it",
                        record.namespacePath(), record.containerId());
                continue;
            }
            NetNamespace namespace = null;
            if (!record.hostNamespace()) {
                namespace = openNamespace(record);
                if (namespace == null) {
                    for (Endpoint endpoint : joined) {
                        detach(endpoint, "its namespace " + record.namespacePath() + " is gone");
                    }
                    removeSandbox(record);
                    correct("sandbox-vanished", "Namespace %s of container %s is gone: detached %d endpoint(s), released "
                            + "their devices and ports; a new join works", record.namespacePath(), record.containerId(), joined.size());
                    continue;
                }
            }
            List<SandboxEntry.Member> members = new ArrayList<>();
            for (Endpoint endpoint : joined) {
                Network network = registry.networks.get(endpoint.networkId()).network;
                if (reconnectIfNeeded(record, namespace, network, endpoint)) {
                    members.add(new SandboxEntry.Member(network, endpoint, endpoint.join()));
                    if (network.type() == NetworkType.BRIDGE && endpoint.join().hostInterface() != null) {
                        firewall.addEndpoint(BridgeDriver.rulesOf(network, endpoint.id(), endpoint.join().hostInterface(),
                                endpoint.join().publishedPorts()));
                    }
                }
            }
            if (members.isEmpty()) {
                if (namespace != null) {
                    namespace.close();
                }
                removeSandbox(record);
                continue;
            }
            sandboxes.restore(record, namespace, members);
            restored.add(record.key());
        }
        return restored;
    }

    private NetNamespace openNamespace(SandboxRecord record) {
        Path file = Path.of(record.namespacePath());
        if (!Files.exists(file) || !host.namespaces().isMountPoint(file)) {
            return null;
        }
        try {
            return host.namespaces().open(file);
        } catch (KernelException e) {
            LOG.warnf("Cannot open namespace %s of container %s: %s", file, record.containerId(), e.getMessage());
            return null;
        }
    }

    /**
     * Recreates the veth pair of a joined bridge endpoint whose devices are gone while its
     * sandbox lives on. Returns false when the endpoint had to be detached instead.
     */
    private boolean reconnectIfNeeded(SandboxRecord record, NetNamespace namespace, Network network, Endpoint endpoint) {
        Join join = endpoint.join();
        if (network.type() != NetworkType.BRIDGE || join.hostInterface() == null) {
            return true;
        }
        try {
            Links links = host.namespace().links();
            var device = links.get(join.hostInterface());
            if (device.isPresent()) {
                reattach(network, endpoint, device.get());
                return true;
            }
            NetNamespace target = record.hostNamespace() ? host.namespace() : namespace;
            boolean defaultRoute = endpoint.id().equals(record.defaultRouteEndpoint());
            drivers.forType(NetworkType.BRIDGE).join(network, endpoint,
                    new Attachment(target, join.interfaceName(), record.hostNamespace(), defaultRoute, join.publishedPorts()));
            correct("endpoint-reconnected", "Recreated the veth pair %s of endpoint %s (%s) into container %s",
                    join.hostInterface(), endpoint.name(), endpoint.id(), join.containerId());
            return true;
        } catch (RuntimeException e) {
            fail("reconnect endpoint " + endpoint.id() + " to container " + join.containerId(), e);
            detach(endpoint, "its devices could not be recreated");
            return false;
        }
    }

    /** Puts a surviving bridge port back on its bridge, which a recreated bridge does not have. */
    private void reattach(Network network, Endpoint endpoint, Links.Link device) {
        Links links = host.namespace().links();
        int bridge = links.get(network.device())
                .orElseThrow(() -> new IllegalStateException("bridge " + network.device() + " is missing"))
                .index();
        if (device.masterIndex() != bridge) {
            links.setMaster(device.index(), bridge);
            correct("endpoint-reattached", "Attached device %s of endpoint %s (%s) to bridge %s again",
                    device.name(), endpoint.name(), endpoint.id(), network.device());
        }
        if (!device.up()) {
            links.setUp(device.index());
            correct("endpoint-reattached", "Set device %s of endpoint %s (%s) up", device.name(), endpoint.name(), endpoint.id());
        }
    }

    /** Clears the join of an endpoint whose sandbox is gone and releases its devices and ports. */
    private void detach(Endpoint endpoint, String reason) {
        removeDevices(endpoint.join());
        Endpoint detached = endpoint.withJoin(null);
        store.putEndpoint(detached, null);
        endpoints.replace(detached);
        correct("endpoint-detached", "Detached endpoint %s (%s) from container %s because %s",
                endpoint.name(), endpoint.id(), endpoint.join().containerId(), reason);
    }

    private void removeDevices(Join join) {
        if (join == null) {
            return;
        }
        if (join.hostInterface() != null) {
            deleteLink(join.hostInterface());
        }
        if (join.interfaceName() != null && join.interfaceName().startsWith(BridgeDriver.HOST_NAMESPACE_INTERFACE_PREFIX)) {
            deleteLink(join.interfaceName());
        }
    }

    private void removeSandbox(SandboxRecord record) {
        try {
            sandboxes.removeLeftovers(record);
        } catch (RuntimeException e) {
            fail("remove sandbox " + record.namespacePath(), e);
        }
        store.deleteSandbox(record.containerId());
    }

    /** Replaces Junction's nftables tables with the rules of the restored state, in one transaction. */
    private void loadFirewall() {
        BridgeFirewall.Changes changes;
        try {
            changes = firewall.commit();
        } catch (StartupException e) {
            throw e;
        } catch (RuntimeException e) {
            fail("load the nftables tables ip " + BridgeFirewall.TABLE + " and bridge " + BridgeFirewall.TABLE, e);
            return;
        }
        if (!changes.tablesExisted()) {
            LOG.infof("Reconcile: created the nftables tables ip %s and bridge %s", BridgeFirewall.TABLE, BridgeFirewall.TABLE);
            return;
        }
        for (String element : changes.stale()) {
            correct("firewall-removed", "Removed firewall element %s, which no stored network or endpoint owns", element);
        }
        for (String element : changes.missing()) {
            correct("firewall-restored", "Restored firewall element %s", element);
        }
    }

    /** Deletes devices with Junction's prefixes that no stored network or joined endpoint owns. */
    private void removeOrphanLinks() {
        Set<String> expected = new HashSet<>();
        for (NetworkEntry entry : registry.networks.values()) {
            if (entry.network.device() != null) {
                expected.add(entry.network.device());
            }
            for (Endpoint endpoint : entry.endpoints.values()) {
                Join join = endpoint.join();
                if (join != null) {
                    if (join.hostInterface() != null) {
                        expected.add(join.hostInterface());
                    }
                    if (join.interfaceName() != null) {
                        expected.add(join.interfaceName());
                    }
                }
            }
        }
        List<Links.Link> links;
        try {
            links = host.namespace().links().list();
        } catch (RuntimeException e) {
            fail("list the devices of the host namespace", e);
            return;
        }
        for (Links.Link link : links) {
            String name = link.name();
            boolean ours = name.startsWith(BridgeDriver.BRIDGE_PREFIX)
                    || name.startsWith(BridgeDriver.HOST_INTERFACE_PREFIX)
                    || name.startsWith(BridgeDriver.HOST_NAMESPACE_INTERFACE_PREFIX);
            if (ours && !expected.contains(name) && deleteLink(name)) {
                correct("device-removed", "Removed device %s, which no stored network or endpoint owns", name);
            }
        }
    }

    private void removeOrphanNamespaceFiles(Set<String> keptSandboxes) {
        for (Path file : list(host.netnsDirectory())) {
            String name = file.getFileName().toString();
            if (name.equals(Host.DEFAULT_SANDBOX) || keptSandboxes.contains(name)) {
                continue;
            }
            try {
                host.namespaces().remove(file);
                correct("namespace-removed", "Removed namespace file %s, which no stored sandbox owns", file);
            } catch (RuntimeException e) {
                fail("remove namespace file " + file, e);
            }
        }
    }

    private void removeOrphanSandboxDirectories(Set<String> keptSandboxes) {
        for (Path directory : list(host.sandboxesDirectory())) {
            if (keptSandboxes.contains(directory.getFileName().toString())) {
                continue;
            }
            try (Stream<Path> tree = Files.walk(directory)) {
                for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
                correct("directory-removed", "Removed sandbox directory %s, which no stored sandbox owns", directory);
            } catch (IOException e) {
                fail("remove sandbox directory " + directory, new UncheckedIOException(e));
            }
        }
    }

    private static List<Path> list(Path directory) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
    }

    private boolean deleteLink(String name) {
        try {
            return host.namespace().links().delete(name);
        } catch (RuntimeException e) {
            fail("delete device " + name, e);
            return false;
        }
    }

    private void correct(String kind, String format, Object... arguments) {
        corrections.merge(kind, 1, Integer::sum);
        LOG.infof("Reconcile: " + format, arguments);
    }

    private void fail(String action, RuntimeException error) {
        corrections.merge("failed", 1, Integer::sum);
        if (error instanceof KernelException kernel) {
            metrics.kernelError(kernel);
        }
        LOG.errorf("Reconcile: cannot %s: %s", action, error.getMessage());
    }
}
