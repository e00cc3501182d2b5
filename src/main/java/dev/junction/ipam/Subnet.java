package dev.junction.ipam;

/** An IPv4 network in CIDR notation, such as {@code 172.18.0.0/16}. */
public record Subnet(Ipv4Address network, int prefixLength) {

    public Subnet {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("invalid prefix length " + prefixLength);
        }
        if ((network.value() & ~mask(prefixLength)) != 0) {
            throw new IllegalArgumentException("invalid subnet " + network + "/" + prefixLength
                    + ": host bits are set, it should be " + new Ipv4Address(network.value() & mask(prefixLength)) + "/" + prefixLength);
        }
    }

    /** Parses {@code a.b.c.d/len}; host bits must be zero. */
    public static Subnet parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0 || slash != text.lastIndexOf('/')) {
            throw new IllegalArgumentException("invalid subnet \"" + text + "\": expected CIDR notation such as 172.18.0.0/16");
        }
        Ipv4Address address = Ipv4Address.parse(text.substring(0, slash));
        String length = text.substring(slash + 1);
        if (length.isEmpty() || length.length() > 2 || !length.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("invalid subnet \"" + text + "\": the prefix length must be 0 to 32");
        }
        return new Subnet(address, Integer.parseInt(length));
    }

    static int mask(int prefixLength) {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    /** Returns the number of addresses, network and broadcast included. */
    public long size() {
        return 1L << (32 - prefixLength);
    }

    public Ipv4Address broadcast() {
        return new Ipv4Address(network.value() | ~mask(prefixLength));
    }

    /** Returns the first address after the network address, the default gateway. */
    public Ipv4Address firstHost() {
        return network.plus(1);
    }

    public boolean contains(Ipv4Address address) {
        return (address.value() & mask(prefixLength)) == network.value();
    }

    public boolean overlaps(Subnet other) {
        int shorter = Math.min(prefixLength, other.prefixLength);
        return (network.value() & mask(shorter)) == (other.network.value() & mask(shorter));
    }

    /** Reports whether {@code address} is a usable host address: neither the network nor the broadcast address. */
    public boolean isHostAddress(Ipv4Address address) {
        if (!contains(address)) {
            return false;
        }
        if (prefixLength >= 31) {
            return true;
        }
        return !address.equals(network) && !address.equals(broadcast());
    }

    @Override
    public String toString() {
        return network + "/" + prefixLength;
    }
}
