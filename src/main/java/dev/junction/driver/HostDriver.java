package dev.junction.driver;

import dev.junction.core.Endpoint;
import dev.junction.core.Join;
import dev.junction.core.Network;
import dev.junction.core.NetworkType;
import jakarta.enterprise.context.ApplicationScoped;

/** The predefined {@code host} network: containers share the host's namespace, so there is nothing to create. */
@ApplicationScoped
public class HostDriver implements NetworkDriver {

    @Override
    public NetworkType type() {
        return NetworkType.HOST;
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
