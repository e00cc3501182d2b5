package dev.junction.kernel;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** IP addresses on the devices of one namespace, through rtnetlink. */
public final class Addresses {

    /** An address with its prefix length, on the device with {@code index}. */
    public record Address(int index, InetAddress address, int prefixLength) {
    }

    private final NetNamespace namespace;

    Addresses(NetNamespace namespace) {
        this.namespace = namespace;
    }

    /** Adds an IPv4 address with its broadcast address and prefix route to the device with {@code index}. */
    public void add(int index, Inet4Address address, int prefixLength) {
        add(index, address, prefixLength, true);
    }

    /**
     * Adds an IPv4 address with its broadcast address to the device with {@code index}; without
     * {@code prefixRoute} the kernel adds no route for the subnet, for a second device on a subnet
     * that another device of the namespace already routes.
     */
    public void add(int index, Inet4Address address, int prefixLength, boolean prefixRoute) {
        byte[] local = address.getAddress();
        int value = ByteBuffer.wrap(local).getInt();
        int hostMask = prefixLength == 0 ? -1 : (int) ((1L << (32 - prefixLength)) - 1);
        byte[] broadcast = ByteBuffer.allocate(4).putInt(value | hostMask).array();
        NetlinkRequest request = new NetlinkRequest(Rtnl.RTM_NEWADDR, Rtnl.NLM_F_CREATE | Rtnl.NLM_F_EXCL)
                .addressInfo(Rtnl.AF_INET, prefixLength, 0, Rtnl.RT_SCOPE_UNIVERSE, index)
                .attribute(Rtnl.IFA_LOCAL, local)
                .attribute(Rtnl.IFA_ADDRESS, local);
        if (prefixLength < 31) {
            request.attribute(Rtnl.IFA_BROADCAST, broadcast);
        }
        if (!prefixRoute) {
            request.attributeInt(Rtnl.IFA_FLAGS, Rtnl.IFA_F_NOPREFIXROUTE);
        }
        String object = address.getHostAddress() + "/" + prefixLength + " on link " + index;
        namespace.netlink().apply(socket -> {
            socket.execute(request, object);
            return null;
        });
    }

    /** Lists the IPv4 and IPv6 addresses of every device. */
    public List<Address> list() {
        NetlinkRequest request = new NetlinkRequest(Rtnl.RTM_GETADDR, Rtnl.NLM_F_DUMP)
                .addressInfo(Rtnl.AF_UNSPEC, 0, 0, 0, 0);
        List<ByteBuffer> replies = namespace.netlink().apply(socket -> socket.dump(request, "addresses of " + namespace));
        List<Address> addresses = new ArrayList<>(replies.size());
        for (ByteBuffer reply : replies) {
            int prefixLength = Byte.toUnsignedInt(reply.get(1));
            int index = reply.getInt(4);
            NetlinkAttributes attributes = NetlinkAttributes.parse(reply, 8, reply.capacity());
            byte[] bytes = attributes.has(Rtnl.IFA_LOCAL) ? attributes.getBytes(Rtnl.IFA_LOCAL) : attributes.getBytes(Rtnl.IFA_ADDRESS);
            if (bytes != null) {
                addresses.add(new Address(index, toInetAddress(bytes), prefixLength));
            }
        }
        return addresses;
    }

    static InetAddress toInetAddress(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("address of " + bytes.length + " bytes", e);
        }
    }
}
