package dev.junction.ipam;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AddressPoolTest {

    @Test
    void plainCidrIsOneSubnet() {
        AddressPool pool = AddressPool.parse("172.17.0.0/16");
        assertEquals(List.of(Subnet.parse("172.17.0.0/16")), pool.subnets());
    }

    @Test
    void sizeSplitsRange() {
        List<Subnet> subnets = AddressPool.parse("192.168.0.0/16/20").subnets();
        assertEquals(16, subnets.size());
        assertEquals(Subnet.parse("192.168.0.0/20"), subnets.getFirst());
        assertEquals(Subnet.parse("192.168.16.0/20"), subnets.get(1));
        assertEquals(Subnet.parse("192.168.240.0/20"), subnets.getLast());
    }

    @Test
    void rejectsSizeOutsideBase() {
        assertThrows(IllegalArgumentException.class, () -> AddressPool.parse("10.0.0.0/16/8"));
        assertThrows(IllegalArgumentException.class, () -> AddressPool.parse("10.0.0.0/16/31"));
        assertThrows(IllegalArgumentException.class, () -> AddressPool.parse("10.0.0.0/16/x"));
    }

    @Test
    void allocatorSkipsSubnetsInUseAndOnHost() {
        SubnetAllocator allocator = new SubnetAllocator(List.of(AddressPool.parse("172.17.0.0/16"),
                AddressPool.parse("172.18.0.0/16"), AddressPool.parse("192.168.0.0/16/20")));
        assertEquals(Subnet.parse("172.17.0.0/16"), allocator.choose(List.of(), List.of()).orElseThrow());
        assertEquals(Subnet.parse("172.18.0.0/16"),
                allocator.choose(List.of(Subnet.parse("172.17.0.0/16")), List.of()).orElseThrow());
        assertEquals(Subnet.parse("192.168.16.0/20"), allocator.choose(List.of(Subnet.parse("172.17.0.0/16")),
                List.of(Subnet.parse("172.18.5.0/24"), Subnet.parse("192.168.1.0/24"))).orElseThrow());
    }

    @Test
    void allocatorReportsExhaustion() {
        SubnetAllocator allocator = new SubnetAllocator(List.of(AddressPool.parse("10.0.0.0/24")));
        assertEquals(java.util.Optional.empty(), allocator.choose(List.of(Subnet.parse("10.0.0.0/8")), List.of()));
    }
}
