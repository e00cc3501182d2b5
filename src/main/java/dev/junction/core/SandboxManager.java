package dev.junction.core;

import dev.junction.driver.Attachment;
import dev.junction.driver.BridgeDriver;
import dev.junction.driver.Drivers;
import dev.junction.driver.NetworkDriver;
import dev.junction.kernel.NetNamespace;
import dev.junction.store.Store;
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
    private final Store store;
    private final FaultInjection faults;
    private final ConcurrentHashMap<String, SandboxEntry> sandboxes = new ConcurrentHashMap<>();
    /** The container ID of every sandbox key in use. */
    private final ConcurrentHashMap<String, String> keys = new ConcurrentHashMap<>();

    SandboxManager(Host host, Drivers drivers, Store store, FaultInjection faults) {
        this.host = host;
        this.drivers = drivers;
        this.store = store;
        this.faults = faults;
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
     * sandbox on first use, publishes {@code publishedPorts}, and writes the sandbox's files. All
     * or nothing: on failure the sandbox, the kernel and the store are as before.
     *
     * <p>The join is stored as {@link JoinState#JOINING}, with the sandbox, before the kernel is
     * touched, and confirmed as {@link JoinState#JOINED} after; a crash in between leaves a
     * record that the start-up reconcile undoes.
     */
    Join join(Network network, Endpoint endpoint, JoinOptions options, List<PortBinding> publishedPorts) {
        NetworkDriver driver = drivers.forType(network.type());
        SandboxEntry entry = acquire(options.containerId());
        SandboxRecord previousRecord = entry.materialized ? recordOf(entry) : null;
        Path previousHostsPath = entry.hostsPath;
        Path previousResolvConfPath = entry.resolvConfPath;
        boolean created = false;
        boolean stored = false;
        boolean connected = false;
        Join join = null;
        try {
            boolean hostNamespace = entry.materialized
                    ? entry.hostNamespace
                    : network.type() == NetworkType.HOST || options.useDefaultSandbox();
            checkCanJoin(entry, network, network.type() == NetworkType.HOST || options.useDefaultSandbox());
            Path directory = entry.materialized ? entry.directory : host.sandboxesDirectory().resolve(entry.key);
            Path namespacePath = entry.materialized ? entry.namespacePath
                    : hostNamespace ? host.defaultSandboxPath() : host.netnsDirectory().resolve(entry.key);

            String interfaceName = null;
            String hostInterface = null;
            boolean defaultRoute = false;
            if (network.type() == NetworkType.BRIDGE) {
                interfaceName = hostNamespace ? BridgeDriver.hostNamespaceInterfaceName(endpoint.id()) : nextInterfaceName(entry);
                hostInterface = BridgeDriver.hostInterfaceName(endpoint.id());
                // As in Docker, an internal network gives no gateway, so it never carries the default route.
                defaultRoute = !hostNamespace && !network.internal() && entry.defaultRouteEndpoint == null;
            }
            join = new Join(options.containerId(), entry.key, namespacePath.toString(), interfaceName, hostInterface, options,
                    publishedPorts);
            Path hostsPath = chooseFile(options.hostsPath(), previousHostsPath, directory.resolve(SandboxFiles.HOSTS));
            Path resolvConfPath = chooseFile(options.resolvConfPath(), previousResolvConfPath,
                    directory.resolve(SandboxFiles.RESOLV_CONF));

            SandboxRecord intent = new SandboxRecord(entry.containerId, entry.key, hostNamespace, namespacePath.toString(),
                    directory.toString(), hostsPath.toString(), resolvConfPath.toString(), List.copyOf(entry.parentEntries),
                    entry.defaultRouteEndpoint);
            Join planned = join;
            store.transaction(() -> {
                store.putSandbox(intent);
                store.putEndpoint(endpoint.withJoin(planned), JoinState.JOINING);
            });
            stored = true;
            faults.reached("join:intent");

            if (!entry.materialized) {
                materialize(entry, hostNamespace);
                created = true;
                faults.reached("join:namespace");
            }
            entry.hostsPath = hostsPath;
            entry.resolvConfPath = resolvConfPath;
            if (network.type() == NetworkType.BRIDGE) {
                NetNamespace namespace = hostNamespace ? host.namespace() : entry.namespace;
                driver.join(network, endpoint, new Attachment(namespace, interfaceName, hostNamespace, defaultRoute, publishedPorts));
                connected = true;
            }
            entry.members.put(endpoint.id(), new SandboxEntry.Member(network, endpoint.withJoin(join), join));
            if (defaultRoute) {
                entry.defaultRouteEndpoint = endpoint.id();
            }
            writeFiles(entry);
            faults.reached("join:kernel");

            Join confirmed = join;
            store.transaction(() -> {
                store.putSandbox(recordOf(entry));
                store.putEndpoint(endpoint.withJoin(confirmed), JoinState.JOINED);
            });
            faults.reached("join:commit");
            return join;
        } catch (RuntimeException e) {
            entry.members.remove(endpoint.id());
            if (endpoint.id().equals(entry.defaultRouteEndpoint)) {
                entry.defaultRouteEndpoint = null;
            }
            entry.hostsPath = previousHostsPath;
            entry.resolvConfPath = previousResolvConfPath;
            if (connected) {
                Join attempted = join;
                undo(e, "disconnect endpoint " + endpoint.id(), () -> driver.leave(network, endpoint, attempted));
            }
            if (created) {
                undo(e, "remove the new sandbox of container " + entry.containerId, () -> destroy(entry));
            } else if (entry.materialized && !entry.members.isEmpty()) {
                undo(e, "rewrite the files of container " + entry.containerId, () -> writeFiles(entry));
            }
            if (stored) {
                undo(e, "restore the stored state of endpoint " + endpoint.id(), () -> store.transaction(() -> {
                    store.putEndpoint(endpoint, null);
                    if (previousRecord == null) {
                        store.deleteSandbox(entry.containerId);
                    } else {
                        store.putSandbox(previousRecord);
                    }
                }));
            }
            throw e;
        } finally {
            release(entry);
        }
    }

    /** Runs one step of undoing a failed change; a failure there is logged and kept with the original error. */
    private static void undo(RuntimeException cause, String action, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
            LOG.errorf("Cannot %s after a failed join: %s", action, e.getMessage());
        }
    }

    /** Returns the stored form of a sandbox entry. */
    static SandboxRecord recordOf(SandboxEntry entry) {
        return new SandboxRecord(entry.containerId, entry.key, entry.hostNamespace, String.valueOf(entry.namespacePath),
                String.valueOf(entry.directory), entry.hostsPath == null ? null : entry.hostsPath.toString(),
                entry.resolvConfPath == null ? null : entry.resolvConfPath.toString(), List.copyOf(entry.parentEntries),
                entry.defaultRouteEndpoint);
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
     *
     * <p>The leave is stored as {@link JoinState#LEAVING} first and cleared after, so a crash in
     * between leaves a record that the start-up reconcile finishes.
     */
    void leave(Network network, Endpoint endpoint) {
        Join join = endpoint.join();
        NetworkDriver driver = drivers.forType(network.type());
        SandboxEntry entry = existing(join.containerId());
        try {
            store.putEndpoint(endpoint, JoinState.LEAVING);
            faults.reached("leave:intent");
            try {
                driver.leave(network, endpoint, join);
            } catch (RuntimeException e) {
                store.putEndpoint(endpoint, JoinState.JOINED);
                throw e;
            }
            boolean removed = false;
            if (entry != null) {
                entry.members.remove(endpoint.id());
                if (endpoint.id().equals(entry.defaultRouteEndpoint)) {
                    entry.defaultRouteEndpoint = null;
                    moveDefaultRoute(entry);
                }
                if (entry.members.isEmpty()) {
                    destroy(entry);
                    removed = true;
                } else {
                    try {
                        writeFiles(entry);
                    } catch (RuntimeException e) {
                        LOG.warnf("Cannot update the files of container %s after endpoint %s left: %s",
                                entry.containerId, endpoint.id(), e.getMessage());
                    }
                }
            }
            faults.reached("leave:kernel");
            boolean sandboxRemoved = removed;
            store.transaction(() -> {
                store.putEndpoint(endpoint.withJoin(null), null);
                if (entry == null || sandboxRemoved) {
                    store.deleteSandbox(join.containerId());
                } else {
                    store.putSandbox(recordOf(entry));
                }
            });
            faults.reached("leave:commit");
        } finally {
            if (entry != null) {
                release(entry);
            }
        }
    }

    /** Gives the default route to the next endpoint on a bridge network that is not internal, after the one that carried it left. */
    private void moveDefaultRoute(SandboxEntry entry) {
        if (entry.hostNamespace || entry.namespace == null) {
            return;
        }
        for (SandboxEntry.Member member : entry.members.values()) {
            Network network = member.network();
            if (network.type() != NetworkType.BRIDGE || network.internal() || member.join().interfaceName() == null) {
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
                store.putSandbox(recordOf(entry));
            } catch (RuntimeException e) {
                entry.parentEntries.remove(entry.parentEntries.size() - 1);
                throw e;
            }
        } finally {
            release(entry);
        }
    }

    /**
     * Adds a stored sandbox and its joined endpoints to the index at start. {@code namespace} is
     * the open sandbox namespace, or null when the sandbox shares the host namespace.
     */
    void restore(SandboxRecord record, NetNamespace namespace, List<SandboxEntry.Member> members) {
        SandboxEntry entry = new SandboxEntry(record.containerId(), record.key());
        entry.materialized = true;
        entry.hostNamespace = record.hostNamespace();
        entry.namespacePath = Path.of(record.namespacePath());
        entry.namespace = namespace;
        entry.directory = Path.of(record.directory());
        entry.hostsPath = record.hostsPath() == null ? null : Path.of(record.hostsPath());
        entry.resolvConfPath = record.resolvConfPath() == null ? null : Path.of(record.resolvConfPath());
        entry.parentEntries.addAll(record.parentEntries());
        entry.defaultRouteEndpoint = record.defaultRouteEndpoint();
        for (SandboxEntry.Member member : members) {
            entry.members.put(member.endpoint().id(), member);
        }
        sandboxes.put(entry.containerId, entry);
        keys.put(entry.key, entry.containerId);
    }

    /** Removes what a stored sandbox left in the kernel and on disk, for the start-up reconcile. */
    void removeLeftovers(SandboxRecord record) {
        if (!record.hostNamespace()) {
            host.namespaces().remove(Path.of(record.namespacePath()));
        }
        deleteDirectory(Path.of(record.directory()));
    }

    /** Returns the number of sandboxes. */
    public int count() {
        return sandboxes.size();
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
        SandboxFiles.write(entry.hostsPath, SandboxFiles.hosts(entry.containerId, members, entry.parentEntries, entry.key));
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
        if (entry.hostNamespace) {
            LOG.infof("Removed the sandbox of container %s; it used the host namespace %s, which stays", entry.containerId,
                    entry.namespacePath);
        } else {
            LOG.infof("Removed sandbox %s of container %s", entry.namespacePath, entry.containerId);
        }
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
