package dev.junction.kernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Kernel parameters under {@code /proc/sys}, read and written from a thread inside the
 * namespace they belong to: the files under {@code /proc/sys/net} show the namespace of the
 * thread that opens them.
 */
public final class Sysctl {

    private Sysctl() {
    }

    /** Reads a parameter such as {@code net/ipv4/ip_forward}. */
    public static String read(NetNamespace namespace, String name) {
        Path file = Path.of("/proc/sys", name);
        return namespace.callInside(() -> {
            try {
                return Files.readString(file, StandardCharsets.US_ASCII).strip();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + " in " + namespace, e);
            }
        });
    }

    /**
     * Turns IPv6 off on a device, so that it neither gets a link-local address nor sends the
     * neighbour discovery and multicast listener messages that a bridge floods to every port.
     * Does nothing on kernels without IPv6.
     */
    public static void disableIpv6(NetNamespace namespace, String device) {
        if (namespace.callInside(() -> Files.exists(Path.of("/proc/sys/net/ipv6/conf", device)))) {
            write(namespace, "net/ipv6/conf/" + device + "/disable_ipv6", "1");
        }
    }

    /** Writes a parameter; returns whether its value changed. */
    public static boolean write(NetNamespace namespace, String name, String value) {
        Path file = Path.of("/proc/sys", name);
        return namespace.callInside(() -> {
            try {
                String current = Files.readString(file, StandardCharsets.US_ASCII).strip();
                if (current.equals(value)) {
                    return false;
                }
                Files.writeString(file, value + "\n", StandardCharsets.US_ASCII);
                return true;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + value + " to " + file + " in " + namespace, e);
            }
        });
    }
}
