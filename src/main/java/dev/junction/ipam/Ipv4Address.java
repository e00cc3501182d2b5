package dev.junction.ipam;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/** An IPv4 address held as its 32-bit value. */
public record Ipv4Address(int value) implements Comparable<Ipv4Address> {

    /**
     * Parses dotted-decimal notation strictly: four decimal parts of 0 to 255 without leading
     * zeros, so that {@code 010.0.0.1} is not read as octal or accepted by accident.
     */
    public static Ipv4Address parse(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("invalid IPv4 address \"" + text + "\"");
        }
        int value = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')
                    || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("invalid IPv4 address \"" + text + "\"");
            }
            int octet = Integer.parseInt(part);
            if (octet > 255) {
                throw new IllegalArgumentException("invalid IPv4 address \"" + text + "\"");
            }
            value = (value << 8) | octet;
        }
        return new Ipv4Address(value);
    }

    public static Ipv4Address of(Inet4Address address) {
        return new Ipv4Address(ByteBuffer.wrap(address.getAddress()).getInt());
    }

    public Inet4Address toInetAddress() {
        try {
            return (Inet4Address) InetAddress.getByAddress(ByteBuffer.allocate(4).putInt(value).array());
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    public Ipv4Address plus(long offset) {
        return new Ipv4Address((int) (Integer.toUnsignedLong(value) + offset));
    }

    @Override
    public int compareTo(Ipv4Address other) {
        return Integer.compareUnsigned(value, other.value);
    }

    @Override
    public String toString() {
        return ((value >>> 24) & 0xFF) + "." + ((value >>> 16) & 0xFF) + "." + ((value >>> 8) & 0xFF) + "." + (value & 0xFF);
    }
}
