package dev.junction.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * A lock on a network namespace: a Unix socket bound to an abstract address, which exists once
 * per network namespace and vanishes with the process that owns it, even after SIGKILL.
 */
public final class NamespaceLock implements AutoCloseable {

    public static final int EADDRINUSE = 98;
    private static final int SOCKADDR_UN_SIZE = 110;

    private final int fd;

    private NamespaceLock(int fd) {
        this.fd = fd;
    }

    /**
     * Binds the abstract address {@code @name} in {@code namespace}; throws {@link KernelException}
     * with EADDRINUSE when another process has bound it.
     */
    public static NamespaceLock acquire(NetNamespace namespace, String name) {
        return namespace.callInside(() -> {
            int fd = Libc.socket(Libc.AF_UNIX, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC, 0);
            try (Arena arena = Arena.ofConfined()) {
                byte[] path = name.getBytes(StandardCharsets.US_ASCII);
                MemorySegment address = arena.allocate(SOCKADDR_UN_SIZE);
                address.set(ValueLayout.JAVA_SHORT, 0, (short) Libc.AF_UNIX);
                // The leading NUL byte of sun_path makes the address abstract.
                MemorySegment.copy(path, 0, address, ValueLayout.JAVA_BYTE, 3, path.length);
                Libc.bind(fd, address, 2 + 1 + path.length, "abstract socket @" + name);
                return new NamespaceLock(fd);
            } catch (RuntimeException e) {
                Libc.close(fd);
                throw e;
            }
        });
    }

    @Override
    public void close() {
        Libc.close(fd);
    }
}
