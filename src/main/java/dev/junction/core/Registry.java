package dev.junction.core;

import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The in-memory indexes of networks and endpoints, and the resolution of the references that
 * clients put in paths: a full ID, then an exact name, then a unique ID prefix. It is a
 * {@code @Singleton}, without a client proxy, because the managers read its fields directly.
 */
@Singleton
public class Registry {

    private static final int MAX_LISTED_MATCHES = 10;

    final ConcurrentSkipListMap<String, NetworkEntry> networks = new ConcurrentSkipListMap<>();
    final ConcurrentHashMap<String, String> networkNames = new ConcurrentHashMap<>();
    /** The network ID of every endpoint, by endpoint ID. */
    final ConcurrentSkipListMap<String, String> endpointNetworks = new ConcurrentSkipListMap<>();
    private final AtomicLong sequence = new AtomicLong();

    long nextSequence() {
        return sequence.incrementAndGet();
    }

    /** Raises the sequence so that objects created from now on sort after {@code used}. */
    void advanceSequence(long used) {
        sequence.accumulateAndGet(used, Math::max);
    }

    NetworkEntry network(String reference) {
        String id = resolve(reference, "network", networks, nameKey -> {
            String match = networkNames.get(nameKey);
            return match == null ? List.of() : List.of(match);
        });
        NetworkEntry entry = networks.get(id);
        if (entry == null) {
            throw JunctionException.notFound("network %s not found", reference);
        }
        return entry;
    }

    /** Returns the networks in creation order. */
    List<NetworkEntry> networksInOrder() {
        List<NetworkEntry> entries = new ArrayList<>(networks.values());
        entries.sort(Comparator.comparingLong(entry -> entry.network.sequence()));
        return entries;
    }

    Endpoint endpoint(NetworkEntry network, String reference) {
        String id = resolve(reference, "endpoint", network.endpoints, nameKey -> {
            String match = network.endpointNames.get(nameKey);
            return match == null ? List.of() : List.of(match);
        });
        Endpoint endpoint = network.endpoints.get(id);
        if (endpoint == null) {
            throw JunctionException.notFound("endpoint %s not found in network %s", reference, network.network.name());
        }
        return endpoint;
    }

    /** Resolves an endpoint among all networks, as services are addressed. */
    Endpoint endpointOfAnyNetwork(String reference, String kind) {
        String id = resolve(reference, kind, endpointNetworks, nameKey -> {
            List<String> matches = new ArrayList<>();
            for (NetworkEntry entry : networks.values()) {
                String match = entry.endpointNames.get(nameKey);
                if (match != null) {
                    matches.add(match);
                }
            }
            return matches;
        });
        String networkId = endpointNetworks.get(id);
        NetworkEntry network = networkId == null ? null : networks.get(networkId);
        Endpoint endpoint = network == null ? null : network.endpoints.get(id);
        if (endpoint == null) {
            throw JunctionException.notFound("%s %s not found", kind, reference);
        }
        return endpoint;
    }

    /** Returns the endpoints of a network in creation order. */
    static List<Endpoint> endpointsInOrder(NetworkEntry network) {
        List<Endpoint> endpoints = new ArrayList<>(network.endpoints.values());
        endpoints.sort(Comparator.comparingLong(Endpoint::sequence));
        return endpoints;
    }

    /**
     * Resolves {@code reference} to an ID of {@code byId}: a full ID first, then an exact name
     * (which must be unique), then a unique ID prefix. Several matches are a 400 that lists them.
     */
    static String resolve(String reference, String kind, NavigableMap<String, ?> byId,
                          Function<String, List<String>> idsByNameKey) {
        if (reference == null || reference.isEmpty()) {
            throw JunctionException.invalid("%s reference is empty", kind);
        }
        if (byId.containsKey(reference)) {
            return reference;
        }
        List<String> named = idsByNameKey.apply(Names.key(reference));
        if (named.size() == 1) {
            return named.getFirst();
        }
        if (named.size() > 1) {
            throw JunctionException.invalid("%s name \"%s\" matches %d %ss: %s; use an ID instead",
                    kind, reference, named.size(), kind, String.join(", ", named.stream().sorted().toList()));
        }
        NavigableMap<String, ?> prefixed = byId.subMap(reference, true, reference + Character.MAX_VALUE, false);
        if (prefixed.size() == 1) {
            return prefixed.firstKey();
        }
        if (prefixed.size() > 1) {
            List<String> matches = prefixed.keySet().stream().limit(MAX_LISTED_MATCHES).toList();
            throw JunctionException.invalid("%s ID prefix \"%s\" matches %d %ss: %s%s; use a longer prefix",
                    kind, reference, prefixed.size(), kind, String.join(", ", matches),
                    prefixed.size() > MAX_LISTED_MATCHES ? ", …" : "");
        }
        throw JunctionException.notFound("%s %s not found", kind, reference);
    }
}
