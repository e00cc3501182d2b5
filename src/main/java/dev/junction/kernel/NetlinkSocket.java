package dev.junction.kernel;

import org.jboss.logging.Logger;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One rtnetlink socket. A socket stays bound to the network namespace it was created in, so
 * every request sent through it acts in that namespace whichever thread sends it.
 *
 * <p>Requests on one socket are serialized; {@link NetlinkPool} hands out several sockets
 * of one namespace to callers that work in parallel.
 */
final class NetlinkSocket implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(NetlinkSocket.class);
    private static final int SEND_BUFFER_BYTES = 64 * 1024;
    private static final int RECEIVE_BUFFER_BYTES = 256 * 1024;
    private static final int MSG_TRUNC = 0x20;
    private static final int DUMP_ATTEMPTS = 5;

    private final int fd;
    private final String namespace;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment sendBuffer = arena.allocate(SEND_BUFFER_BYTES);
    private final MemorySegment receiveBuffer = arena.allocate(RECEIVE_BUFFER_BYTES);
    private final MemorySegment kernelAddress = arena.allocate(12);
    private int sequence;
    private boolean closed;

    private NetlinkSocket(int fd, String namespace) {
        this.fd = fd;
        this.namespace = namespace;
        kernelAddress.set(ValueLayout.JAVA_SHORT, 0, (short) Libc.AF_NETLINK);
    }

    /** Opens a socket in the calling thread's network namespace, which {@code namespace} names for messages. */
    static NetlinkSocket open(String namespace) {
        int fd = Libc.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, Rtnl.NETLINK_ROUTE);
        try {
            Libc.setIntOption(fd, Rtnl.SOL_NETLINK, Rtnl.NETLINK_EXT_ACK, 1, "netlink socket");
            Libc.setIntOption(fd, Rtnl.SOL_NETLINK, Rtnl.NETLINK_CAP_ACK, 1, "netlink socket");
            Libc.setIntOption(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, 1024 * 1024, "netlink socket");
        } catch (KernelException e) {
            Libc.close(fd);
            throw e;
        }
        return new NetlinkSocket(fd, namespace);
    }

    String namespace() {
        return namespace;
    }

    /** Sends a request that changes state and waits for the kernel's acknowledgement. */
    synchronized void execute(NetlinkRequest request, String object) {
        send(request, Rtnl.NLM_F_ACK, object);
        receive(request, object, null);
    }

    /** Sends a request for one object and returns the reply's payload, or null when it does not exist. */
    synchronized ByteBuffer query(NetlinkRequest request, String object, int missingErrno) {
        send(request, Rtnl.NLM_F_ACK, object);
        List<ByteBuffer> replies = new ArrayList<>(1);
        try {
            receive(request, object, replies);
        } catch (KernelException e) {
            if (e.errno() == missingErrno) {
                return null;
            }
            throw e;
        }
        return replies.isEmpty() ? null : replies.getFirst();
    }

    /** Sends a dump request and returns the payload of every reply, retrying when the kernel marks the dump interrupted. */
    synchronized List<ByteBuffer> dump(NetlinkRequest request, String object) {
        for (int attempt = 1; ; attempt++) {
            send(request, 0, object);
            List<ByteBuffer> replies = new ArrayList<>();
            boolean interrupted = receive(request, object, replies);
            if (!interrupted) {
                return replies;
            }
            if (attempt == DUMP_ATTEMPTS) {
                throw new KernelException(Rtnl.messageTypeName(request.type()) + " dump", object, Libc.EINTR,
                        "the dump was interrupted by concurrent changes " + DUMP_ATTEMPTS + " times");
            }
        }
    }

    private void send(NetlinkRequest request, int extraFlags, String object) {
        if (closed) {
            throw new IllegalStateException("netlink socket of namespace " + namespace + " is closed");
        }
        sequence++;
        ByteBuffer message = request.finish(sequence);
        if (extraFlags != 0) {
            message.putShort(6, (short) (message.getShort(6) | extraFlags));
        }
        int length = message.remaining();
        if (length > SEND_BUFFER_BYTES) {
            throw new IllegalArgumentException("netlink message of " + length + " bytes exceeds " + SEND_BUFFER_BYTES);
        }
        MemorySegment.copy(MemorySegment.ofBuffer(message), 0, sendBuffer, 0, length);
        if (LOG.isDebugEnabled()) {
            LOG.debugf("netlink %s send %s %s seq %d (%d bytes)", namespace, Rtnl.messageTypeName(request.type()),
                    object, sequence, length);
        }
        Libc.sendTo(fd, sendBuffer, length, kernelAddress, (int) kernelAddress.byteSize(), object);
    }

    /**
     * Reads replies to the current sequence number until an acknowledgement, an error or the end of
     * a dump. Data messages go to {@code replies}. Returns whether the kernel marked a dump interrupted.
     */
    private boolean receive(NetlinkRequest request, String object, List<ByteBuffer> replies) {
        boolean interrupted = false;
        while (true) {
            long received = Libc.receive(fd, receiveBuffer, MSG_TRUNC, object);
            if (received > RECEIVE_BUFFER_BYTES) {
                throw new IllegalStateException("netlink reply of " + received + " bytes exceeds the receive buffer");
            }
            ByteBuffer datagram = receiveBuffer.asSlice(0, received).asByteBuffer().order(ByteOrder.nativeOrder());
            int position = 0;
            while (position + Rtnl.NLMSG_HDRLEN <= received) {
                int length = datagram.getInt(position);
                int type = Short.toUnsignedInt(datagram.getShort(position + 4));
                int flags = Short.toUnsignedInt(datagram.getShort(position + 6));
                int replySequence = datagram.getInt(position + 8);
                if (length < Rtnl.NLMSG_HDRLEN || position + length > received) {
                    throw new IllegalStateException("malformed netlink reply of length " + length);
                }
                int payload = position + Rtnl.NLMSG_HDRLEN;
                int end = position + length;
                position += Rtnl.align(length);
                if (replySequence != sequence) {
                    continue;
                }
                if ((flags & Rtnl.NLM_F_DUMP_INTR) != 0) {
                    interrupted = true;
                }
                switch (type) {
                    case Rtnl.NLMSG_NOOP -> {
                    }
                    case Rtnl.NLMSG_ERROR -> {
                        int error = datagram.getInt(payload);
                        if (error == 0) {
                            return interrupted;
                        }
                        String kernelMessage = extendedAck(datagram, payload, end, flags);
                        throw new KernelException(Rtnl.messageTypeName(request.type()), object, -error, kernelMessage);
                    }
                    case Rtnl.NLMSG_DONE -> {
                        int error = end - payload >= 4 ? datagram.getInt(payload) : 0;
                        if (error < 0) {
                            throw new KernelException(Rtnl.messageTypeName(request.type()) + " dump", object, -error);
                        }
                        return interrupted;
                    }
                    default -> {
                        // A GET for one object is followed by the acknowledgement it asked for.
                        if (replies != null) {
                            ByteBuffer copy = ByteBuffer.allocate(end - payload).order(ByteOrder.nativeOrder());
                            copy.put(0, datagram, payload, end - payload);
                            replies.add(copy);
                        }
                    }
                }
            }
        }
    }

    /** Returns the kernel's text from an extended acknowledgement, or null. */
    private static String extendedAck(ByteBuffer datagram, int payload, int end, int flags) {
        if ((flags & Rtnl.NLM_F_ACK_TLVS) == 0) {
            return null;
        }
        int originalLength = (flags & Rtnl.NLM_F_CAPPED) != 0 ? Rtnl.NLMSG_HDRLEN : datagram.getInt(payload + 4);
        int attributesStart = payload + 4 + Rtnl.align(originalLength);
        if (attributesStart >= end) {
            return null;
        }
        NetlinkAttributes attributes = NetlinkAttributes.parse(datagram, attributesStart, end);
        String message = attributes.getString(Rtnl.NLMSGERR_ATTR_MSG);
        return message == null ? null : new String(message.getBytes(StandardCharsets.US_ASCII), StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Libc.close(fd);
            arena.close();
        }
    }
}
