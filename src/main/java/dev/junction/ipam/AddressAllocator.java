package dev.junction.ipam;

import java.util.BitSet;
import java.util.Optional;

/**
 * Host addresses of one subnet. Allocation is next-fit: it continues after the last address
 * handed out and wraps around, so a released address is not reused at once, which keeps stale
 * ARP entries and connections from reaching the wrong container. Not thread-safe: the owning
 * network serializes calls.
 */
public final class AddressAllocator {

    private final Subnet subnet;
    private final BitSet used;
    private final int hostCount;
    private int next;
    private int allocated;

    public AddressAllocator(Subnet subnet) {
        this.subnet = subnet;
        long size = subnet.size();
        this.hostCount = (int) Math.min(size, Integer.MAX_VALUE);
        this.used = new BitSet(hostCount);
        if (subnet.prefixLength() < 31) {
            used.set(0);
            used.set(hostCount - 1);
        }
    }

    public Subnet subnet() {
        return subnet;
    }

    /** Returns the number of addresses taken, reserved ones included but not the network and broadcast addresses. */
    public int allocatedCount() {
        return allocated;
    }

    /** Marks a specific address as taken; returns false when it already was. */
    public boolean reserve(Ipv4Address address) {
        if (!subnet.isHostAddress(address)) {
            throw new IllegalArgumentException(address + " is not a host address of " + subnet);
        }
        int offset = offset(address);
        if (used.get(offset)) {
            return false;
        }
        used.set(offset);
        allocated++;
        return true;
    }

    /** Takes the next free address, or returns empty when the subnet is full. */
    public Optional<Ipv4Address> allocate() {
        int offset = used.nextClearBit(next);
        if (offset >= hostCount) {
            offset = used.nextClearBit(0);
            if (offset >= hostCount) {
                return Optional.empty();
            }
        }
        used.set(offset);
        allocated++;
        next = offset + 1 >= hostCount ? 0 : offset + 1;
        return Optional.of(subnet.network().plus(offset));
    }

    /** Frees an address; freeing one that is not taken does nothing. */
    public void release(Ipv4Address address) {
        if (!subnet.isHostAddress(address)) {
            return;
        }
        int offset = offset(address);
        if (used.get(offset)) {
            used.clear(offset);
            allocated--;
        }
    }

    public boolean isAllocated(Ipv4Address address) {
        return subnet.isHostAddress(address) && used.get(offset(address));
    }

    private int offset(Ipv4Address address) {
        return (int) (Integer.toUnsignedLong(address.value()) - Integer.toUnsignedLong(subnet.network().value()));
    }
}
