package dev.junction.core;

import dev.junction.ipam.Ipv4Address;
import dev.junction.ipam.Subnet;
import dev.junction.driver.BridgeDriver;
import dev.junction.kernel.Addresses;
import dev.junction.kernel.Links;
import dev.junction.kernel.KernelException;
import dev.junction.kernel.NamespaceLock;
import dev.junction.kernel.NamespaceMounts;
import dev.junction.kernel.Namespaces;
import dev.junction.kernel.NetNamespace;
import dev.junction.kernel.Routes;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The host side of the daemon: its directories, its single-instance lock, and the network
 * namespace in which it creates bridges and host-side devices.
 */
@ApplicationScoped
public class Host {

    /** Name of the namespace file, under {@code netns/}, that is bound to the host namespace. */
    public static final String DEFAULT_SANDBOX = "default";

    private static final Logger LOG = Logger.getLogger(Host.class);
    /** Abstract Unix socket name that marks a network namespace as served by a Junction daemon. */
    private static final String NAMESPACE_LOCK = "dev.junction.daemon";

    private final JunctionConfig config;
    private Namespaces namespaces;
    private NetNamespace namespace;
    private FileChannel lockChannel;
    private FileLock lock;
    private NamespaceLock namespaceLock;

    Host(JunctionConfig config) {
        this.config = config;
    }

    /**
     * Creates the directories, takes the lock, and opens the host namespace. Throws
     * {@link StartupException} with a message for the operator when the daemon cannot run.
     */
    void start() {
        createDirectory(config.runRoot());
        createDirectory(config.dataRoot());
        acquireLock();
        createDirectory(netnsDirectory());
        createDirectory(sandboxesDirectory());

        namespaces = new Namespaces(config.hostMountsPid()
                .map(pid -> {
                    LOG.infof("Namespace files are mounted in the mount namespace of process %d, where other processes see them", pid);
                    return NamespaceMounts.ofProcess(pid);
                })
                .orElse(NamespaceMounts.own()));
        namespace = config.hostNetns().map(this::openHostNamespace).orElse(namespaces.self());
        lockNamespace();
        try {
            namespaces.makeSharedMountPoint(netnsDirectory());
        } catch (KernelException e) {
            throw new StartupException("Cannot make " + netnsDirectory() + " a shared mount point: " + e.getMessage()
                    + ". Junction needs CAP_SYS_ADMIN to mount namespace files.");
        }
        bindDefaultSandbox();
        LOG.infof("Host namespace is %s; run root %s, data root %s", namespace, config.runRoot(), config.dataRoot());
    }

    private NetNamespace openHostNamespace(Path file) {
        if (!Files.exists(file)) {
            throw new StartupException("junction.host-netns " + file + " does not exist; create it (ip netns add NAME) or leave the setting empty");
        }
        try {
            return namespaces.open(file);
        } catch (KernelException e) {
            throw new StartupException("junction.host-netns " + file + " is not a usable network namespace: " + e.getMessage());
        }
    }

    /**
     * Takes the host namespace for this daemon: two daemons in one namespace, even with different
     * run and data roots, would fight over {@code junction0} and the firewall tables.
     */
    private void lockNamespace() {
        try {
            namespaceLock = NamespaceLock.acquire(namespace, NAMESPACE_LOCK);
        } catch (KernelException e) {
            if (e.errno() == NamespaceLock.EADDRINUSE) {
                throw new StartupException("Another Junction daemon already serves " + namespace + " (it has bound the abstract "
                        + "socket @" + NAMESPACE_LOCK + " there). Stop it, or give this daemon another junction.host-netns.");
            }
            throw new StartupException("Cannot lock " + namespace + ": " + e.getMessage());
        }
    }

    /** Binds the host namespace at {@code netns/default}, the sandbox path of containers that share it. */
    private void bindDefaultSandbox() {
        Path target = defaultSandboxPath();
        namespaces.remove(target);
        namespaces.bind(namespace, target);
    }

