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
    private final NetNamespace self;

    public Namespaces() {
        this.threads = new NamespaceThreads(2);
        this.self = new NetNamespace(null, threads);
    }

    /** Returns the namespace the daemon runs in. */
    public NetNamespace self() {
        return self;
    }

    /** Opens the namespace bound at {@code file}, failing when the file is not a network namespace. */
    public NetNamespace open(Path file) {
        NetlinkSocket socket = threads.call(file, () -> NetlinkSocket.open(file.toString()));
        NetNamespace namespace = new NetNamespace(file, threads);
        namespace.netlink().offer(socket);
        return namespace;
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
        NetlinkSocket socket;
        try {
            socket = threads.callInNewNamespace(() -> {
                Libc.mount("/proc/thread-self/ns/net", file.toString(), "none", Libc.MS_BIND);
                NetlinkSocket opened = NetlinkSocket.open(file.toString());
                try {
                    opened.execute(new NetlinkRequest(Rtnl.RTM_NEWLINK, 0)
                            .linkInfo(Rtnl.AF_UNSPEC, LOOPBACK_INDEX, Rtnl.IFF_UP, Rtnl.IFF_UP), "lo");
                } catch (RuntimeException e) {
                    opened.close();
                    throw e;
                }
                return opened;
            });
        } catch (RuntimeException e) {
            remove(file);
            throw e;
        }
        NetNamespace namespace = new NetNamespace(file, threads);
        namespace.netlink().offer(socket);
        return namespace;
    }

    /**
     * Unmounts and deletes a namespace file. The kernel destroys the namespace, with its devices,
     * once no process, socket or mount refers to it. Missing files are not an error.
     */
    public void remove(Path file) {
        try {
            Libc.umount2(file.toString(), Libc.MNT_DETACH);
        } catch (KernelException e) {
            if (e.errno() != KernelException.EINVAL && e.errno() != KernelException.ENOENT) {
                throw e;
            }
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete namespace file " + file, e);
        }
    }

    /** Binds the namespace of {@code source} (a namespace file) at {@code target}, which is created if missing. */
    public void bind(Path source, Path target) {
        try {
            if (!Files.exists(target)) {
                Files.createFile(target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create namespace file " + target, e);
        }
        Libc.mount(source.toString(), target.toString(), "none", Libc.MS_BIND);
    }

    /** Reports whether {@code file} is a mount point, such as a namespace bound to a file. */
    public static boolean isMountPoint(Path file) {
        try {
            Path absolute = file.toAbsolutePath().normalize();
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] fields = line.split(" ");
                if (fields.length > 4 && unescapeMountPath(fields[4]).equals(absolute.toString())) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/mountinfo", e);
        }
    }

    /**
     * Makes {@code directory} a mount point with shared propagation, binding it onto itself first
     * when needed, as {@code ip netns} does with {@code /run/netns}. Namespace files bound inside it
     * then also appear in mount namespaces that were copied from this one.
     */
    public void makeSharedMountPoint(Path directory) {
        String target = directory.toString();
        try {
            Libc.mount("none", target, null, Libc.MS_SHARED | Libc.MS_REC);
        } catch (KernelException e) {
            if (e.errno() != KernelException.EINVAL) {
                throw e;
            }
            Libc.mount(target, target, "none", Libc.MS_BIND | Libc.MS_REC);
            Libc.mount("none", target, null, Libc.MS_SHARED | Libc.MS_REC);
        }
    }

    private static String unescapeMountPath(String field) {
        // mountinfo escapes space, tab, newline and backslash as octal sequences.
        return field.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }

    @Override
    public void close() {
        self.close();
        threads.close();
    }
}
