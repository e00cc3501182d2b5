package dev.junction.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.junction.core.Endpoint;
import dev.junction.core.Network;
import dev.junction.core.PortBinding;
import dev.junction.core.TransportPort;

import java.util.List;

/**
 * Response bodies. The fields the networking API documents come first and keep their meaning.
 * The others describe what Junction built and are left out when they do not apply.
 */
final class Views {

    private Views() {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record NetworkView(
            String name,
            String id,
            String type,
            List<EndpointView> endpoints,
            String subnet,
            String gateway,
            Integer mtu,
            String device,
            Boolean internal,
            @JsonProperty("enable_icc") Boolean enableIcc) {

        static NetworkView of(Network network, List<Endpoint> endpoints) {
            return new NetworkView(network.name(), network.id(), network.type().apiName(),
                    endpoints.stream().map(endpoint -> EndpointView.of(endpoint, network)).toList(),
                    network.subnet() == null ? null : network.subnet().toString(),
                    network.gateway() == null ? null : network.gateway().toString(),
                    network.mtu() == 0 ? null : network.mtu(),
                    network.device(),
                    network.device() == null ? null : network.internal(),
                    network.device() == null ? null : network.icc());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record EndpointView(
            String id,
            String name,
            String network,
            @JsonProperty("network_id") String networkId,
            String address,
            @JsonProperty("mac_address") String macAddress,
            @JsonProperty("exposed_ports") List<PortView> exposedPorts,
            @JsonProperty("port_mapping") List<BindingView> portMapping,
            @JsonProperty("container_id") String containerId,
            String sandbox,
            @JsonProperty("interface") String interfaceName) {

        static EndpointView of(Endpoint endpoint, Network network) {
            var join = endpoint.join();
            return new EndpointView(endpoint.id(), endpoint.name(), network.name(), network.id(),
                    endpoint.address() == null ? null : endpoint.address() + "/" + endpoint.prefixLength(),
                    endpoint.mac() == null ? null : endpoint.mac().toString(),
                    endpoint.exposedPorts().stream().map(PortView::of).toList(),
                    (join == null ? endpoint.portMapping() : join.publishedPorts()).stream().map(BindingView::of).toList(),
                    join == null ? null : join.containerId(),
                    join == null ? null : join.sandboxPath(),
                    join == null ? null : join.interfaceName());
        }
    }

    record PortView(int proto, int port) {

        static PortView of(TransportPort port) {
            return new PortView(port.proto(), port.port());
        }
    }

    record BindingView(int proto, String ip, int port, @JsonProperty("host_ip") String hostIp, @JsonProperty("host_port") int hostPort) {

        static BindingView of(PortBinding binding) {
            return new BindingView(binding.proto(), binding.ip(), binding.port(), binding.hostIp(), binding.hostPort());
        }
    }

    record BackendView(String id) {
    }

    /** The body of every error response. */
    record ErrorBody(String message) {
    }
}
