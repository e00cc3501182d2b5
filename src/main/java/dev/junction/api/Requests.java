package dev.junction.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.junction.core.ExtraHost;
import dev.junction.core.JoinOptions;
import dev.junction.core.Names;
import dev.junction.core.ParentUpdate;
import dev.junction.core.PortBinding;
import dev.junction.core.SandboxManager;
import dev.junction.core.TransportPort;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;
import java.util.Map;

/**
 * Request bodies of the API, with the JSON field names of the networking API. Fields other than
 * the required ones may be absent or JSON null; unknown fields are ignored, as Docker does.
 */
final class Requests {

    static final String NAME_MESSAGE = "must be " + Names.RULE;
    static final String CONTAINER_ID_MESSAGE = "must be 1 to 128 letters, digits, '_', '.' or '-', starting with a letter or digit";
    static final int MAX_LIST_SIZE = 4096;

    private Requests() {
    }

    record NetworkCreate(
            @Schema(description = "Network name: " + Names.RULE)
            @NotNull(message = "is required") @Pattern(regexp = Names.PATTERN, message = NAME_MESSAGE) String name,
            @Schema(description = "\"\" or \"bridge\"; \"host\" and \"null\" belong to the predefined networks")
            @JsonProperty("network_type") String networkType,
            @Schema(description = ApiDocs.NETWORK_OPTIONS)
            Map<String, Object> options) {
    }

    record EndpointCreate(
            @NotNull(message = "is required") @Pattern(regexp = Names.PATTERN, message = NAME_MESSAGE) String name,
            @JsonProperty("exposed_ports") @Size(max = MAX_LIST_SIZE) List<@Valid @NotNull(message = "must be an object") Port> exposedPorts,
            @JsonProperty("port_mapping") @Size(max = MAX_LIST_SIZE) List<@Valid @NotNull(message = "must be an object") Binding> portMapping) {
    }

    record ServicePublish(
            @NotNull(message = "is required") @Pattern(regexp = Names.PATTERN, message = NAME_MESSAGE) String name,
            @JsonProperty("network_name") @NotNull(message = "is required") String networkName,
            @JsonProperty("exposed_ports") @Size(max = MAX_LIST_SIZE) List<@Valid @NotNull(message = "must be an object") Port> exposedPorts,
            @JsonProperty("port_mapping") @Size(max = MAX_LIST_SIZE) List<@Valid @NotNull(message = "must be an object") Binding> portMapping) {
    }

    record Port(
            @NotNull(message = "is required") Integer proto,
            @NotNull(message = "is required") Integer port) {

        TransportPort toCore() {
            return new TransportPort(proto, port);
        }
    }

    @Schema(description = "A published port: host_ip:host_port on the host forwards to port of the container")
    record Binding(
            @Schema(description = "6 for TCP, 17 for UDP") @NotNull(message = "is required") Integer proto,
            @Schema(description = "The container address: an IPv4 address, empty or null. It is ignored, as in Docker, because the endpoint's address is used; a view shows that address while the endpoint is joined") String ip,
            @Schema(description = "Container port, 1 to 65535") @NotNull(message = "is required") Integer port,
            @Schema(description = "Host address, IPv4; empty means every host address") @JsonProperty("host_ip") String hostIp,
            @Schema(description = "Host port, 1 to 65535; 0 or null picks a free one from junction.ports.range")
            @JsonProperty("host_port") Integer hostPort) {

        PortBinding toCore() {
            return new PortBinding(proto, ip, port, hostIp, hostPort == null ? 0 : hostPort);
        }
    }

    record Join(
            @JsonProperty("container_id") @NotNull(message = "is required")
            @Pattern(regexp = SandboxManager.CONTAINER_ID_PATTERN, message = CONTAINER_ID_MESSAGE) String containerId,
            @JsonProperty("host_name") String hostName,
            @JsonProperty("domain_name") String domainName,
            @JsonProperty("hosts_path") String hostsPath,
            @JsonProperty("resolv_conf_path") String resolvConfPath,
            @Size(max = MAX_LIST_SIZE) List<@NotNull(message = "must be a string") String> dns,
            @JsonProperty("extra_hosts") @Size(max = MAX_LIST_SIZE) List<@Valid @NotNull(message = "must be an object") Host> extraHosts,
            @JsonProperty("parent_updates") @Size(max = MAX_LIST_SIZE) List<@Valid @NotNull(message = "must be an object") Parent> parentUpdates,
            @JsonProperty("use_default_sandbox") Boolean useDefaultSandbox) {

        JoinOptions toCore() {
            return new JoinOptions(containerId, hostName, domainName, hostsPath, resolvConfPath, dns,
                    extraHosts == null ? null : extraHosts.stream().map(host -> new ExtraHost(host.name(), host.address())).toList(),
                    parentUpdates == null ? null : parentUpdates.stream()
                            .map(parent -> new ParentUpdate(parent.endpointId(), parent.name(), parent.address())).toList(),
                    Boolean.TRUE.equals(useDefaultSandbox));
        }
    }

    record Host(@NotNull(message = "is required") String name, @NotNull(message = "is required") String address) {
    }

    record Parent(
            @JsonProperty("endpoint_id") @NotNull(message = "is required") String endpointId,
            @NotNull(message = "is required") String name,
            @NotNull(message = "is required") String address) {
    }

    static List<TransportPort> ports(List<Port> ports) {
        return ports == null ? null : ports.stream().map(Port::toCore).toList();
    }

    static List<PortBinding> bindings(List<Binding> bindings) {
        return bindings == null ? null : bindings.stream().map(Binding::toCore).toList();
    }
}
