package dev.junction.kernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Creates, opens and removes network namespaces bound to files, the way {@code ip netns} does:
 * a namespace lives as long as a bind mount of it exists, so it survives the daemon.
 */
public final class Namespaces implements AutoCloseable {

    private static final int LOOPBACK_INDEX = 1;

    private final NamespaceThreads threads;
    private final NamespaceMounts mounts;
    private final NetNamespace self;

    /** Uses {@code mounts} for the namespace files' bind mounts. */
    public Namespaces(NamespaceMounts mounts) {
        this.threads = new NamespaceThreads(2);
        this.mounts = mounts;
        this.self = new NetNamespace(null, Libc.open("/proc/self/ns/net", Libc.O_RDONLY | Libc.O_CLOEXEC), threads);
    }

    /** Uses the daemon's own mount namespace. */
    public Namespaces() {
        this(NamespaceMounts.own());
    }

    /** Returns the namespace the daemon runs in. */
    public NetNamespace self() {
        return self;
    }

    public NamespaceMounts mounts() {
        return mounts;
    }

    /** Opens the namespace bound at {@code file}, failing when the file is not a network namespace. */
    public NetNamespace open(Path file) {
        int fd = Libc.open(mounts.visiblePath(file).toString(), Libc.O_RDONLY | Libc.O_CLOEXEC);
        try {
            NetlinkSocket socket = threads.call(fd, file.toString(), () -> NetlinkSocket.open(file.toString()));
            NetNamespace namespace = new NetNamespace(file, fd, threads);
            namespace.netlink().offer(socket);
            return namespace;
        } catch (RuntimeException e) {
            Libc.close(fd);
            throw e;
        }
    }

    /**
     * Creates a namespace with its loopback device up and binds it at {@code file}, which must
     * not exist. On failure nothing is left behind.
     */
    public NetNamespace create(Path file) {
        try {
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            throw new KernelException("create namespace", file.toString(), KernelException.EEXIST);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create namespace file " + file, e);
        }
        record Created(int fd, NetlinkSocket socket) {
        }
        Created created;
        try {
            created = threads.callInNewNamespace(() -> {
                int fd = Libc.open("/proc/thread-self/ns/net", Libc.O_RDONLY | Libc.O_CLOEXEC);
                NetlinkSocket opened = null;
                try {
                    mounts.bindCurrentNetworkNamespace(file);
                    disableIpv6OnNewDevices();
                    opened = NetlinkSocket.open(file.toString());
                    opened.execute(new NetlinkRequest(Rtnl.RTM_NEWLINK, 0)
                            .linkInfo(Rtnl.AF_UNSPEC, LOOPBACK_INDEX, Rtnl.IFF_UP, Rtnl.IFF_UP), "lo");
                    return new Created(fd, opened);
                } catch (RuntimeException e) {
                    if (opened != null) {
                        opened.close();
                    }
                    Libc.close(fd);
                    throw e;
                }
            });
        } catch (RuntimeException e) {
            remove(file);
            throw e;
        }
        NetNamespace namespace = new NetNamespace(file, created.fd(), threads);
        namespace.netlink().offer(created.socket());
        return namespace;
    }

    /**
     * Turns IPv6 off for devices created in the calling thread's namespace from now on: the
     * container devices of Junction's IPv4 networks, as Docker does for networks without IPv6.
     * The loopback device exists already and keeps ::1.
     */
    private static void disableIpv6OnNewDevices() throws IOException {
        Path setting = Path.of("/proc/sys/net/ipv6/conf/default/disable_ipv6");
        if (Files.exists(setting)) {
            Files.writeString(setting, "1\n");
        }
    }

    /**
     * Unmounts and deletes a namespace file. The kernel destroys the namespace, with its devices,
     * once no process, socket, descriptor or mount refers to it. Missing files are not an error.
     */
    public void remove(Path file) {
        mounts.unmount(file);
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete namespace file " + file, e);
        }
    }

    /** Binds {@code namespace} at {@code target}, which is created if missing. */
    public void bind(NetNamespace namespace, Path target) {
        try {
            if (!Files.exists(target)) {
                Files.createFile(target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create namespace file " + target, e);
        }
        namespace.callInside(() -> {
            mounts.bindCurrentNetworkNamespace(target);
            return null;
        });
    }

    /** Reports whether {@code file} is a mount point, such as a namespace bound to a file. */
    public boolean isMountPoint(Path file) {
        return mounts.isMountPoint(file);
    }

    /**
     * Makes {@code directory} a mount point with shared propagation, binding it onto itself first
     * when needed, as {@code ip netns} does with {@code /run/netns}. Namespace files bound inside it
     * then also appear in mount namespaces that were copied from this one.
     */
    public void makeSharedMountPoint(Path directory) {
        mounts.makeShared(directory);
    }

    @Override
    public void close() {
        self.close();
        threads.close();
    }
}
