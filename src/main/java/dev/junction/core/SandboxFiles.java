package dev.junction.core;

import dev.junction.ipam.Ipv4Address;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The hosts file and resolv.conf of a sandbox. */
final class SandboxFiles {

    static final String HOSTS = "hosts";
    static final String RESOLV_CONF = "resolv.conf";

    /** Nameservers Docker falls back to when the host has none a container can reach. */
    static final List<String> FALLBACK_NAMESERVERS = List.of("8.8.8.8", "8.8.4.4");

    private static final Path HOST_RESOLV_CONF = Path.of("/etc/resolv.conf");
    private static final Path SYSTEMD_RESOLVED_UPSTREAM = Path.of("/run/systemd/resolve/resolv.conf");
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    private static final String LOCAL_ENTRIES = """
            127.0.0.1\tlocalhost
            ::1\tlocalhost ip6-localhost ip6-loopback
            fe00::0\tip6-localnet
            ff00::0\tip6-mcastprefix
            ff02::1\tip6-allnodes
            ff02::2\tip6-allrouters
            """;

    private SandboxFiles() {
    }

    /** One endpoint's contribution to the files of its sandbox. */
    record Member(Ipv4Address address, JoinOptions options) {
    }

    /**
     * Checks a file path from a join request: absolute, without {@code ..}, in an existing
     * directory, and not a symbolic link or directory itself.
     */
    static Path checkPath(String field, String value) {
        if (value == null) {
            return null;
        }
        if (value.indexOf('\0') >= 0) {
            throw JunctionException.invalid("invalid %s \"%s\": contains a NUL character", field, value.replace("\0", "\\0"));
        }
        Path path = Path.of(value);
        if (!path.isAbsolute()) {
            throw JunctionException.invalid("invalid %s \"%s\": the path must be absolute", field, value);
        }
        for (Path part : path) {
            if (part.toString().equals("..")) {
                throw JunctionException.invalid("invalid %s \"%s\": the path must not contain \"..\"", field, value);
            }
        }
        Path parent = path.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw JunctionException.invalid("invalid %s \"%s\": directory %s does not exist", field, value, parent);
        }
        if (Files.isSymbolicLink(path)) {
            throw JunctionException.invalid("invalid %s \"%s\": the file is a symbolic link, which Junction does not follow", field, value);
        }
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            throw JunctionException.invalid("invalid %s \"%s\": the path is a directory", field, value);
        }
        return path;
    }

    /** Checks a host name or domain name from a join request. */
    static void checkHostName(String field, String value) {
        if (value != null && (value.length() > 253 || !HOST_NAME.matcher(value).matches())) {
            throw JunctionException.invalid("invalid %s \"%s\": expected letters, digits and '-' in dot-separated labels", field, value);
        }
    }

    /** Checks an IP address from a join request and returns it in canonical form. */
    static String checkAddress(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw JunctionException.invalid("%s is required", field);
        }
        if (value.contains(":")) {
            if (!value.matches("[0-9A-Fa-f:.]+")) {
                throw JunctionException.invalid("invalid %s \"%s\": not an IP address", field, value);
            }
            try {
                return InetAddress.getByName(value).getHostAddress();
            } catch (IOException e) {
                throw JunctionException.invalid("invalid %s \"%s\": not an IP address", field, value);
            }
        }
        try {
            return Ipv4Address.parse(value).toString();
        } catch (IllegalArgumentException e) {
            throw JunctionException.invalid("invalid %s \"%s\": not an IP address", field, value);
        }
    }

    /**
     * Renders the hosts file: local entries, extra hosts, each endpoint's address with the host
     * name (the sandbox key when the join gave none, as Docker names a container's host by its
     * short ID), then entries other joins added.
     */
    static String hosts(List<Member> members, List<ExtraHost> parentEntries, String defaultHostName) {
        Set<String> lines = new LinkedHashSet<>();
        for (Member member : members) {
            for (ExtraHost extra : member.options().extraHosts()) {
                lines.add(extra.address() + "\t" + extra.name());
            }
        }
        for (Member member : members) {
            String hostName = member.options().hostName() == null ? defaultHostName : member.options().hostName();
            if (member.address() != null) {
                String domainName = member.options().domainName();
                String names = domainName == null ? hostName : hostName + "." + domainName + " " + hostName;
                lines.add(member.address() + "\t" + names);
            }
        }
        for (ExtraHost entry : parentEntries) {
            lines.add(entry.address() + "\t" + entry.name());
        }
        StringBuilder text = new StringBuilder(LOCAL_ENTRIES);
        for (String line : lines) {
            text.append(line).append('\n');
        }
        return text.toString();
    }

    /**
     * Renders resolv.conf: the nameservers of the first endpoint that gave {@code dns}, else the
     * host's, with the host's {@code search} and {@code options} lines.
     */
    static String resolvConf(String containerId, List<Member> members) {
        List<String> nameservers = members.stream()
                .map(member -> member.options().dns())
                .filter(dns -> !dns.isEmpty())
                .findFirst()
                .orElse(null);
        HostResolvConf host = HostResolvConf.read();
        if (nameservers == null) {
            nameservers = host.nameservers().isEmpty() ? FALLBACK_NAMESERVERS : host.nameservers();
        }
        StringBuilder text = new StringBuilder("# Generated by Junction for container ").append(containerId).append(".\n");
        for (String nameserver : nameservers) {
            text.append("nameserver ").append(nameserver).append('\n');
        }
        for (String line : host.otherLines()) {
            text.append(line).append('\n');
        }
        return text.toString();
    }

    /** Writes {@code content} to {@code file} in place, never following a symbolic link at the last component. */
    static void write(Path file, String content) {
        try (SeekableByteChannel channel = Files.newByteChannel(file, Set.of(StandardOpenOption.WRITE,
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS))) {
            ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        } catch (FileSystemException e) {
            throw JunctionException.invalid("cannot write %s: %s", file, e.getReason() == null ? e.getMessage() : e.getReason());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The host's resolver settings: nameservers a container can reach, and its search and options lines. */
    record HostResolvConf(List<String> nameservers, List<String> otherLines) {

        static HostResolvConf read() {
            HostResolvConf main = parse(HOST_RESOLV_CONF);
            // With systemd-resolved, /etc/resolv.conf names only 127.0.0.53; its upstream servers are in the other file.
            if (main.nameservers().isEmpty() && Files.isReadable(SYSTEMD_RESOLVED_UPSTREAM)) {
                HostResolvConf upstream = parse(SYSTEMD_RESOLVED_UPSTREAM);
                return new HostResolvConf(upstream.nameservers(), main.otherLines());
            }
            return main;
        }

        private static HostResolvConf parse(Path file) {
            List<String> nameservers = new ArrayList<>();
            List<String> other = new ArrayList<>();
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return new HostResolvConf(List.of(), List.of());
            }
            for (String line : lines) {
                String[] fields = line.strip().split("\\s+");
                if (fields.length < 2) {
                    continue;
                }
                switch (fields[0]) {
                    case "nameserver" -> {
                        if (!isLoopback(fields[1])) {
                            nameservers.add(fields[1]);
                        }
                    }
                    case "search", "domain", "options" -> other.add(line.strip());
                    default -> {
                    }
                }
            }
            return new HostResolvConf(nameservers, other);
        }

        private static boolean isLoopback(String address) {
            return address.startsWith("127.") || address.equals("::1");
        }
    }
}
