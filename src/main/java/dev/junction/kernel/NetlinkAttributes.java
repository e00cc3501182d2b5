package dev.junction.kernel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** The attributes of one netlink message or nested attribute, indexed by type. */
final class NetlinkAttributes {

    private static final int MAX_TYPE = 64;

    private final ByteBuffer[] values = new ByteBuffer[MAX_TYPE];

    private NetlinkAttributes() {
    }

    /** Parses the attributes between {@code start} and {@code end} of {@code buffer}. */
    static NetlinkAttributes parse(ByteBuffer buffer, int start, int end) {
        NetlinkAttributes attributes = new NetlinkAttributes();
        int position = start;
        while (position + 4 <= end) {
            int length = Short.toUnsignedInt(buffer.getShort(position));
            int type = Short.toUnsignedInt(buffer.getShort(position + 2)) & Rtnl.NLA_TYPE_MASK;
            if (length < 4 || position + length > end) {
                break;
            }
            if (type < MAX_TYPE) {
                attributes.values[type] = buffer.slice(position + 4, length - 4).order(ByteOrder.nativeOrder());
            }
            position += Rtnl.align(length);
        }
        return attributes;
    }

    boolean has(int type) {
        return values[type] != null;
    }

    int getInt(int type, int fallback) {
        ByteBuffer value = values[type];
        return value == null || value.capacity() < 4 ? fallback : value.getInt(0);
    }

    byte[] getBytes(int type) {
        ByteBuffer value = values[type];
        if (value == null) {
            return null;
        }
        byte[] bytes = new byte[value.capacity()];
        value.get(0, bytes);
        return bytes;
    }

    /** Returns a NUL-terminated string attribute without its terminator. */
    String getString(int type) {
        ByteBuffer value = values[type];
        if (value == null) {
            return null;
        }
        int length = 0;
        while (length < value.capacity() && value.get(length) != 0) {
            length++;
        }
        byte[] bytes = new byte[length];
        value.get(0, bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    NetlinkAttributes getNested(int type) {
        ByteBuffer value = values[type];
        return value == null ? null : parse(value, 0, value.capacity());
    }
}
