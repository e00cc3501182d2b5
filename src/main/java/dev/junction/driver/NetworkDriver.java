package dev.junction.driver;

import dev.junction.core.Endpoint;
import dev.junction.core.Join;
import dev.junction.core.Network;
import dev.junction.core.NetworkType;

/**
 * The kernel side of one network type. A driver creates and removes only the objects of its own
 * networks and endpoints; managers decide when, and keep the state.
 */
public interface NetworkDriver {

    NetworkType type();

    /** Creates the network's kernel objects; on failure nothing is left behind. */
    void createNetwork(Network network);

    /** Removes the network's kernel objects; succeeds when they are already gone. */
    void deleteNetwork(Network network);

    /**
     * Connects an endpoint into a sandbox and returns the name of the device it created in the
     * host namespace, or null. On failure nothing is left behind.
     */
    String join(Network network, Endpoint endpoint, Attachment attachment);

    /** Disconnects an endpoint; succeeds when its devices or its sandbox are already gone. */
    void leave(Network network, Endpoint endpoint, Join join);
}
