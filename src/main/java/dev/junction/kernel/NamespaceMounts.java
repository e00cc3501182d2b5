package dev.junction.kernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The mount namespace in which namespace files are bind-mounted.
 *
 * <p>Usually that is the daemon's own, and the mounts are libc calls. A systemd service with
 * {@code ProtectSystem=} or {@code PrivateTmp=} runs in a mount namespace of its own whose mounts
 * never propagate back to the host, so container runtimes outside the service would not see the
 * files. For that case the mounts are made in the mount namespace of another process (PID 1).
 * A multithreaded process cannot enter another mount namespace (setns returns EINVAL), so each
 * such mount runs {@code nsenter --mount=... mount ...} from util-linux as a short-lived child.
 */
public abstract sealed class NamespaceMounts permits NamespaceMounts.Own, NamespaceMounts.OfProcess {

    /** Mounts in the daemon's own mount namespace. */
    public static NamespaceMounts own() {
        return new Own();
    }

    /** Mounts in the mount namespace of process {@code pid}. */
    public static NamespaceMounts ofProcess(long pid) {
        return new OfProcess(pid);
    }

    /** Makes {@code directory} a mount point with shared propagation, binding it onto itself first when needed. */
    abstract void makeShared(Path directory);

    /** Binds the network namespace of the calling thread at {@code target}, an existing file. */
    abstract void bindCurrentNetworkNamespace(Path target);

    /** Unmounts {@code target}; does nothing when it is not mounted. */
    abstract void unmount(Path target);

    /** Reports whether {@code file} is a mount point in this mount namespace. */
    public abstract boolean isMountPoint(Path file);

    /** Returns the path under which this mount namespace shows {@code file} to the daemon. */
    abstract Path visiblePath(Path file);

    /** The daemon's own mount namespace, through libc. */
    static final class Own extends NamespaceMounts {

        @Override
        void makeShared(Path directory) {
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

        @Override
        void bindCurrentNetworkNamespace(Path target) {
            Libc.mount("/proc/thread-self/ns/net", target.toString(), "none", Libc.MS_BIND);
        }

        @Override
        void unmount(Path target) {
            try {
                Libc.umount2(target.toString(), Libc.MNT_DETACH);
            } catch (KernelException e) {
                if (e.errno() != KernelException.EINVAL && e.errno() != KernelException.ENOENT) {
                    throw e;
                }
            }
        }

        @Override
        public boolean isMountPoint(Path file) {
            return mountInfoContains(Path.of("/proc/self/mountinfo"), file);
        }

        @Override
        Path visiblePath(Path file) {
            return file;
        }
    }

    /** The mount namespace of another process, through nsenter and mount. */
    static final class OfProcess extends NamespaceMounts {

        private static final long TIMEOUT_SECONDS = 30;

        private final Path process;

        OfProcess(long pid) {
            this.process = Path.of("/proc", Long.toString(pid));
        }

        @Override
        void makeShared(Path directory) {
            if (run(List.of("mount", "--make-rshared", directory.toString()), false) != 0) {
                run(List.of("mount", "--rbind", directory.toString(), directory.toString()), true);
                run(List.of("mount", "--make-rshared", directory.toString()), true);
            }
        }

        @Override
        void bindCurrentNetworkNamespace(Path target) {
            // The child inherits the calling thread's network namespace, so /proc/self names it.
            run(List.of("mount", "--bind", "/proc/self/ns/net", target.toString()), true);
        }

        @Override
        void unmount(Path target) {
            if (isMountPoint(target)) {
                run(List.of("umount", "--lazy", target.toString()), true);
            }
        }

        @Override
        public boolean isMountPoint(Path file) {
            return mountInfoContains(process.resolve("mountinfo"), file);
        }

        @Override
        Path visiblePath(Path file) {
            return Path.of(process.resolve("root").toString(), file.toAbsolutePath().toString());
        }

        private int run(List<String> command, boolean required) {
            List<String> full = new ArrayList<>(List.of("nsenter", "--mount=" + process.resolve("ns/mnt"), "--"));
            full.addAll(command);
            try {
                Process child = new ProcessBuilder(full).redirectErrorStream(true).start();
                String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                if (!child.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    child.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", full) + " timed out");
                }
                if (required && child.exitValue() != 0) {
                    throw new IllegalStateException(String.join(" ", full) + " failed with exit status " + child.exitValue() + ": " + output);
                }
                return child.exitValue();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot run nsenter (util-linux) for " + String.join(" ", command), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while running " + String.join(" ", full));
            }
        }
    }

    private static boolean mountInfoContains(Path mountInfo, Path file) {
        try {
            String target = file.toAbsolutePath().normalize().toString();
            for (String line : Files.readAllLines(mountInfo)) {
                String[] fields = line.split(" ");
                if (fields.length > 4 && unescape(fields[4]).equals(target)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + mountInfo, e);
        }
    }

    private static String unescape(String field) {
        // mountinfo escapes space, tab, newline and backslash as octal sequences.
        return field.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }
}
