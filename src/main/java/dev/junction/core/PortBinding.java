package dev.junction.core;

/**
 * A published port: {@code hostIp:hostPort} on the host forwards to {@code port} of the
 * container. An empty {@code hostIp} means every host address; {@code hostPort} 0 means any free
 * port. {@code ip} is the container address, or empty.
 */
public record PortBinding(int proto, String ip, int port, String hostIp, int hostPort) {

    public static final int TCP = 6;
    public static final int UDP = 17;

    public static String protocolName(int proto) {
        return switch (proto) {
            case TCP -> "tcp";
            case UDP -> "udp";
            default -> "protocol " + proto;
        };
    }
}
