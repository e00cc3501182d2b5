package dev.junction.kernel;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * A network namespace and the netlink sockets that act in it: the daemon's own, one bound to a
 * file such as {@code /run/netns/NAME}, or a container's sandbox.
 */
public final class NetNamespace implements AutoCloseable {

    private final Path path;
    private final String name;
    private final NamespaceThreads threads;
    private final NetlinkPool netlink;
    private final Links links;
    private final Addresses addresses;
    private final Routes routes;

    NetNamespace(Path path, NamespaceThreads threads) {
        this.path = path;
        this.name = path == null ? "the daemon's namespace" : path.toString();
        this.threads = threads;
        this.netlink = new NetlinkPool(path == null
                ? () -> NetlinkSocket.open(name)
                : () -> threads.call(path, () -> NetlinkSocket.open(name)));
        this.links = new Links(this);
        this.addresses = new Addresses(this);
        this.routes = new Routes(this);
    }

    /** The file the namespace is bound to, or null for the namespace the daemon runs in. */
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
        return threads.call(path, task);
    }

    NetlinkPool netlink() {
        return netlink;
    }

    /** Opens a descriptor of this namespace, for IFLA_NET_NS_FD; the caller closes it. */
    int openFd() {
        String file = path == null ? "/proc/self/ns/net" : path.toString();
        return Libc.open(file, Libc.O_RDONLY | Libc.O_CLOEXEC);
    }

    /** Closes the sockets; the namespace itself lives on as long as its file is mounted. */
    @Override
    public void close() {
        netlink.close();
    }

    @Override
    public String toString() {
        return name;
    }
}
