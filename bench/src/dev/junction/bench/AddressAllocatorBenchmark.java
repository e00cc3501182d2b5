package dev.junction.bench;

import dev.junction.ipam.AddressAllocator;
import dev.junction.ipam.Ipv4Address;
import dev.junction.ipam.Subnet;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * IPv4 allocation in a nearly full /16: 65,000 of its 65,534 host addresses are taken, and each
 * operation allocates the next free address and releases it again, so the fill level stays put.
 * With {@code sequential} the first 65,000 addresses are taken and the 534 free ones sit at the
 * end, so every 534th allocation wraps around and scans the whole bitmap from the start. With
 * {@code random} the free addresses are scattered, as after a long run of joins and leaves.
 * The sample-time mode shows the percentiles of single operations, the wrap-around scan included.
 */
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class AddressAllocatorBenchmark {

    private static final int TAKEN = 65_000;

    @Param({"sequential", "random"})
    public String fill;

    private AddressAllocator allocator;

    @Setup(Level.Trial)
    public void setUp() {
        allocator = new AddressAllocator(Subnet.parse("10.0.0.0/16"));
        if (fill.equals("sequential")) {
            for (int i = 0; i < TAKEN; i++) {
                allocator.allocate().orElseThrow();
            }
        } else {
            List<Ipv4Address> all = new ArrayList<>();
            Ipv4Address next;
            while ((next = allocator.allocate().orElse(null)) != null) {
                all.add(next);
            }
            Collections.shuffle(all, new Random(1));
            for (Ipv4Address address : all.subList(0, all.size() - TAKEN)) {
                allocator.release(address);
            }
        }
        if (allocator.allocatedCount() != TAKEN) {
            throw new IllegalStateException("expected " + TAKEN + " taken addresses, found " + allocator.allocatedCount());
        }
    }

    @Benchmark
    public Ipv4Address allocateAndRelease() {
        Ipv4Address address = allocator.allocate().orElseThrow();
        allocator.release(address);
        return address;
    }
}
