package dev.junction.core;

/** A {@code host:port} pair from {@code junction.tcp.address}; IPv6 hosts are written in brackets. */
public record TcpAddress(String host, int port) {

    public static TcpAddress parse(String text) {
        String value = text.strip();
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new StartupException("Invalid junction.tcp.address \"" + text + "\": expected host:port, such as 127.0.0.1:2385");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new StartupException("Invalid junction.tcp.address \"" + text + "\": the port must be a number from 1 to 65535");
        }
        if (port < 1 || port > 65535) {
            throw new StartupException("Invalid junction.tcp.address \"" + text + "\": the port must be a number from 1 to 65535");
        }
        return new TcpAddress(host, port);
    }
}
