package dev.junction.core;

import dev.junction.ipam.AddressAllocator;
import dev.junction.kernel.MacAddress;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The live state of one network. Changes to it and to its endpoints happen under {@link #lock};
 * readers use the concurrent maps and the immutable records without locking.
 */
final class NetworkEntry {

    final ReentrantLock lock = new ReentrantLock();
    final Network network;
    /** Addresses of the subnet; null for networks without one. Guarded by {@link #lock}. */
    final AddressAllocator addresses;
    /** MAC addresses of the network's endpoints. Guarded by {@link #lock}. */
    final Set<MacAddress> macs = new HashSet<>();
    final ConcurrentSkipListMap<String, Endpoint> endpoints = new ConcurrentSkipListMap<>();
    /** Endpoint IDs by name key (see {@link Names#key}). */
    final ConcurrentHashMap<String, String> endpointNames = new ConcurrentHashMap<>();
    /** Set once the network is deleted, so that callers who resolved it before fail cleanly. Guarded by {@link #lock}. */
    boolean removed;

    NetworkEntry(Network network) {
        this.network = network;
        this.addresses = network.subnet() == null ? null : new AddressAllocator(network.subnet());
        if (addresses != null) {
            addresses.reserve(network.gateway());
        }
    }

    /** Locks the network, failing with 404 when it was deleted meanwhile. */
    void lockLive() {
        lock.lock();
        if (removed) {
            lock.unlock();
            throw JunctionException.notFound("network %s not found", network.id());
        }
    }
}
