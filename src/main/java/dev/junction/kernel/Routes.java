package dev.junction.kernel;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** IPv4 routes of one namespace, through rtnetlink. */
public final class Routes {

    /** A route; {@code gateway} is null for routes on a link, {@code destination} is null for a default route. */
    public record Route(InetAddress destination, int prefixLength, InetAddress gateway, int outputIndex, int table) {
    }

    private final NetNamespace namespace;

    Routes(NetNamespace namespace) {
        this.namespace = namespace;
    }

    /** Adds the default route through {@code gateway} on the device with {@code outputIndex}. */
    public void addDefault(Inet4Address gateway, int outputIndex) {
        NetlinkRequest request = new NetlinkRequest(Rtnl.RTM_NEWROUTE, Rtnl.NLM_F_CREATE | Rtnl.NLM_F_EXCL)
                .routeInfo(Rtnl.AF_INET, 0, Rtnl.RT_TABLE_MAIN, Rtnl.RTPROT_BOOT, Rtnl.RT_SCOPE_UNIVERSE, Rtnl.RTN_UNICAST)
                .attribute(Rtnl.RTA_GATEWAY, gateway.getAddress())
                .attributeInt(Rtnl.RTA_OIF, outputIndex);
        String object = "default via " + gateway.getHostAddress();
        namespace.netlink().apply(socket -> {
            socket.execute(request, object);
            return null;
        });
    }

    /** Lists the IPv4 routes of every table. */
    public List<Route> list() {
        NetlinkRequest request = new NetlinkRequest(Rtnl.RTM_GETROUTE, Rtnl.NLM_F_DUMP)
                .routeInfo(Rtnl.AF_INET, 0, 0, 0, 0, 0);
        List<ByteBuffer> replies = namespace.netlink().apply(socket -> socket.dump(request, "routes of " + namespace));
        List<Route> routes = new ArrayList<>(replies.size());
        for (ByteBuffer reply : replies) {
            int prefixLength = Byte.toUnsignedInt(reply.get(1));
            NetlinkAttributes attributes = NetlinkAttributes.parse(reply, 12, reply.capacity());
            int table = attributes.getInt(Rtnl.RTA_TABLE, Byte.toUnsignedInt(reply.get(4)));
            byte[] destination = attributes.getBytes(Rtnl.RTA_DST);
            byte[] gateway = attributes.getBytes(Rtnl.RTA_GATEWAY);
            routes.add(new Route(
                    destination == null ? null : Addresses.toInetAddress(destination),
                    prefixLength,
                    gateway == null ? null : Addresses.toInetAddress(gateway),
                    attributes.getInt(Rtnl.RTA_OIF, 0),
                    table));
        }
        return routes;
    }
}
