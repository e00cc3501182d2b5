package dev.junction.core;

import java.util.List;

/**
 * An endpoint's attachment to a container. {@code sandboxPath} is the namespace file the join
 * returned. {@code interfaceName} is the device inside the sandbox ({@code eth0}, or {@code jc-…}
 * in the host namespace) and {@code hostInterface} the bridge port; both are null on the
 * {@code host} and {@code none} networks. {@code publishedPorts} are the endpoint's port mappings
 * as programmed: with the container address and the host port that was chosen for host port 0.
 */
public record Join(
        String containerId,
        String sandboxKey,
        String sandboxPath,
        String interfaceName,
        String hostInterface,
        JoinOptions options,
        List<PortBinding> publishedPorts) {

    public Join {
        publishedPorts = publishedPorts == null ? List.of() : List.copyOf(publishedPorts);
    }
}
