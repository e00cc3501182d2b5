package dev.junction.core;

import dev.junction.kernel.HostPorts;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Host ports of joined endpoints' port mappings. A mapping takes its protocol and host port on
 * its host address, and an empty host address (or 0.0.0.0) takes the port on every address. A
 * port is free when no mapping and no socket in the host namespace takes it; host port 0 gets
 * the next free port of {@code junction.ports.range}.
 *
 * <p>NOTE: a process that binds a published port after the join is not stopped from doing so;
 * its traffic on that port is then taken by the DNAT rule.
 */
@ApplicationScoped
public class PortAllocator {

    private record Holder(String endpointId, String endpointName, String hostIp) {
    }

    private final Host host;
    private final JunctionConfig config;
    private final Map<String, List<Holder>> holdersByPort = new HashMap<>();
    private int first;
    private int last;
    private int next;

    PortAllocator(Host host, JunctionConfig config) {
        this.host = host;
        this.config = config;
    }

    /** Reads {@code junction.ports.range}; throws {@link StartupException} when it is invalid. */
    void configure() {
        String range = config.ports().range().strip();
        String[] bounds = range.split("-");
        try {
            if (bounds.length != 2) {
                throw new NumberFormatException();
            }
            first = Integer.parseInt(bounds[0].strip());
            last = Integer.parseInt(bounds[1].strip());
        } catch (NumberFormatException e) {
            throw new StartupException("Invalid junction.ports.range \"" + range + "\": expected FIRST-LAST, such as 49153-65535");
        }
        if (first < 1 || last > 65535 || first > last) {
            throw new StartupException("Invalid junction.ports.range \"" + range + "\": expected 1 <= FIRST <= LAST <= 65535");
        }
        next = first;
    }

    /**
     * Takes the host ports of {@code endpoint}'s mappings, all or none, and returns the mappings
     * as they will be published: with the container address, and a chosen port for host port 0.
     * A port that a mapping or a host process already takes is a 409 naming the holder.
     */
    synchronized List<PortBinding> reserve(Endpoint endpoint) {
        if (endpoint.portMapping().isEmpty()) {
            return List.of();
        }
        Map<Integer, List<HostPorts.BoundPort>> listening = new HashMap<>();
        List<PortBinding> published = new ArrayList<>();
        Map<String, List<Holder>> requested = new HashMap<>();
        for (PortBinding binding : endpoint.portMapping()) {
            List<HostPorts.BoundPort> sockets = listening.computeIfAbsent(binding.proto(), proto -> HostPorts.list(host.namespace(), proto));
            int port = binding.hostPort();
            if (port == 0) {
                port = choosePort(binding, sockets, requested);
            } else {
                checkFree(binding, port, sockets, requested);
            }
            Holder holder = new Holder(endpoint.id(), endpoint.name(), binding.hostIp());
            requested.computeIfAbsent(key(binding.proto(), port), k -> new ArrayList<>()).add(holder);
            String container = endpoint.address() == null ? binding.ip() : endpoint.address().toString();
            published.add(new PortBinding(binding.proto(), container, binding.port(), binding.hostIp(), port));
        }
        for (Map.Entry<String, List<Holder>> entry : requested.entrySet()) {
            holdersByPort.computeIfAbsent(entry.getKey(), k -> new ArrayList<>()).addAll(entry.getValue());
        }
        return List.copyOf(published);
    }

    /** Takes the ports of an endpoint that was joined before a restart, without checks. */
    synchronized void restore(Endpoint endpoint, List<PortBinding> published) {
        for (PortBinding binding : published) {
            holdersByPort.computeIfAbsent(key(binding.proto(), binding.hostPort()), k -> new ArrayList<>())
                    .add(new Holder(endpoint.id(), endpoint.name(), binding.hostIp()));
        }
    }

    /** Releases every port {@code endpointId} takes; releasing twice does nothing. */
    synchronized void release(String endpointId) {
        holdersByPort.values().forEach(holders -> holders.removeIf(holder -> holder.endpointId().equals(endpointId)));
        holdersByPort.values().removeIf(List::isEmpty);
    }

    private int choosePort(PortBinding binding, List<HostPorts.BoundPort> sockets, Map<String, List<Holder>> requested) {
        int size = last - first + 1;
        for (int attempt = 0; attempt < size; attempt++) {
            int port = next;
            next = next == last ? first : next + 1;
            if (holderOf(binding, port, requested) == null && socketOf(binding, port, sockets) == null) {
                return port;
            }
        }
        throw JunctionException.conflict("no free host port is left for %s in junction.ports.range %d-%d",
                PortBinding.protocolName(binding.proto()), first, last);
    }

    private void checkFree(PortBinding binding, int port, List<HostPorts.BoundPort> sockets, Map<String, List<Holder>> requested) {
        Holder holder = holderOf(binding, port, requested);
        if (holder != null) {
            throw JunctionException.conflict("host port %s is already taken by endpoint %s (%s)",
                    describe(binding, port), holder.endpointName(), holder.endpointId());
        }
        HostPorts.BoundPort socket = socketOf(binding, port, sockets);
        if (socket != null) {
            String process = HostPorts.holder(socket.inode());
            throw JunctionException.conflict("host port %s is already taken by %s, listening on %s",
                    describe(binding, port), process == null ? "a process (socket inode " + socket.inode() + ")" : process,
                    socket.address().getHostAddress());
        }
    }

    private Holder holderOf(PortBinding binding, int port, Map<String, List<Holder>> requested) {
        String key = key(binding.proto(), port);
        for (Map<String, List<Holder>> holders : List.of(holdersByPort, requested)) {
            for (Holder holder : holders.getOrDefault(key, List.of())) {
                if (overlaps(holder.hostIp(), binding.hostIp())) {
                    return holder;
                }
            }
        }
        return null;
    }

    private static HostPorts.BoundPort socketOf(PortBinding binding, int port, List<HostPorts.BoundPort> sockets) {
        for (HostPorts.BoundPort socket : sockets) {
            if (socket.port() != port) {
                continue;
            }
            InetAddress address = socket.address();
            boolean ipv4Socket = address instanceof Inet4Address;
            // A wildcard IPv6 socket also takes the IPv4 port unless it is IPv6-only, which /proc does not show.
            if (socket.wildcard() || isAny(binding.hostIp()) || (ipv4Socket && address.getHostAddress().equals(binding.hostIp()))) {
                return socket;
            }
        }
        return null;
    }

    private static String describe(PortBinding binding, int port) {
        return PortBinding.protocolName(binding.proto()) + "/" + port + (isAny(binding.hostIp()) ? "" : " on " + binding.hostIp());
    }

    private static String key(int proto, int port) {
        return proto + "/" + port;
    }

    private static boolean overlaps(String first, String second) {
        return isAny(first) || isAny(second) || first.equals(second);
    }

    private static boolean isAny(String hostIp) {
        return hostIp.isEmpty() || hostIp.equals("0.0.0.0");
    }
}
