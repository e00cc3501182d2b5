package dev.junction.core;

import dev.junction.driver.Attachment;
import dev.junction.driver.BridgeDriver;
import dev.junction.driver.Drivers;
import dev.junction.driver.NetworkDriver;
import dev.junction.kernel.NetNamespace;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Container sandboxes: a network namespace bound under {@code <run-root>/netns/<key>} (or the
 * shared host namespace), a directory for the hosts file and resolv.conf, and the endpoints joined
 * to it. A sandbox is created by its first join and removed with its last leave.
 *
 * <p>Callers hold the lock of the endpoint's network; this class then locks the sandbox, so the
 * lock order is always network before sandbox.
 */
@ApplicationScoped
public class SandboxManager {

    public static final String CONTAINER_ID_PATTERN = "[A-Za-z0-9][A-Za-z0-9_.-]{0,127}";

    private static final Logger LOG = Logger.getLogger(SandboxManager.class);
    private static final Pattern CONTAINER_ID = Pattern.compile(CONTAINER_ID_PATTERN);

    private final Host host;
    private final Drivers drivers;
    private final ConcurrentHashMap<String, SandboxEntry> sandboxes = new ConcurrentHashMap<>();
    /** The container ID of every sandbox key in use. */
    private final ConcurrentHashMap<String, String> keys = new ConcurrentHashMap<>();

    SandboxManager(Host host, Drivers drivers) {
        this.host = host;
        this.drivers = drivers;
    }

    /**
     * Returns the sandbox key of a container: the first 12 characters of a 64-hex ID, as Docker
     * names its namespace files, and the whole ID otherwise.
     */
    public static String keyOf(String containerId) {
        return Ids.isFullId(containerId) ? Ids.shorten(containerId) : containerId;
    }

    static void checkContainerId(String field, String containerId) {
        if (containerId == null || containerId.isEmpty()) {
            throw JunctionException.invalid("%s is required", field);
        }
        if (!CONTAINER_ID.matcher(containerId).matches()) {
            throw JunctionException.invalid("invalid %s \"%s\": expected 1 to 128 letters, digits, '_', '.' or '-', "
                    + "starting with a letter or digit", field, containerId);
        }
        if (keyOf(containerId).equals(Host.DEFAULT_SANDBOX)) {
            throw JunctionException.invalid("invalid %s \"%s\": the name is reserved for the host namespace's sandbox",
                    field, containerId);
        }
    }

    /**
     * Connects {@code endpoint} to the sandbox of {@code options.containerId()}, creating the
     * sandbox on first use, and writes the sandbox's files. All or nothing: on failure the
     * sandbox and the kernel are as before.
     */
    Join join(Network network, Endpoint endpoint, JoinOptions options) {
        boolean wantsHostNamespace = network.type() == NetworkType.HOST || options.useDefaultSandbox();
        NetworkDriver driver = drivers.forType(network.type());
        SandboxEntry entry = acquire(options.containerId());
        Path previousHostsPath = entry.hostsPath;
        Path previousResolvConfPath = entry.resolvConfPath;
        boolean created = false;
        try {
            checkCanJoin(entry, network, wantsHostNamespace);
            if (!entry.materialized) {
                materialize(entry, wantsHostNamespace);
                created = true;
            }
            entry.hostsPath = chooseFile(options.hostsPath(), previousHostsPath, entry.directory.resolve(SandboxFiles.HOSTS));
            entry.resolvConfPath = chooseFile(options.resolvConfPath(), previousResolvConfPath,
                    entry.directory.resolve(SandboxFiles.RESOLV_CONF));

            String interfaceName = null;
            String hostInterface = null;
            boolean defaultRoute = false;
            if (network.type() == NetworkType.BRIDGE) {
                interfaceName = entry.hostNamespace
                        ? BridgeDriver.hostNamespaceInterfaceName(endpoint.id())
                        : nextInterfaceName(entry);
                defaultRoute = !entry.hostNamespace && entry.defaultRouteEndpoint == null;
                NetNamespace namespace = entry.hostNamespace ? host.namespace() : entry.namespace;
                hostInterface = driver.join(network, endpoint,
                        new Attachment(namespace, interfaceName, entry.hostNamespace, defaultRoute));
            }
            Join join = new Join(options.containerId(), entry.key, entry.namespacePath.toString(), interfaceName,
                    hostInterface, options);
            entry.members.put(endpoint.id(), new SandboxEntry.Member(network, endpoint.withJoin(join), join));
            if (defaultRoute) {
                entry.defaultRouteEndpoint = endpoint.id();
            }
            try {
                writeFiles(entry);
            } catch (RuntimeException e) {
                entry.members.remove(endpoint.id());
                if (defaultRoute) {
                    entry.defaultRouteEndpoint = null;
                }
                driver.leave(network, endpoint, join);
                throw e;
            }
            return join;
        } catch (RuntimeException e) {
            entry.hostsPath = previousHostsPath;
            entry.resolvConfPath = previousResolvConfPath;
            if (created) {
                destroyAfterFailure(entry, e);
            }
            throw e;
        } finally {
            release(entry);
        }
    }

