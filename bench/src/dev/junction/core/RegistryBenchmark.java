package dev.junction.core;

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

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Resolution of a path reference among 10,000 objects with {@link Registry#resolve}, over the
 * same map types as the registry's network index: a full ID, an exact name, and a unique
 * 12-character ID prefix (the short form Docker prints). Each call takes the next object in turn.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class RegistryBenchmark {

    private static final int OBJECTS = 10_000;

    private final ConcurrentSkipListMap<String, Object> byId = new ConcurrentSkipListMap<>();
    private final ConcurrentHashMap<String, String> idsByName = new ConcurrentHashMap<>();
    private final Function<String, List<String>> lookUpName = key -> {
        String id = idsByName.get(key);
        return id == null ? List.of() : List.of(id);
    };
    private final String[] ids = new String[OBJECTS];
    private final String[] names = new String[OBJECTS];
    private final String[] prefixes = new String[OBJECTS];
    private int next;

    @Setup
    public void setUp() {
        Set<String> shortForms = new HashSet<>();
        for (int i = 0; i < OBJECTS; i++) {
            String id = Ids.generate(shortForms::add);
            ids[i] = id;
            names[i] = "container-" + i;
            prefixes[i] = Ids.shorten(id);
            byId.put(id, new Object());
            idsByName.put(names[i], id);
        }
        for (int i = 0; i < OBJECTS; i++) {
            if (!resolve(prefixes[i]).equals(ids[i]) || !resolve(names[i]).equals(ids[i])) {
                throw new IllegalStateException("reference " + i + " does not resolve to its ID");
            }
        }
    }

    @Benchmark
    public String fullId() {
        return resolve(ids[advance()]);
    }

    @Benchmark
    public String name() {
        return resolve(names[advance()]);
    }

    @Benchmark
    public String idPrefix() {
        return resolve(prefixes[advance()]);
    }

    private String resolve(String reference) {
        return Registry.resolve(reference, "network", byId, lookUpName);
    }

    private int advance() {
        int index = next;
        next = index + 1 == OBJECTS ? 0 : index + 1;
        return index;
    }
}
