package dev.junction.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The systemd notification protocol (sd_notify): datagrams such as {@code READY=1} sent to the
 * Unix socket named in {@code $NOTIFY_SOCKET}, which may be a path or, starting with {@code @},
 * an abstract address.
 */
public final class SystemdNotify implements AutoCloseable {

    private static final int SOCKADDR_UN_SIZE = 110;
    private static final int MAX_PATH = 107;

    private final String socketName;
    private final int fd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment address;
    private final int addressLength;

    private SystemdNotify(String socketName) {
        byte[] path = socketName.getBytes(StandardCharsets.UTF_8);
        if (path.length > MAX_PATH) {
            throw new IllegalArgumentException("NOTIFY_SOCKET " + socketName + " is longer than " + MAX_PATH + " bytes");
        }
        boolean isAbstract = socketName.startsWith("@");
        this.socketName = socketName;
        this.address = arena.allocate(SOCKADDR_UN_SIZE);
        address.set(ValueLayout.JAVA_SHORT, 0, (short) Libc.AF_UNIX);
        MemorySegment.copy(path, 0, address, ValueLayout.JAVA_BYTE, 2, path.length);
        if (isAbstract) {
            // An abstract address starts with a NUL byte and has no terminator.
            address.set(ValueLayout.JAVA_BYTE, 2, (byte) 0);
            this.addressLength = 2 + path.length;
        } else {
            this.addressLength = 2 + path.length + 1;
        }
        this.fd = Libc.socket(Libc.AF_UNIX, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
    }

    /** Connects to {@code $NOTIFY_SOCKET}, or returns empty when systemd did not set it. */
    public static Optional<SystemdNotify> fromEnvironment() {
        String socket = System.getenv("NOTIFY_SOCKET");
        if (socket == null || socket.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new SystemdNotify(socket));
    }

    public String socketName() {
        return socketName;
    }

    /** Sends one notification, such as {@code "READY=1\nSTATUS=Serving"}. */
    public synchronized void send(String state) {
        byte[] bytes = state.getBytes(StandardCharsets.UTF_8);
        try (Arena call = Arena.ofConfined()) {
            MemorySegment buffer = call.allocate(Math.max(1, bytes.length));
            MemorySegment.copy(bytes, 0, buffer, ValueLayout.JAVA_BYTE, 0, bytes.length);
            Libc.sendTo(fd, buffer, bytes.length, address, addressLength, "NOTIFY_SOCKET " + socketName);
        }
    }

    @Override
    public synchronized void close() {
        Libc.close(fd);
        arena.close();
    }
}
