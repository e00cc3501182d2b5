package dev.junction.kernel;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * A network namespace and the netlink sockets that act in it: the daemon's own, one bound to a
 * file such as {@code /run/netns/NAME}, or a container's sandbox. It keeps a descriptor of the
 * namespace, so it works even where the daemon cannot see the file's mount, as when the mount was
 * made in the host's mount namespace. The descriptor keeps the namespace alive until {@link #close}.
 */
public final class NetNamespace implements AutoCloseable {

    private final Path path;
    private final String name;
    private final int fd;
    private final NamespaceThreads threads;
    private final NetlinkPool netlink;
    private final Links links;
    private final Addresses addresses;
    private final Routes routes;

    NetNamespace(Path path, int fd, NamespaceThreads threads) {
        this.path = path;
        this.name = path == null ? "the daemon's namespace" : path.toString();
        this.fd = fd;
        this.threads = threads;
        this.netlink = new NetlinkPool(path == null
                ? () -> NetlinkSocket.open(name)
                : () -> threads.call(fd, name, () -> NetlinkSocket.open(name)));
        this.links = new Links(this);
        this.addresses = new Addresses(this);
        this.routes = new Routes(this);
    }

    /** Returns the file the namespace is bound to, or null for the namespace the daemon runs in. */
    public Path path() {
        return path;
    }

    public String name() {
        return name;
    }

    public Links links() {
        return links;
    }

    public Addresses addresses() {
        return addresses;
    }

    public Routes routes() {
        return routes;
    }

    /**
     * Runs {@code task} on a platform thread inside this namespace, for work that depends on the
     * calling thread's namespace: files under {@code /proc/sys/net} and child processes.
     */
    public <T> T callInside(Callable<T> task) {
        if (path == null) {
            try {
                return task.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return threads.call(fd, name, task);
    }

    NetlinkPool netlink() {
        return netlink;
    }

    /** Returns the descriptor of this namespace, for IFLA_NET_NS_FD; it stays owned by this object. */
    int fd() {
        return fd;
    }

    /** Closes the sockets and the descriptor; the namespace itself lives on as long as its file is mounted. */
    @Override
    public void close() {
        netlink.close();
        Libc.close(fd);
    }

    @Override
    public String toString() {
        return name;
    }
}
