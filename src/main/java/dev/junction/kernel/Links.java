package dev.junction.kernel;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Network devices of one namespace, through rtnetlink. */
public final class Links {

    /** Linux limits interface names to 15 bytes plus the terminating NUL. */
    public static final int MAX_NAME_LENGTH = 15;

    /** A device as the kernel reports it; {@code kind} is null for devices without link info, such as {@code lo}. */
    public record Link(int index, String name, String kind, int masterIndex, int mtu, boolean up, MacAddress mac) {
    }

    /**
     * A veth pair to create: {@code name} stays in the namespace of this {@link Links}, attached to
     * the bridge with index {@code masterIndex} unless it is 0; the peer is created directly in the
     * peer namespace under {@code peerName}. Both ends come up with {@code mtu}.
     */
    public record VethPair(String name, int masterIndex, String peerName, MacAddress peerMac, int mtu) {
    }

    private final NetNamespace namespace;

    Links(NetNamespace namespace) {
        this.namespace = namespace;
    }

    /** Creates a bridge that is up, with a fixed MAC so that it does not change as ports come and go. */
    public void createBridge(String name, int mtu, MacAddress mac) {
        checkName(name);
        NetlinkRequest request = new NetlinkRequest(Rtnl.RTM_NEWLINK, Rtnl.NLM_F_CREATE | Rtnl.NLM_F_EXCL)
                .linkInfo(Rtnl.AF_UNSPEC, 0, Rtnl.IFF_UP, Rtnl.IFF_UP)
                .attributeString(Rtnl.IFLA_IFNAME, name)
                .attributeInt(Rtnl.IFLA_MTU, mtu)
                .attribute(Rtnl.IFLA_ADDRESS, mac.toBytes());
        int linkInfo = request.beginNested(Rtnl.IFLA_LINKINFO);
        request.attributeString(Rtnl.IFLA_INFO_KIND, "bridge");
        request.endNested(linkInfo);
        execute(request, "bridge " + name);
    }

    /**
     * Creates a veth pair in one request: this end attached to its bridge, the peer already in
     * {@code peerNamespace} with its final name and MAC. Both ends stay down until the caller
     * sets them up, so that it can configure them before they send anything.
     */
    public void createVethPair(VethPair pair, NetNamespace peerNamespace) {
        checkName(pair.name());
        checkName(pair.peerName());
        int peerFd = peerNamespace == namespace ? -1 : peerNamespace.fd();
        NetlinkRequest request = new NetlinkRequest(Rtnl.RTM_NEWLINK, Rtnl.NLM_F_CREATE | Rtnl.NLM_F_EXCL)
                .linkInfo(Rtnl.AF_UNSPEC, 0, 0, 0)
                .attributeString(Rtnl.IFLA_IFNAME, pair.name())
                .attributeInt(Rtnl.IFLA_MTU, pair.mtu());
        if (pair.masterIndex() > 0) {
            request.attributeInt(Rtnl.IFLA_MASTER, pair.masterIndex());
        }
        int linkInfo = request.beginNested(Rtnl.IFLA_LINKINFO);
        request.attributeString(Rtnl.IFLA_INFO_KIND, "veth");
        int data = request.beginNested(Rtnl.IFLA_INFO_DATA);
        int peer = request.beginPeer(Rtnl.VETH_INFO_PEER);
        request.linkInfo(Rtnl.AF_UNSPEC, 0, 0, 0)
                .attributeString(Rtnl.IFLA_IFNAME, pair.peerName())
                .attributeInt(Rtnl.IFLA_MTU, pair.mtu());
        if (pair.peerMac() != null) {
            request.attribute(Rtnl.IFLA_ADDRESS, pair.peerMac().toBytes());
        }
        if (peerFd >= 0) {
            request.attributeInt(Rtnl.IFLA_NET_NS_FD, peerFd);
        }
        request.endNested(peer);
        request.endNested(data);
        request.endNested(linkInfo);
        execute(request, "veth " + pair.name());
    }

    /** Sets a device administratively up. */
    public void setUp(int index) {
        NetlinkRequest request = new NetlinkRequest(Rtnl.RTM_NEWLINK, 0)
                .linkInfo(Rtnl.AF_UNSPEC, index, Rtnl.IFF_UP, Rtnl.IFF_UP);
        execute(request, "link " + index);
    }

    /** Attaches a device to the bridge with index {@code masterIndex}. */
    public void setMaster(int index, int masterIndex) {
        NetlinkRequest request = new NetlinkRequest(Rtnl.RTM_NEWLINK, 0)
                .linkInfo(Rtnl.AF_UNSPEC, index, 0, 0)
                .attributeInt(Rtnl.IFLA_MASTER, masterIndex);
        execute(request, "link " + index + " master " + masterIndex);
    }

