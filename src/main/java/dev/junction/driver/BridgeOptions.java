package dev.junction.driver;

import dev.junction.core.JunctionException;
import dev.junction.ipam.Ipv4Address;
import dev.junction.ipam.Subnet;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code options} of a bridge network create request. Values may be JSON strings, as Docker's
 * driver options are, or JSON numbers where a number is meant; null means "not given".
 */
public record BridgeOptions(Subnet subnet, Ipv4Address gateway, Integer mtu, boolean internal, boolean icc) {

    public static final String SUBNET = "subnet";
    public static final String GATEWAY = "gateway";
    public static final String MTU = "mtu";
    /** No traffic to or from outside the network, and no published ports; Docker's {@code --internal}. */
    public static final String INTERNAL = "internal";
    /** Whether containers of the network can reach each other (inter-container communication). */
    public static final String ENABLE_ICC = "enable_icc";
    public static final Set<String> KEYS = Set.of(SUBNET, GATEWAY, MTU, INTERNAL, ENABLE_ICC);

    /** Ranges no bridge may use (RFC 6890): this host, loopback, link-local, multicast and reserved. */
    private static final List<Subnet> RESERVED = List.of(Subnet.parse("0.0.0.0/8"), Subnet.parse("127.0.0.0/8"),
            Subnet.parse("169.254.0.0/16"), Subnet.parse("224.0.0.0/4"), Subnet.parse("240.0.0.0/4"));

    public static final int MIN_MTU = 68;
    public static final int MAX_MTU = 65535;

    /** Validates {@code options}; every failure names the option key and its value. */
    public static BridgeOptions parse(Map<String, Object> options) {
        if (options == null) {
            return new BridgeOptions(null, null, null, false, true);
        }
        for (String key : options.keySet()) {
            if (!KEYS.contains(key)) {
                throw JunctionException.invalid("unknown option \"%s\" for a bridge network; known options: %s",
                        key, String.join(", ", new TreeSet<>(KEYS)));
            }
        }
        Subnet subnet = parseSubnet(options.get(SUBNET));
        Ipv4Address gateway = parseGateway(options.get(GATEWAY), subnet);
        Integer mtu = parseMtu(options.get(MTU));
        boolean internal = parseBoolean(INTERNAL, options.get(INTERNAL), false);
        boolean icc = parseBoolean(ENABLE_ICC, options.get(ENABLE_ICC), true);
        return new BridgeOptions(subnet, gateway, mtu, internal, icc);
    }

    private static boolean parseBoolean(String key, Object value, boolean fallback) {
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean flag) {
            return flag;
        }
        if ("true".equals(value) || "false".equals(value)) {
            return Boolean.parseBoolean((String) value);
        }
        throw JunctionException.invalid("invalid option %s %s: expected true or false", key,
                value instanceof String ? "\"" + value + "\"" : value);
    }

    private static Subnet parseSubnet(Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof String text)) {
            throw JunctionException.invalid("invalid option subnet %s: expected a string in CIDR notation such as \"172.30.0.0/16\"", value);
        }
        if (text.contains(":")) {
            throw JunctionException.invalid("invalid option subnet \"%s\": only IPv4 subnets are supported", text);
        }
        Subnet subnet;
        try {
            subnet = Subnet.parse(text);
        } catch (IllegalArgumentException e) {
            throw JunctionException.invalid("invalid option subnet: %s", e.getMessage());
        }
        for (Subnet reserved : RESERVED) {
            if (reserved.overlaps(subnet)) {
                throw JunctionException.invalid("invalid option subnet \"%s\": it overlaps %s, which is reserved "
                        + "(this host, loopback, link-local, multicast or future use)", text, reserved);
            }
        }
        if (subnet.prefixLength() > 30 || subnet.prefixLength() < 8) {
            throw JunctionException.invalid("invalid option subnet \"%s\": the prefix length must be 8 to 30, "
                    + "so that the subnet holds a gateway and at least one endpoint", text);
        }
        return subnet;
    }

    private static Ipv4Address parseGateway(Object value, Subnet subnet) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof String text)) {
            throw JunctionException.invalid("invalid option gateway %s: expected a string such as \"172.30.0.1\"", value);
        }
        if (subnet == null) {
            throw JunctionException.invalid("option gateway \"%s\" needs option subnet, the subnet it belongs to", text);
        }
        Ipv4Address gateway;
        try {
            gateway = Ipv4Address.parse(text);
        } catch (IllegalArgumentException e) {
            throw JunctionException.invalid("invalid option gateway: %s", e.getMessage());
        }
        if (!subnet.isHostAddress(gateway)) {
            throw JunctionException.invalid("invalid option gateway \"%s\": not a host address of subnet %s", text, subnet);
        }
        return gateway;
    }

    private static Integer parseMtu(Object value) {
        if (value == null) {
            return null;
        }
        long mtu;
        if (value instanceof Integer || value instanceof Long) {
            mtu = ((Number) value).longValue();
        } else if (value instanceof String text && text.matches("[0-9]{1,6}")) {
            mtu = Long.parseLong(text);
        } else {
            throw JunctionException.invalid("invalid option mtu %s: expected an integer from %d to %d",
                    value instanceof String ? "\"" + value + "\"" : value, MIN_MTU, MAX_MTU);
        }
        if (mtu < MIN_MTU || mtu > MAX_MTU) {
            throw JunctionException.invalid("invalid option mtu %d: expected an integer from %d to %d", mtu, MIN_MTU, MAX_MTU);
        }
        return (int) mtu;
    }
}
