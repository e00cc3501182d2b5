package dev.junction.ipam;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AddressAllocatorTest {

    @Test
    void allocatesInOrderAfterReservedGateway() {
        AddressAllocator allocator = new AddressAllocator(Subnet.parse("10.0.0.0/24"));
        assertTrue(allocator.reserve(Ipv4Address.parse("10.0.0.1")));
        assertEquals("10.0.0.2", allocator.allocate().orElseThrow().toString());
        assertEquals("10.0.0.3", allocator.allocate().orElseThrow().toString());
    }

    @Test
    void releasedAddressIsNotReusedAtOnce() {
        AddressAllocator allocator = new AddressAllocator(Subnet.parse("10.0.0.0/24"));
        Ipv4Address first = allocator.allocate().orElseThrow();
        allocator.release(first);
        assertEquals("10.0.0.2", allocator.allocate().orElseThrow().toString());
    }

    @Test
    void fillsSubnetThenReportsFull() {
        AddressAllocator allocator = new AddressAllocator(Subnet.parse("10.0.0.0/29"));
        Set<Ipv4Address> seen = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            assertTrue(seen.add(allocator.allocate().orElseThrow()));
        }
        assertEquals(Optional.empty(), allocator.allocate());
        assertFalse(seen.contains(Ipv4Address.parse("10.0.0.0")));
        assertFalse(seen.contains(Ipv4Address.parse("10.0.0.7")));
        allocator.release(Ipv4Address.parse("10.0.0.4"));
        assertEquals("10.0.0.4", allocator.allocate().orElseThrow().toString());
    }

    @Test
    void reserveTwiceReportsTaken() {
        AddressAllocator allocator = new AddressAllocator(Subnet.parse("10.0.0.0/24"));
        assertTrue(allocator.reserve(Ipv4Address.parse("10.0.0.9")));
        assertFalse(allocator.reserve(Ipv4Address.parse("10.0.0.9")));
        assertEquals(1, allocator.allocatedCount());
    }

    @Test
    void nearlyFullSlash16FindsLastFreeAddress() {
        AddressAllocator allocator = new AddressAllocator(Subnet.parse("10.1.0.0/16"));
        for (int i = 0; i < 65533; i++) {
            allocator.allocate().orElseThrow();
        }
        assertEquals("10.1.255.254", allocator.allocate().orElseThrow().toString());
        assertEquals(Optional.empty(), allocator.allocate());
    }
}
