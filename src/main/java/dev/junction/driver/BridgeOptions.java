package dev.junction.driver;

import dev.junction.core.JunctionException;
import dev.junction.ipam.Ipv4Address;
import dev.junction.ipam.Subnet;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code options} of a bridge network create request. Values may be JSON strings, as Docker's
 * driver options are, or JSON numbers where a number is meant; null means "not given".
 */
public record BridgeOptions(Subnet subnet, Ipv4Address gateway, Integer mtu) {

    public static final String SUBNET = "subnet";
    public static final String GATEWAY = "gateway";
    public static final String MTU = "mtu";
    public static final Set<String> KEYS = Set.of(SUBNET, GATEWAY, MTU);

    public static final int MIN_MTU = 68;
    public static final int MAX_MTU = 65535;

    /** Validates {@code options}; every failure names the option key and its value. */
    public static BridgeOptions parse(Map<String, Object> options) {
        if (options == null) {
            return new BridgeOptions(null, null, null);
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
        return new BridgeOptions(subnet, gateway, mtu);
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
