package dev.junction.kernel;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

/**
 * Encoding of the netlink requests of a join (the veth pair and the address) with
 * {@link NetlinkRequest}, and decoding of a link reply with the parser of {@link Links}. No socket
 * is opened: this is the Java side of each message only.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class NetlinkBenchmark {

    // Attribute types from linux/if_link.h that the kernel puts in a link reply and Links skips.
    private static final int IFLA_BROADCAST = 2;
    private static final int IFLA_STATS = 7;
    private static final int IFLA_TXQLEN = 13;
    private static final int IFLA_LINKMODE = 17;
    private static final int IFLA_STATS64 = 23;
    private static final int IFLA_AF_SPEC = 26;
    private static final int IFLA_GROUP = 27;
    private static final int IFLA_PROMISCUITY = 30;
    private static final int IFLA_NUM_TX_QUEUES = 31;
    private static final int IFLA_NUM_RX_QUEUES = 32;
    private static final int IFLA_CARRIER = 33;
    private static final int IFLA_CARRIER_CHANGES = 35;
    private static final int IFLA_MIN_MTU = 50;
    private static final int IFLA_MAX_MTU = 51;

    private final MacAddress mac = MacAddress.parse("02:42:0a:dd:00:02");
    private InetAddress address;
    private ByteBuffer linkReply;
    private int sequence;

    @Setup
    public void setUp() throws UnknownHostException {
        address = InetAddress.getByName("10.221.0.2");
        linkReply = linkReply();
    }

    /** Encodes the request that creates a veth pair with its peer in another namespace, as Links.createVethPair does. */
    @Benchmark
    public ByteBuffer encodeVethPair() {
        NetlinkRequest request = new NetlinkRequest(Rtnl.RTM_NEWLINK, Rtnl.NLM_F_CREATE | Rtnl.NLM_F_EXCL)
                .linkInfo(Rtnl.AF_UNSPEC, 0, Rtnl.IFF_UP, Rtnl.IFF_UP)
                .attributeString(Rtnl.IFLA_IFNAME, "jv-0123456789ab")
                .attributeInt(Rtnl.IFLA_MTU, 1500)
                .attributeInt(Rtnl.IFLA_MASTER, 5);
        int linkInfo = request.beginNested(Rtnl.IFLA_LINKINFO);
        request.attributeString(Rtnl.IFLA_INFO_KIND, "veth");
        int data = request.beginNested(Rtnl.IFLA_INFO_DATA);
        int peer = request.beginPeer(Rtnl.VETH_INFO_PEER);
        request.linkInfo(Rtnl.AF_UNSPEC, 0, 0, 0)
                .attributeString(Rtnl.IFLA_IFNAME, "eth0")
                .attributeInt(Rtnl.IFLA_MTU, 1500)
                .attribute(Rtnl.IFLA_ADDRESS, mac.toBytes())
                .attributeInt(Rtnl.IFLA_NET_NS_FD, 42);
        request.endNested(peer);
        request.endNested(data);
        request.endNested(linkInfo);
        return request.finish(++sequence);
    }

    /** Encodes the request that adds an IPv4 address with its broadcast address, as Addresses.add does. */
    @Benchmark
    public ByteBuffer encodeAddress() {
        byte[] local = address.getAddress();
        byte[] broadcast = {local[0], local[1], (byte) 0xFF, (byte) 0xFF};
        NetlinkRequest request = new NetlinkRequest(Rtnl.RTM_NEWADDR, Rtnl.NLM_F_CREATE | Rtnl.NLM_F_EXCL)
                .addressInfo(Rtnl.AF_INET, 16, 0, Rtnl.RT_SCOPE_UNIVERSE, 7)
                .attribute(Rtnl.IFA_LOCAL, local)
                .attribute(Rtnl.IFA_ADDRESS, local)
                .attribute(Rtnl.IFA_BROADCAST, broadcast);
        return request.finish(++sequence);
    }

    /** Decodes a link reply with the parser that Links uses for every dump and lookup. */
    @Benchmark
    public Links.Link decodeLink() {
        return Links.parse(linkReply);
    }

    /**
     * Builds the payload of an RTM_NEWLINK reply for the host end of a veth pair on a bridge, shaped
     * like the kernel's: about 1.5 KB, with the attributes that Links reads among statistics and
     * per-family blocks that it skips. The block contents are zeros, which the parser does not read.
     */
    private ByteBuffer linkReply() {
        NetlinkRequest reply = new NetlinkRequest(Rtnl.RTM_NEWLINK, 0)
                .linkInfo(Rtnl.AF_UNSPEC, 42, Rtnl.IFF_UP, 0)
                .attributeString(Rtnl.IFLA_IFNAME, "jv-0123456789ab")
                .attributeInt(IFLA_TXQLEN, 1000)
                .attribute(Rtnl.IFLA_OPERSTATE, new byte[]{6})
                .attribute(IFLA_LINKMODE, new byte[]{0})
                .attributeInt(Rtnl.IFLA_MTU, 1500)
                .attributeInt(IFLA_MIN_MTU, 68)
                .attributeInt(IFLA_MAX_MTU, 65535)
                .attributeInt(IFLA_GROUP, 0)
                .attributeInt(IFLA_PROMISCUITY, 1)
                .attributeInt(IFLA_NUM_TX_QUEUES, 2)
                .attributeInt(IFLA_NUM_RX_QUEUES, 2)
                .attribute(IFLA_CARRIER, new byte[]{1})
                .attributeInt(IFLA_CARRIER_CHANGES, 2)
                .attributeInt(Rtnl.IFLA_MASTER, 5)
                .attributeInt(Rtnl.IFLA_LINK, 2)
                .attribute(Rtnl.IFLA_ADDRESS, mac.toBytes())
                .attribute(IFLA_BROADCAST, new byte[]{-1, -1, -1, -1, -1, -1})
                .attribute(IFLA_STATS64, new byte[200])
                .attribute(IFLA_STATS, new byte[96]);
        int linkInfo = reply.beginNested(Rtnl.IFLA_LINKINFO);
        reply.attributeString(Rtnl.IFLA_INFO_KIND, "veth");
        reply.attributeString(Rtnl.IFLA_INFO_SLAVE_KIND, "bridge");
        int slaveData = reply.beginNested(Rtnl.IFLA_INFO_SLAVE_DATA);
        for (int type = 1; type <= 40; type++) {
            reply.attributeInt(type, 0);
        }
        reply.endNested(slaveData);
        reply.endNested(linkInfo);
        reply.attribute(IFLA_AF_SPEC, new byte[700]);

        ByteBuffer message = reply.finish(1);
        int payloadLength = message.remaining() - Rtnl.NLMSG_HDRLEN;
        ByteBuffer payload = ByteBuffer.allocate(payloadLength).order(ByteOrder.nativeOrder());
        payload.put(0, message, Rtnl.NLMSG_HDRLEN, payloadLength);
        return payload;
    }
}