    private void acquireLock() {
        Path file = lockFile();
        try {
            lockChannel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            lock = lockChannel.tryLock();
            if (lock == null) {
                String holder = new String(Files.readAllBytes(file), StandardCharsets.US_ASCII).strip();
                lockChannel.close();
                throw new StartupException("Another Junction daemon" + (holder.isEmpty() ? "" : " (pid " + holder + ")")
                        + " is running with run root " + config.runRoot() + " and has locked " + file
                        + ". Stop it, or start this one with a different junction.run-root and junction.socket.path.");
            }
            lockChannel.truncate(0);
            lockChannel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        } catch (IOException e) {
            throw new StartupException("Cannot lock " + file + ": " + e.getMessage());
        }
    }

    private static void createDirectory(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new StartupException("Cannot create directory " + directory + ": " + e.getMessage());
        }
    }

    /** Closes namespace handles and releases the lock; kernel objects stay, so containers keep their network. */
    void stop() {
        if (namespaceLock != null) {
            namespaceLock.close();
        }
        if (namespace != null && namespace != namespaces.self()) {
            namespace.close();
        }
        if (namespaces != null) {
            namespaces.close();
        }
        try {
            if (lock != null) {
                lock.release();
                lockChannel.close();
            }
        } catch (IOException e) {
            LOG.warnf("Cannot release %s: %s", lockFile(), e.getMessage());
        }
    }

    public NetNamespace namespace() {
        return namespace;
    }

    public Namespaces namespaces() {
        return namespaces;
    }

    public Path runRoot() {
        return config.runRoot();
    }

    public Path dataRoot() {
        return config.dataRoot();
    }

    public Path lockFile() {
        return config.runRoot().resolve("junction.lock");
    }

    public Path netnsDirectory() {
        return config.runRoot().resolve("netns");
    }

    public Path sandboxesDirectory() {
        return config.runRoot().resolve("sandboxes");
    }

    public Path defaultSandboxPath() {
        return netnsDirectory().resolve(DEFAULT_SANDBOX);
    }

    /**
     * Lists the IPv4 ranges in use in the host namespace: the subnet of every address and the
     * destination of every route except default routes. A new network's subnet must avoid them.
     */
    public List<Subnet> rangesInUse() {
        List<Subnet> ranges = new ArrayList<>();
        for (Addresses.Address address : namespace.addresses().list()) {
            if (address.address() instanceof Inet4Address inet4) {
                ranges.add(networkOf(Ipv4Address.of(inet4), address.prefixLength()));
            }
        }
        for (Routes.Route route : namespace.routes().list()) {
            if (route.prefixLength() > 0 && route.destination() instanceof Inet4Address inet4) {
                ranges.add(networkOf(Ipv4Address.of(inet4), route.prefixLength()));
            }
        }
        return ranges;
    }

    /** An IPv4 address of a host device, with the subnet it makes on-link. */
    public record HostAddress(String device, Ipv4Address address, Subnet subnet) {
    }

    /**
     * Lists the IPv4 addresses of the host namespace's devices other than Junction's bridges: a
     * network whose subnet overlaps one of them would take over the host's own traffic.
     */
    public List<HostAddress> foreignAddresses() {
        Map<Integer, String> names = new HashMap<>();
        for (Links.Link link : namespace.links().list()) {
            names.put(link.index(), link.name());
        }
        List<HostAddress> addresses = new ArrayList<>();
        for (Addresses.Address address : namespace.addresses().list()) {
            String device = names.getOrDefault(address.index(), "index " + address.index());
            boolean junction = device.equals(NetworkManager.BRIDGE_DEVICE) || device.startsWith(BridgeDriver.BRIDGE_PREFIX);
            if (!junction && address.address() instanceof Inet4Address inet4 && !inet4.isLoopbackAddress()) {
                Ipv4Address value = Ipv4Address.of(inet4);
                addresses.add(new HostAddress(device, value, networkOf(value, address.prefixLength())));
            }
        }
        return addresses;
    }

    private static Subnet networkOf(Ipv4Address address, int prefixLength) {
        int mask = prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
        return new Subnet(new Ipv4Address(address.value() & mask), prefixLength);
    }
}
