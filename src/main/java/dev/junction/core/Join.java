package dev.junction.core;

/**
 * An endpoint's attachment to a container. {@code sandboxPath} is the namespace file the join
 * returned. {@code interfaceName} is the device inside the sandbox ({@code eth0}, or {@code jc-…}
 * in the host namespace) and {@code hostInterface} the bridge port; both are null on the
 * {@code host} and {@code none} networks.
 */
public record Join(
        String containerId,
        String sandboxKey,
        String sandboxPath,
        String interfaceName,
        String hostInterface,
        JoinOptions options) {
}
