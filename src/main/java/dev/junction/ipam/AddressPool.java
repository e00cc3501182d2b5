package dev.junction.ipam;

import java.util.ArrayList;
import java.util.List;

/**
 * A range from which network subnets are carved: {@code base} split into subnets of prefix
 * length {@code size}. Written {@code 192.168.0.0/16/20} (base, then size), or as a plain CIDR
 * when the whole range is one subnet.
 */
public record AddressPool(Subnet base, int size) {

    public AddressPool {
        if (size < base.prefixLength() || size > 30) {
            throw new IllegalArgumentException("invalid address pool " + base + "/" + size
                    + ": the subnet size must be between the base's prefix length and 30");
        }
    }

    public static AddressPool parse(String text) {
        String trimmed = text.strip();
        int first = trimmed.indexOf('/');
        int last = trimmed.lastIndexOf('/');
        if (first >= 0 && first != last) {
            Subnet base = Subnet.parse(trimmed.substring(0, last));
            String size = trimmed.substring(last + 1);
            if (size.isEmpty() || !size.chars().allMatch(c -> c >= '0' && c <= '9') || size.length() > 2) {
                throw new IllegalArgumentException("invalid address pool \"" + text + "\": the subnet size must be a number");
            }
            return new AddressPool(base, Integer.parseInt(size));
        }
        Subnet base = Subnet.parse(trimmed);
        return new AddressPool(base, base.prefixLength());
    }

    /** Lists the subnets of this pool in address order. */
    public List<Subnet> subnets() {
        long count = 1L << (size - base.prefixLength());
        long step = 1L << (32 - size);
        List<Subnet> subnets = new ArrayList<>((int) Math.min(count, 1 << 16));
        for (long i = 0; i < count; i++) {
            subnets.add(new Subnet(base.network().plus(i * step), size));
        }
        return subnets;
    }

    @Override
    public String toString() {
        return size == base.prefixLength() ? base.toString() : base + "/" + size;
    }
}
