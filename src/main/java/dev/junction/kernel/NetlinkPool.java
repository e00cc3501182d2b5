package dev.junction.kernel;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Netlink sockets of one namespace, lent to one caller at a time. Requests on one socket are
 * serialized, and deleting a device blocks its socket for tens of milliseconds while the
 * kernel waits for RCU grace periods, so parallel callers each get a socket of their own.
 */
final class NetlinkPool implements AutoCloseable {

    private static final int MAX_IDLE = 4;

    private final Supplier<NetlinkSocket> opener;
    private final ConcurrentLinkedDeque<NetlinkSocket> idle = new ConcurrentLinkedDeque<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    NetlinkPool(Supplier<NetlinkSocket> opener) {
        this.opener = opener;
    }

    <T> T apply(Function<NetlinkSocket, T> work) {
        if (closed.get()) {
            throw new IllegalStateException("netlink sockets of this namespace are closed");
        }
        NetlinkSocket socket = idle.pollFirst();
        if (socket == null) {
            socket = opener.get();
        }
        try {
            return work.apply(socket);
        } finally {
            if (closed.get() || idle.size() >= MAX_IDLE) {
                socket.close();
            } else {
                idle.offerFirst(socket);
                if (closed.get() && idle.remove(socket)) {
                    socket.close();
                }
            }
        }
    }

    /** Keeps one open socket, so that the first request after creation costs no namespace switch. */
    void offer(NetlinkSocket socket) {
        if (closed.get()) {
            socket.close();
        } else {
            idle.offerFirst(socket);
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            NetlinkSocket socket;
            while ((socket = idle.pollFirst()) != null) {
                socket.close();
            }
        }
    }
}
