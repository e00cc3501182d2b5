package dev.junction.ipam;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubnetTest {

    @Test
    void parsesCidr() {
        Subnet subnet = Subnet.parse("172.18.0.0/16");
        assertEquals("172.18.0.0", subnet.network().toString());
        assertEquals(16, subnet.prefixLength());
        assertEquals(65536, subnet.size());
        assertEquals("172.18.255.255", subnet.broadcast().toString());
        assertEquals("172.18.0.1", subnet.firstHost().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"172.18.0.1/16", "172.18.0.0", "172.18.0.0/33", "256.0.0.0/8", "1.2.3/8", "01.2.3.0/24", "a.b.c.d/8", "/8", "1.2.3.0/"})
    void rejectsInvalid(String text) {
        assertThrows(IllegalArgumentException.class, () -> Subnet.parse(text));
    }

    @Test
    void hostBitsMessageNamesTheNetwork() {
        var error = assertThrows(IllegalArgumentException.class, () -> Subnet.parse("10.1.2.3/24"));
        assertTrue(error.getMessage().contains("10.1.2.0/24"), error.getMessage());
    }

    @Test
    void overlapIsSymmetric() {
        Subnet wide = Subnet.parse("10.0.0.0/8");
        Subnet narrow = Subnet.parse("10.20.0.0/16");
        Subnet other = Subnet.parse("11.0.0.0/8");
        assertTrue(wide.overlaps(narrow));
        assertTrue(narrow.overlaps(wide));
        assertFalse(wide.overlaps(other));
    }

    @Test
    void hostAddressesExcludeNetworkAndBroadcast() {
        Subnet subnet = Subnet.parse("192.168.1.0/24");
        assertFalse(subnet.isHostAddress(Ipv4Address.parse("192.168.1.0")));
        assertFalse(subnet.isHostAddress(Ipv4Address.parse("192.168.1.255")));
        assertTrue(subnet.isHostAddress(Ipv4Address.parse("192.168.1.1")));
        assertFalse(subnet.isHostAddress(Ipv4Address.parse("192.168.2.1")));
    }

    @Test
    void addressesAboveSignedRangeCompareAsUnsigned() {
        assertTrue(Ipv4Address.parse("200.0.0.1").compareTo(Ipv4Address.parse("10.0.0.1")) > 0);
        assertEquals("255.255.255.255", Ipv4Address.parse("255.255.255.255").toString());
    }
}
