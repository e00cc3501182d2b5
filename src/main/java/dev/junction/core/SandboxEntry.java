package dev.junction.core;

import dev.junction.kernel.NetNamespace;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The live state of one container's sandbox: its namespace, its files and the endpoints joined
 * to it. Every field except the two names is guarded by {@link #lock}.
 */
final class SandboxEntry {

    /** One joined endpoint, in join order. */
    record Member(Network network, Endpoint endpoint, Join join) {
    }

    final String containerId;
    final String key;
    final ReentrantLock lock = new ReentrantLock();
    /** Set when the entry left the index; a thread that locked it afterwards must look again. */
    boolean removed;
    /** Whether the namespace (or the shared host namespace) and the directory exist. */
    boolean materialized;
    /** Whether the container shares the host namespace instead of having its own. */
    boolean hostNamespace;
    Path namespacePath;
    /** Sockets of the sandbox's own namespace; null when it shares the host namespace. */
    NetNamespace namespace;
    Path directory;
    Path hostsPath;
    Path resolvConfPath;
    final Map<String, Member> members = new LinkedHashMap<>();
    /** Hosts entries that other containers' joins added through {@code parent_updates}. */
    final List<ExtraHost> parentEntries = new ArrayList<>();
    /** The endpoint whose device carries the default route, or null. */
    String defaultRouteEndpoint;

    SandboxEntry(String containerId, String key) {
        this.containerId = containerId;
        this.key = key;
    }
}