    private static void checkCanJoin(SandboxEntry entry, Network network, boolean wantsHostNamespace) {
        if (entry.materialized && entry.hostNamespace != wantsHostNamespace) {
            if (entry.hostNamespace) {
                throw JunctionException.conflict("container %s shares the host namespace (network host or use_default_sandbox); "
                        + "it cannot also join network %s with a namespace of its own", entry.containerId, network.name());
            }
            throw JunctionException.conflict("container %s has a namespace of its own; it cannot also join network %s "
                    + "in the host namespace", entry.containerId, network.name());
        }
        for (SandboxEntry.Member member : entry.members.values()) {
            if (member.network().id().equals(network.id())) {
                throw JunctionException.conflict("container %s is already joined to network %s through endpoint %s",
                        entry.containerId, network.name(), member.endpoint().name());
            }
        }
    }

    private static Path chooseFile(String requested, Path previous, Path fallback) {
        if (requested != null) {
            return Path.of(requested);
        }
        return previous != null ? previous : fallback;
    }

    private static String nextInterfaceName(SandboxEntry entry) {
        for (int index = 0; ; index++) {
            String candidate = "eth" + index;
            boolean used = entry.members.values().stream().anyMatch(member -> candidate.equals(member.join().interfaceName()));
            if (!used) {
                return candidate;
            }
        }
    }

