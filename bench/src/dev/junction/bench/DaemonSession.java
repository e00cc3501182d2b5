package dev.junction.bench;

import dev.junction.testing.DaemonProcess;
import dev.junction.testing.TestDirectories;
import dev.junction.testing.TestNamespace;

import java.nio.file.Path;

/**
 * The packaged daemon started with a host namespace ({@code jt-bn-*}) and run and data roots
 * ({@code /tmp/junction-bn-*}) of its own. Closing it stops the daemon and removes the namespace,
 * which takes the bridges and veth devices with it, and the roots with the sandbox mounts in them.
 */
final class DaemonSession implements AutoCloseable {

    /** Prefix of every namespace and directory that the benchmarks create. */
    static final String PREFIX = "bn";

    private final TestNamespace host;
    private final Path root;
    private final DaemonProcess daemon;

    private DaemonSession(TestNamespace host, Path root, DaemonProcess daemon) {
        this.host = host;
        this.root = root;
        this.daemon = daemon;
    }

    static DaemonSession start() {
        TestNamespace host = TestNamespace.create(PREFIX);
        Path root = null;
        try {
            root = TestDirectories.create(PREFIX);
            DaemonProcess daemon = DaemonProcess.start(DaemonProcess.settings(host, root), root.resolve("daemon.log"));
            return new DaemonSession(host, root, daemon);
        } catch (RuntimeException e) {
            host.close();
            if (root != null) {
                TestDirectories.remove(root);
            }
            throw e;
        }
    }

    /** Waits {@code millis} so that the kernel's background freeing of deleted namespaces and devices ends before the next phase. */
    static void settle(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    KeepAliveClient client() {
        return new KeepAliveClient(daemon.socket());
    }

    DaemonProcess daemon() {
        return daemon;
    }

    /** Returns the namespace that the daemon uses as its host namespace. */
    TestNamespace host() {
        return host;
    }

    @Override
    public void close() {
        try {
            daemon.close();
        } finally {
            host.close();
            TestDirectories.remove(root);
        }
    }
}
