package dev.junction.driver;

import dev.junction.core.PortBinding;
import dev.junction.kernel.NetNamespace;

import java.util.List;

/**
 * Where a join puts the container's side of an endpoint: the namespace, the device name there,
 * whether that namespace is the host's own (the default sandbox), whether the device gets the
 * sandbox's default route, and the ports to publish to it.
 */
public record Attachment(NetNamespace namespace, String interfaceName, boolean hostNamespace, boolean defaultRoute,
                         List<PortBinding> publishedPorts) {
}
