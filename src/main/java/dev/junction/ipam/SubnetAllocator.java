package dev.junction.ipam;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Chooses network subnets from the configured pools, first fit in pool order, skipping every
 * subnet that overlaps one in use or one the caller reports as taken on the host.
 */
public final class SubnetAllocator {

    private final List<AddressPool> pools;

    public SubnetAllocator(List<AddressPool> pools) {
        this.pools = List.copyOf(pools);
    }

    public List<AddressPool> pools() {
        return pools;
    }

    /**
     * Returns the first pool subnet that overlaps none of {@code inUse} (subnets of existing
     * networks) and none of {@code hostRanges} (addresses and routes already on the host).
     */
    public Optional<Subnet> choose(Collection<Subnet> inUse, Collection<Subnet> hostRanges) {
        List<Subnet> unavailable = new ArrayList<>(inUse.size() + hostRanges.size());
        unavailable.addAll(inUse);
        unavailable.addAll(hostRanges);
        for (AddressPool pool : pools) {
            for (Subnet candidate : pool.subnets()) {
                if (unavailable.stream().noneMatch(candidate::overlaps)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }
}
