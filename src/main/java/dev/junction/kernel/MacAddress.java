package dev.junction.kernel;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.random.RandomGenerator;

/** A 48-bit Ethernet address. */
public record MacAddress(long value) {

    private static final RandomGenerator RANDOM = new SecureRandom();
    private static final long MASK = 0xFFFF_FFFF_FFFFL;

    public MacAddress {
        if ((value & ~MASK) != 0) {
            throw new IllegalArgumentException("MAC address value exceeds 48 bits: " + Long.toHexString(value));
        }
    }

    /** Returns a random unicast address with the locally administered bit set, as Linux does for new devices. */
    public static MacAddress randomLocal() {
        long value = RANDOM.nextLong() & MASK;
        value &= ~(0x01L << 40);
        value |= 0x02L << 40;
        return new MacAddress(value);
    }

    /** Parses {@code aa:bb:cc:dd:ee:ff}. */
    public static MacAddress parse(String text) {
        String[] parts = text.split(":");
        if (parts.length != 6) {
            throw new IllegalArgumentException("invalid MAC address " + text);
        }
        long value = 0;
        for (String part : parts) {
            if (part.length() != 2) {
                throw new IllegalArgumentException("invalid MAC address " + text);
            }
            value = (value << 8) | HexFormat.fromHexDigits(part);
        }
        return new MacAddress(value);
    }

    static MacAddress fromBytes(byte[] bytes) {
        if (bytes == null || bytes.length != 6) {
            return null;
        }
        long value = 0;
        for (byte b : bytes) {
            value = (value << 8) | (b & 0xFF);
        }
        return new MacAddress(value);
    }

    byte[] toBytes() {
        byte[] bytes = new byte[6];
        for (int i = 5, shift = 0; i >= 0; i--, shift += 8) {
            bytes[i] = (byte) (value >>> shift);
        }
        return bytes;
    }

    @Override
    public String toString() {
        HexFormat hex = HexFormat.ofDelimiter(":");
        return hex.formatHex(toBytes());
    }
}
