package dev.junction.core;

import dev.junction.ipam.Ipv4Address;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Validation of the exposed ports and port mappings of endpoint and service requests. */
final class Ports {

    private Ports() {
    }

    static List<TransportPort> checkExposed(List<TransportPort> ports) {
        if (ports == null) {
            return List.of();
        }
        for (int i = 0; i < ports.size(); i++) {
            TransportPort port = ports.get(i);
            String field = "exposed_ports[" + i + "]";
            checkProtocol(field, port.proto());
            checkPort(field + ".port", port.port(), 1);
        }
        return List.copyOf(ports);
    }

    /**
     * Validates port mappings and returns them with host addresses in canonical form and null ones as empty strings.
     * A valid {@code ip} is dropped, as Docker does, because the container side always uses the endpoint's address.
     */
    static List<PortBinding> checkMapping(List<PortBinding> bindings) {
        if (bindings == null) {
            return List.of();
        }
        List<PortBinding> checked = new ArrayList<>(bindings.size());
        Set<String> hostSides = new HashSet<>();
        for (int i = 0; i < bindings.size(); i++) {
            PortBinding binding = bindings.get(i);
            String field = "port_mapping[" + i + "]";
            checkProtocol(field, binding.proto());
            checkPort(field + ".port", binding.port(), 1);
            checkPort(field + ".host_port", binding.hostPort(), 0);
            checkIpv4(field + ".ip", binding.ip());
            String hostIp = checkIpv4(field + ".host_ip", binding.hostIp());
            if (binding.hostPort() != 0 && !hostSides.add(binding.proto() + "/" + hostIp + ":" + binding.hostPort())) {
                throw JunctionException.invalid("%s repeats host port %s/%d%s of an earlier mapping", field,
                        PortBinding.protocolName(binding.proto()), binding.hostPort(), hostIp.isEmpty() ? "" : " on " + hostIp);
            }
            checked.add(new PortBinding(binding.proto(), "", binding.port(), hostIp, binding.hostPort()));
        }
        return List.copyOf(checked);
    }

    private static void checkProtocol(String field, int proto) {
        if (proto != PortBinding.TCP && proto != PortBinding.UDP) {
            throw JunctionException.invalid("invalid %s.proto %d: expected 6 (TCP) or 17 (UDP)", field, proto);
        }
    }

    private static void checkPort(String field, int port, int minimum) {
        if (port < minimum || port > 65535) {
            throw JunctionException.invalid("invalid %s %d: expected %d to 65535", field, port, minimum);
        }
    }

    private static String checkIpv4(String field, String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        try {
            return Ipv4Address.parse(value).toString();
        } catch (IllegalArgumentException e) {
            throw JunctionException.invalid("invalid %s \"%s\": expected an IPv4 address or an empty string", field, value);
        }
    }
}
