package dev.junction.driver;

import dev.junction.core.Endpoint;
import dev.junction.core.Host;
import dev.junction.core.Ids;
import dev.junction.core.Join;
import dev.junction.core.Network;
import dev.junction.core.NetworkType;
import dev.junction.core.PortBinding;
import dev.junction.kernel.KernelException;
import dev.junction.kernel.Links;
import dev.junction.kernel.MacAddress;
import dev.junction.kernel.NetNamespace;
import dev.junction.kernel.Sysctl;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * Bridge networks: a Linux bridge per network holding the gateway address, and a veth pair per
 * joined endpoint with one end on the bridge and the other in the container's sandbox.
 */
@ApplicationScoped
public class BridgeDriver implements NetworkDriver {

    /** Prefix of bridge names; the rest is the first 12 characters of the network ID. */
    public static final String BRIDGE_PREFIX = "jn-";
    /** Prefix of the host end of an endpoint's veth pair. */
    public static final String HOST_INTERFACE_PREFIX = "jv-";
    /** Prefix of the container end of a veth pair when it stays in the host namespace. */
    public static final String HOST_NAMESPACE_INTERFACE_PREFIX = "jc-";

    private static final Logger LOG = Logger.getLogger(BridgeDriver.class);

    private final Host host;
    private final BridgeFirewall firewall;

    BridgeDriver(Host host, BridgeFirewall firewall) {
        this.host = host;
        this.firewall = firewall;
    }

    public static String bridgeName(String networkId) {
        return BRIDGE_PREFIX + Ids.shorten(networkId);
    }

    public static String hostInterfaceName(String endpointId) {
        return HOST_INTERFACE_PREFIX + Ids.shorten(endpointId);
    }

    public static String hostNamespaceInterfaceName(String endpointId) {
        return HOST_NAMESPACE_INTERFACE_PREFIX + Ids.shorten(endpointId);
    }

    @Override
    public NetworkType type() {
        return NetworkType.BRIDGE;
    }

    @Override
    public void createNetwork(Network network) {
        Links links = host.namespace().links();
        links.createBridge(network.device(), network.mtu(), MacAddress.randomLocal());
        try {
            int index = links.get(network.device())
                    .orElseThrow(() -> new IllegalStateException("bridge " + network.device() + " vanished after creation"))
                    .index();
            host.namespace().addresses().add(index, network.gateway().toInetAddress(), network.subnet().prefixLength());
            configureHost(network);
            firewall.addNetwork(network);
        } catch (RuntimeException e) {
            links.delete(network.device());
            throw e;
        }
    }

    /**
     * Sets what the host needs for a bridge: IPv4 forwarding, which containers need to reach
     * anything beyond their bridge, and {@code route_localnet} on the bridge, which lets
     * connections to 127.0.0.1 reach published ports.
     */
    public void configureHost(Network network) {
        if (Sysctl.write(host.namespace(), "net/ipv4/ip_forward", "1")) {
            LOG.infof("Turned on IPv4 forwarding (net.ipv4.ip_forward) in %s for bridge networks", host.namespace());
        }
        Sysctl.write(host.namespace(), "net/ipv4/conf/" + network.device() + "/route_localnet", "1");
    }

    @Override
    public void deleteNetwork(Network network) {
        firewall.removeNetwork(network);
        host.namespace().links().delete(network.device());
    }

    @Override
    public String join(Network network, Endpoint endpoint, Attachment attachment) {
        Links links = host.namespace().links();
        int bridgeIndex = bridgeIndex(network);
        String hostInterface = hostInterfaceName(endpoint.id());
        links.createVethPair(new Links.VethPair(hostInterface, bridgeIndex, attachment.interfaceName(), endpoint.mac(),
                network.mtu()), attachment.namespace());
        try {
            // IPv6 stays off on both ends: the networks are IPv4-only, and every IPv6 device's
            // discovery traffic is flooded to all ports of the bridge, which makes joins slower as it grows.
            Sysctl.disableIpv6(host.namespace(), hostInterface);
            int hostIndex = links.get(hostInterface)
                    .orElseThrow(() -> new IllegalStateException("device " + hostInterface + " vanished after its creation"))
                    .index();
            links.setUp(hostIndex);
            configureContainerSide(network, endpoint, attachment);
            if (!attachment.publishedPorts().isEmpty()) {
                links.setHairpin(hostIndex);
            }
            firewall.addEndpoint(rulesOf(network, endpoint.id(), hostInterface, attachment.publishedPorts()));
        } catch (RuntimeException e) {
            links.delete(hostInterface);
            throw e;
        }
        return hostInterface;
    }

    private void configureContainerSide(Network network, Endpoint endpoint, Attachment attachment) {
        NetNamespace namespace = attachment.namespace();
        int index = namespace.links().get(attachment.interfaceName())
                .orElseThrow(() -> new IllegalStateException("device " + attachment.interfaceName() + " is missing in "
                        + namespace + " after its creation"))
                .index();
        if (attachment.hostNamespace()) {
            // A sandbox's own namespace turns IPv6 off for new devices; the host namespace does not.
            Sysctl.disableIpv6(namespace, attachment.interfaceName());
        }
        namespace.links().setUp(index);
        // In the host namespace the bridge already routes the subnet; a second prefix route would compete with it.
        namespace.addresses().add(index, endpoint.address().toInetAddress(), endpoint.prefixLength(), !attachment.hostNamespace());
        if (attachment.defaultRoute()) {
            namespace.routes().addDefault(network.gateway().toInetAddress(), index);
        }
    }

    /** Returns the firewall elements of a joined endpoint. */
    public static BridgeFirewall.EndpointRules rulesOf(Network network, String endpointId, String hostInterface,
                                                       List<PortBinding> publishedPorts) {
        return new BridgeFirewall.EndpointRules(endpointId, hostInterface, !network.icc(), publishedPorts);
    }

    @Override
    public void leave(Network network, Endpoint endpoint, Join join) {
        firewall.removeEndpoint(endpoint.id());
        if (join.hostInterface() != null) {
            host.namespace().links().delete(join.hostInterface());
        }
    }

    /** Returns the bridge's index, recreating the bridge when something removed it. */
    private int bridgeIndex(Network network) {
        Links links = host.namespace().links();
        var bridge = links.get(network.device());
        if (bridge.isPresent()) {
            return bridge.get().index();
        }
        LOG.warnf("Bridge %s of network %s (%s) is missing; recreating it", network.device(), network.name(), network.id());
        try {
            createNetwork(network);
        } catch (KernelException e) {
            if (e.errno() != KernelException.EEXIST) {
                throw e;
            }
        }
        return links.get(network.device())
                .orElseThrow(() -> new IllegalStateException("bridge " + network.device() + " could not be recreated"))
                .index();
    }
}
