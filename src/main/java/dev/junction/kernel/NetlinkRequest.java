package dev.junction.kernel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A netlink request under construction: the header, the family's fixed struct, and attributes,
 * which may nest. {@link NetlinkSocket} fills in the sequence number when it sends the request.
 */
final class NetlinkRequest {

    private ByteBuffer buffer = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());
    private final int type;

    NetlinkRequest(int type, int flags) {
        this.type = type;
        buffer.putInt(0);
        buffer.putShort((short) type);
        buffer.putShort((short) (flags | Rtnl.NLM_F_REQUEST));
        buffer.putInt(0);
        buffer.putInt(0);
    }

    int type() {
        return type;
    }

    /** Appends an {@code ifinfomsg}. */
    NetlinkRequest linkInfo(int family, int index, int flags, int change) {
        ensure(16);
        buffer.put((byte) family).put((byte) 0).putShort((short) 0);
        buffer.putInt(index).putInt(flags).putInt(change);
        return this;
    }

    /** Appends an {@code ifaddrmsg}. */
    NetlinkRequest addressInfo(int family, int prefixLength, int flags, int scope, int index) {
        ensure(8);
        buffer.put((byte) family).put((byte) prefixLength).put((byte) flags).put((byte) scope).putInt(index);
        return this;
    }

    /** Appends an {@code rtmsg}. */
    NetlinkRequest routeInfo(int family, int destinationLength, int table, int protocol, int scope, int routeType) {
        ensure(12);
        buffer.put((byte) family).put((byte) destinationLength).put((byte) 0).put((byte) 0);
        buffer.put((byte) table).put((byte) protocol).put((byte) scope).put((byte) routeType);
        buffer.putInt(0);
        return this;
    }

    NetlinkRequest attribute(int attributeType, byte[] value) {
        int length = 4 + value.length;
        ensure(Rtnl.align(length));
        buffer.putShort((short) length).putShort((short) attributeType).put(value);
        pad();
        return this;
    }

    NetlinkRequest attributeInt(int attributeType, int value) {
        ensure(8);
        buffer.putShort((short) 8).putShort((short) attributeType).putInt(value);
        return this;
    }

    /** Appends a NUL-terminated string attribute, as the kernel expects for names and kinds. */
    NetlinkRequest attributeString(int attributeType, String value) {
        byte[] text = value.getBytes(StandardCharsets.US_ASCII);
        byte[] terminated = new byte[text.length + 1];
        System.arraycopy(text, 0, terminated, 0, text.length);
        return attribute(attributeType, terminated);
    }

    /** Opens a nested attribute and returns its start, to be passed to {@link #endNested}. */
    int beginNested(int attributeType) {
        ensure(4);
        int start = buffer.position();
        buffer.putShort((short) 0).putShort((short) (attributeType | Rtnl.NLA_F_NESTED));
        return start;
    }

    /** Opens the peer of a veth pair: a nested attribute that starts with its own {@code ifinfomsg}. */
    int beginPeer(int attributeType) {
        ensure(4);
        int start = buffer.position();
        buffer.putShort((short) 0).putShort((short) attributeType);
        return start;
    }

    NetlinkRequest endNested(int start) {
        buffer.putShort(start, (short) (buffer.position() - start));
        return this;
    }

    /** Returns the finished message with its length and sequence number. */
    ByteBuffer finish(int sequence) {
        buffer.putInt(0, buffer.position());
        buffer.putInt(8, sequence);
        ByteBuffer message = buffer.duplicate().order(ByteOrder.nativeOrder());
        message.flip();
        return message;
    }

    private void pad() {
        while ((buffer.position() & 3) != 0) {
            buffer.put((byte) 0);
        }
    }

    private void ensure(int bytes) {
        if (buffer.remaining() < bytes) {
            ByteBuffer larger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + bytes))
                    .order(ByteOrder.nativeOrder());
            buffer.flip();
            larger.put(buffer);
            buffer = larger;
        }
    }
}