    /**
     * Turns on hairpin mode of a bridge port, so that the bridge may send a frame back out of the
     * port it came in on: needed when a container reaches itself through a published port.
     */
    public void setHairpin(int index) {
        NetlinkRequest request = new NetlinkRequest(Rtnl.RTM_NEWLINK, 0)
                .linkInfo(Rtnl.AF_UNSPEC, index, 0, 0);
        int linkInfo = request.beginNested(Rtnl.IFLA_LINKINFO);
        request.attributeString(Rtnl.IFLA_INFO_SLAVE_KIND, "bridge");
        int slaveData = request.beginNested(Rtnl.IFLA_INFO_SLAVE_DATA);
        request.attribute(Rtnl.IFLA_BRPORT_MODE, new byte[]{1});
        request.endNested(slaveData);
        request.endNested(linkInfo);
        execute(request, "bridge port " + index + " hairpin");
    }

    /** Sets the MTU of a device. */
    public void setMtu(String name, int mtu) {
        NetlinkRequest request = new NetlinkRequest(Rtnl.RTM_NEWLINK, 0)
                .linkInfo(Rtnl.AF_UNSPEC, 0, 0, 0)
                .attributeString(Rtnl.IFLA_IFNAME, name)
                .attributeInt(Rtnl.IFLA_MTU, mtu);
        execute(request, "link " + name);
    }

    /**
     * Deletes a device by name. Returns false when it does not exist, so that teardown can be
     * repeated. Deleting one end of a veth pair deletes both.
     */
    public boolean delete(String name) {
        NetlinkRequest request = new NetlinkRequest(Rtnl.RTM_DELLINK, 0)
                .linkInfo(Rtnl.AF_UNSPEC, 0, 0, 0)
                .attributeString(Rtnl.IFLA_IFNAME, name);
        try {
            execute(request, "link " + name);
            return true;
        } catch (KernelException e) {
            if (e.errno() == KernelException.ENODEV) {
                return false;
            }
            throw e;
        }
    }

    /** Looks a device up by name. */
    public Optional<Link> get(String name) {
        NetlinkRequest request = new NetlinkRequest(Rtnl.RTM_GETLINK, 0)
                .linkInfo(Rtnl.AF_UNSPEC, 0, 0, 0)
                .attributeString(Rtnl.IFLA_IFNAME, name);
        ByteBuffer reply = namespace.netlink().apply(socket -> socket.query(request, "link " + name, KernelException.ENODEV));
        return Optional.ofNullable(reply).map(Links::parse);
    }

    /** Lists every device of the namespace. */
    public List<Link> list() {
        NetlinkRequest request = new NetlinkRequest(Rtnl.RTM_GETLINK, Rtnl.NLM_F_DUMP)
                .linkInfo(Rtnl.AF_UNSPEC, 0, 0, 0);
        List<ByteBuffer> replies = namespace.netlink().apply(socket -> socket.dump(request, "links of " + namespace));
        List<Link> links = new ArrayList<>(replies.size());
        for (ByteBuffer reply : replies) {
            links.add(parse(reply));
        }
        return links;
    }

    /** Decodes the link in an RTM_NEWLINK message: index, flags, name, kind, master, MTU and MAC. */
    static Link parse(ByteBuffer message) {
        int index = message.getInt(4);
        int flags = message.getInt(8);
        NetlinkAttributes attributes = NetlinkAttributes.parse(message, 16, message.capacity());
        NetlinkAttributes linkInfo = attributes.getNested(Rtnl.IFLA_LINKINFO);
        String kind = linkInfo == null ? null : linkInfo.getString(Rtnl.IFLA_INFO_KIND);
        return new Link(index,
                attributes.getString(Rtnl.IFLA_IFNAME),
                kind,
                attributes.getInt(Rtnl.IFLA_MASTER, 0),
                attributes.getInt(Rtnl.IFLA_MTU, 0),
                (flags & Rtnl.IFF_UP) != 0,
                MacAddress.fromBytes(attributes.getBytes(Rtnl.IFLA_ADDRESS)));
    }

    private void execute(NetlinkRequest request, String object) {
        namespace.netlink().apply(socket -> {
            socket.execute(request, object);
            return null;
        });
    }

    private static void checkName(String name) {
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH || name.contains("/") || name.contains(" ")) {
            throw new IllegalArgumentException("invalid interface name \"" + name + "\": 1 to 15 characters without '/' or spaces");
        }
    }
}
