package dev.junction.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A network namespace that a test creates with {@code ip netns add} and removes when closed,
 * with the kernel objects in it. It plays the part of the host (or of a remote host).
 */
public final class TestNamespace implements AutoCloseable {

    private final String name;

    private TestNamespace(String name) {
        this.name = name;
    }

    /** Creates {@code jt-<prefix>-<random>}; the name stays within the 15 characters some tools allow. */
    public static TestNamespace create(String prefix) {
        String name = "jt-" + prefix + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
        Commands.check("ip", "netns", "add", name);
        Commands.check("ip", "-n", name, "link", "set", "lo", "up");
        return new TestNamespace(name);
    }

    /** Wraps a namespace that someone else created and removes; {@link #close} deletes it all the same. */
    public static TestNamespace existing(Path file) {
        return new TestNamespace(file.getFileName().toString());
    }

    public String name() {
        return name;
    }

    public Path path() {
        return Path.of("/run/netns", name);
    }

    /** Runs {@code ip -j -n NAME ARGS} and returns the parsed output. */
    public JsonNode ip(String... arguments) {
        List<String> command = new ArrayList<>(List.of("ip", "-j", "-d", "-n", name));
        command.addAll(List.of(arguments));
        return Commands.json(command.toArray(String[]::new));
    }

    /** Lists the names of the links in this namespace. */
    public List<String> linkNames() {
        List<String> names = new ArrayList<>();
        for (JsonNode link : ip("link", "show")) {
            names.add(link.get("ifname").asText());
        }
        return names;
    }

    /** Runs a command inside this namespace. */
    public Commands.Result exec(String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(command));
        return Commands.run(full);
    }

    @Override
    public void close() {
        Commands.run("ip", "netns", "delete", name);
    }

    /** Runs {@code ip -j ARGS} inside the namespace bound at {@code file}, such as a sandbox. */
    public static JsonNode ipIn(Path file, String... arguments) {
        List<String> command = new ArrayList<>(List.of("nsenter", "--net=" + file, "ip", "-j", "-d"));
        command.addAll(List.of(arguments));
        return Commands.json(command.toArray(String[]::new));
    }

    /** Runs a command inside the namespace bound at {@code file}. */
    public static Commands.Result execIn(Path file, String... command) {
        List<String> full = new ArrayList<>(List.of("nsenter", "--net=" + file));
        full.addAll(List.of(command));
        return Commands.run(full);
    }
}
