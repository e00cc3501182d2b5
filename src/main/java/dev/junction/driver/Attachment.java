package dev.junction.driver;

import dev.junction.kernel.NetNamespace;

/**
 * Where a join puts the container's side of an endpoint: the namespace, the device name there,
 * whether that namespace is the host's own (the default sandbox), and whether the device gets
 * the sandbox's default route.
 */
public record Attachment(NetNamespace namespace, String interfaceName, boolean hostNamespace, boolean defaultRoute) {
}
