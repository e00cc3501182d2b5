package dev.junction.driver;

import dev.junction.core.Endpoint;
import dev.junction.core.Join;
import dev.junction.core.Network;
import dev.junction.core.NetworkType;
import jakarta.enterprise.context.ApplicationScoped;

/** The predefined {@code none} network: a container gets its own namespace with only the loopback device. */
@ApplicationScoped
public class NullDriver implements NetworkDriver {

    @Override
    public NetworkType type() {
        return NetworkType.NULL;
    }

    @Override
    public void createNetwork(Network network) {
    }

    @Override
    public void deleteNetwork(Network network) {
    }

    @Override
    public String join(Network network, Endpoint endpoint, Attachment attachment) {
        return null;
    }

    @Override
    public void leave(Network network, Endpoint endpoint, Join join) {
    }
}
