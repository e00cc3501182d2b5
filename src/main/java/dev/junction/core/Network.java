package dev.junction.core;

import dev.junction.ipam.Ipv4Address;
import dev.junction.ipam.Subnet;

/**
 * A network. Bridge networks have a device, subnet, gateway and MTU; the predefined {@code host}
 * and {@code none} networks have none of them. An {@code internal} network has no outbound
 * traffic and no published ports; without {@code icc} its containers cannot reach each other.
 * {@code sequence} orders networks by creation.
 */
public record Network(
        String id,
        String name,
        NetworkType type,
        boolean predefined,
        String device,
        Subnet subnet,
        Ipv4Address gateway,
        int mtu,
        boolean internal,
        boolean icc,
        long sequence) {
}
