package dev.junction.core;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Host ports reserved by joined endpoints' port mappings. A mapping reserves its protocol and host
 * port on its host address, and an empty host address (or 0.0.0.0) reserves the port on every address.
 */
@ApplicationScoped
public class PortReservations {

    private record Holder(String endpointId, String endpointName, String hostIp) {
    }

    private final Map<String, List<Holder>> holdersByPort = new HashMap<>();

    /** Reserves every fixed host port of {@code endpoint}, or none of them when one is taken (409). */
    synchronized void reserve(Endpoint endpoint) {
        for (PortBinding binding : endpoint.portMapping()) {
            if (binding.hostPort() == 0) {
                continue;
            }
            for (Holder holder : holdersByPort.getOrDefault(key(binding), List.of())) {
                if (overlaps(holder.hostIp(), binding.hostIp())) {
                    throw JunctionException.conflict("host port %s/%d%s is already taken by endpoint %s (%s)",
                            PortBinding.protocolName(binding.proto()), binding.hostPort(),
                            binding.hostIp().isEmpty() ? "" : " on " + binding.hostIp(), holder.endpointName(), holder.endpointId());
                }
            }
        }
        for (PortBinding binding : endpoint.portMapping()) {
            if (binding.hostPort() != 0) {
                holdersByPort.computeIfAbsent(key(binding), k -> new ArrayList<>())
                        .add(new Holder(endpoint.id(), endpoint.name(), binding.hostIp()));
            }
        }
    }

    /** Releases every port {@code endpointId} holds; releasing twice does nothing. */
    synchronized void release(String endpointId) {
        holdersByPort.values().forEach(holders -> holders.removeIf(holder -> holder.endpointId().equals(endpointId)));
        holdersByPort.values().removeIf(List::isEmpty);
    }

    private static String key(PortBinding binding) {
        return binding.proto() + "/" + binding.hostPort();
    }

    private static boolean overlaps(String first, String second) {
        return isAny(first) || isAny(second) || first.equals(second);
    }

    private static boolean isAny(String hostIp) {
        return hostIp.isEmpty() || hostIp.equals("0.0.0.0");
    }
}