    /** Creates the sandbox's directory and, unless it shares the host namespace, its namespace. */
    private void materialize(SandboxEntry entry, boolean hostNamespace) {
        Path directory = host.sandboxesDirectory().resolve(entry.key);
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create sandbox directory " + directory, e);
        }
        try {
            if (hostNamespace) {
                entry.namespacePath = host.defaultSandboxPath();
                entry.namespace = null;
            } else {
                Path file = host.netnsDirectory().resolve(entry.key);
                if (Files.exists(file)) {
                    LOG.warnf("Removing stale namespace file %s before creating the sandbox of container %s", file, entry.containerId);
                    host.namespaces().remove(file);
                }
                entry.namespace = host.namespaces().create(file);
                entry.namespacePath = file;
            }
        } catch (RuntimeException e) {
            deleteDirectory(directory);
            throw e;
        }
        entry.directory = directory;
        entry.hostNamespace = hostNamespace;
        entry.materialized = true;
        LOG.infof("Created sandbox %s for container %s", entry.namespacePath, entry.containerId);
    }

    /**
     * Disconnects {@code endpoint} from its container's sandbox and removes the sandbox with its
     * last endpoint. Succeeds when devices or the namespace are already gone.
     */
    void leave(Network network, Endpoint endpoint) {
        Join join = endpoint.join();
        NetworkDriver driver = drivers.forType(network.type());
        SandboxEntry entry = existing(join.containerId());
        if (entry == null) {
            driver.leave(network, endpoint, join);
            return;
        }
        try {
            driver.leave(network, endpoint, join);
            entry.members.remove(endpoint.id());
            if (endpoint.id().equals(entry.defaultRouteEndpoint)) {
                entry.defaultRouteEndpoint = null;
                moveDefaultRoute(entry);
            }
            if (entry.members.isEmpty()) {
                destroy(entry);
            } else {
                try {
                    writeFiles(entry);
                } catch (RuntimeException e) {
                    LOG.warnf("Cannot update the files of container %s after endpoint %s left: %s",
                            entry.containerId, endpoint.id(), e.getMessage());
                }
            }
        } finally {
            release(entry);
        }
    }

    /** Gives the default route to the next bridge endpoint after the one that carried it left. */
    private void moveDefaultRoute(SandboxEntry entry) {
        if (entry.hostNamespace || entry.namespace == null) {
            return;
        }
        for (SandboxEntry.Member member : entry.members.values()) {
            Network network = member.network();
            if (network.type() != NetworkType.BRIDGE || member.join().interfaceName() == null) {
                continue;
            }
            try {
                int index = entry.namespace.links().get(member.join().interfaceName())
                        .orElseThrow(() -> new IllegalStateException("device " + member.join().interfaceName() + " is missing"))
                        .index();
                entry.namespace.routes().addDefault(network.gateway().toInetAddress(), index);
                entry.defaultRouteEndpoint = member.endpoint().id();
                LOG.infof("Default route of container %s now goes through %s of network %s",
                        entry.containerId, member.join().interfaceName(), network.name());
            } catch (RuntimeException e) {
                LOG.warnf("Cannot move the default route of container %s to network %s: %s",
                        entry.containerId, network.name(), e.getMessage());
            }
            return;
        }
    }

    /** Adds a hosts entry to the sandbox of {@code containerId}, for another container's {@code parent_updates}. */
    void addParentEntry(String containerId, ExtraHost hostsEntry) {
        SandboxEntry entry = existing(containerId);
        if (entry == null) {
            throw JunctionException.notFound("container %s has no sandbox", containerId);
        }
        try {
            entry.parentEntries.add(hostsEntry);
            try {
                writeFiles(entry);
            } catch (RuntimeException e) {
                entry.parentEntries.remove(entry.parentEntries.size() - 1);
                throw e;
            }
        } finally {
            release(entry);
        }
    }

    /** Returns the namespace path of a container's sandbox, or null when it has none. */
    public String sandboxPath(String containerId) {
        SandboxEntry entry = sandboxes.get(containerId);
        Path path = entry == null ? null : entry.namespacePath;
        return path == null ? null : path.toString();
    }

    private void writeFiles(SandboxEntry entry) {
        List<SandboxFiles.Member> members = new ArrayList<>(entry.members.size());
        for (SandboxEntry.Member member : entry.members.values()) {
            members.add(new SandboxFiles.Member(member.endpoint().address(), member.join().options()));
        }
        SandboxFiles.write(entry.hostsPath, SandboxFiles.hosts(members, entry.parentEntries));
        SandboxFiles.write(entry.resolvConfPath, SandboxFiles.resolvConf(entry.containerId, members));
    }

    private void destroy(SandboxEntry entry) {
        if (entry.namespace != null) {
            entry.namespace.close();
            entry.namespace = null;
        }
        if (!entry.hostNamespace && entry.namespacePath != null) {
            host.namespaces().remove(entry.namespacePath);
        }
        if (entry.directory != null) {
            deleteDirectory(entry.directory);
        }
        entry.materialized = false;
        entry.parentEntries.clear();
        LOG.infof("Removed sandbox %s of container %s", entry.namespacePath, entry.containerId);
    }

    private void destroyAfterFailure(SandboxEntry entry, RuntimeException cause) {
        try {
            destroy(entry);
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
            LOG.errorf("Cannot remove the sandbox of container %s after a failed join: %s", entry.containerId, e.getMessage());
        }
    }

    private static void deleteDirectory(Path directory) {
        try (var files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(directory);
        } catch (java.nio.file.NoSuchFileException e) {
            // Already gone.
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete sandbox directory " + directory, e);
        }
    }

    /** Finds or creates the entry of a container and locks it. */
    private SandboxEntry acquire(String containerId) {
        while (true) {
            SandboxEntry entry = sandboxes.computeIfAbsent(containerId, id -> new SandboxEntry(id, keyOf(id)));
            entry.lock.lock();
            if (entry.removed) {
                entry.lock.unlock();
                continue;
            }
            if (!entry.materialized) {
                String holder = keys.putIfAbsent(entry.key, containerId);
                if (holder != null && !holder.equals(containerId)) {
                    entry.removed = true;
                    sandboxes.remove(containerId, entry);
                    entry.lock.unlock();
                    throw JunctionException.conflict("sandbox key %s of container %s is already used by container %s; "
                            + "container IDs must differ in their first %d characters", entry.key, containerId, holder, Ids.SHORT_LENGTH);
                }
            }
            return entry;
        }
    }

    /** Finds and locks the entry of a container, or returns null when it has none. */
    private SandboxEntry existing(String containerId) {
        while (true) {
            SandboxEntry entry = sandboxes.get(containerId);
            if (entry == null) {
                return null;
            }
            entry.lock.lock();
            if (!entry.removed) {
                return entry;
            }
            entry.lock.unlock();
        }
    }

    /** Unlocks an entry, dropping it from the index when it no longer has a sandbox. */
    private void release(SandboxEntry entry) {
        if (!entry.materialized && entry.members.isEmpty()) {
            entry.removed = true;
            sandboxes.remove(entry.containerId, entry);
            keys.remove(entry.key, entry.containerId);
        }
        entry.lock.unlock();
    }
}
