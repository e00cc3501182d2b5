package dev.junction.kernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * TCP ports in LISTEN state and bound UDP ports of a namespace, read from
 * {@code /proc/thread-self/net/{tcp,tcp6,udp,udp6}} on a thread inside it.
 */
public final class HostPorts {

    private static final String TCP_LISTEN = "0A";

    /** A socket bound to {@code address:port}; {@code inode} finds the process that owns it. */
    public record BoundPort(int proto, InetAddress address, int port, long inode) {

        /** Reports whether the socket takes the port on every address of its family. */
        public boolean wildcard() {
            return address.isAnyLocalAddress();
        }
    }

    private HostPorts() {
    }

    /** Lists the bound ports of {@code proto} (6 for TCP, 17 for UDP) in {@code namespace}. */
    public static List<BoundPort> list(NetNamespace namespace, int proto) {
        String base = proto == 6 ? "tcp" : "udp";
        return namespace.callInside(() -> {
            List<BoundPort> ports = new ArrayList<>();
            read(Path.of("/proc/thread-self/net", base), proto, ports);
            read(Path.of("/proc/thread-self/net", base + "6"), proto, ports);
            return ports;
        });
    }

    private static void read(Path file, int proto, List<BoundPort> ports) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (java.nio.file.NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] fields = line.strip().split("\\s+");
            if (fields.length < 10) {
                continue;
            }
            if (proto == 6 && !fields[3].equals(TCP_LISTEN)) {
                continue;
            }
            String[] local = fields[1].split(":");
            ports.add(new BoundPort(proto, address(local[0]), Integer.parseInt(local[1], 16), Long.parseLong(fields[9])));
        }
    }

    /** Decodes the address of /proc/net/tcp: 32-bit words in host byte order (little-endian here). */
    private static InetAddress address(String hex) {
        byte[] raw = HexFormat.of().parseHex(hex);
        byte[] bytes = new byte[raw.length];
        for (int word = 0; word < raw.length; word += 4) {
            for (int i = 0; i < 4; i++) {
                bytes[word + i] = raw[word + 3 - i];
            }
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("address " + hex, e);
        }
    }

    /** Returns the name of the process that owns the socket with {@code inode}, such as {@code "nginx (pid 812)"}, or null. */
    public static String holder(long inode) {
        String target = "socket:[" + inode + "]";
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                try (DirectoryStream<Path> descriptors = Files.newDirectoryStream(process.resolve("fd"))) {
                    for (Path descriptor : descriptors) {
                        if (target.equals(Files.readSymbolicLink(descriptor).toString())) {
                            String command = Files.readString(process.resolve("comm")).strip();
                            return command + " (pid " + process.getFileName() + ")";
                        }
                    }
                } catch (IOException | UncheckedIOException e) {
                    // The process ended or is not readable; look at the next one.
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }
}
