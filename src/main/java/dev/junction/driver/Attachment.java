package dev.junction.driver;

import dev.junction.core.PortBinding;
import dev.junction.kernel.NetNamespace;

import java.util.List;

/**
 * Place where a join puts the container's side of an endpoint: the namespace and the device name
 * there. {@code hostNamespace} is true for the host's own namespace (the default sandbox),
 * {@code defaultRoute} gives the device the sandbox's default route, and {@code publishedPorts} are
 * published to it.
 */
public record Attachment(NetNamespace namespace, String interfaceName, boolean hostNamespace, boolean defaultRoute,
                         List<PortBinding> publishedPorts) {
}
