package dev.junction.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Durations of repeated runs of one operation, in microseconds, and their percentiles. */
final class Stopwatch {

    private final List<Long> micros = new ArrayList<>();

    /** Runs {@code operation} and records how long it took. */
    void time(Runnable operation) {
        long start = System.nanoTime();
        operation.run();
        micros.add((System.nanoTime() - start) / 1_000);
    }

    void record(long durationMicros) {
        micros.add(durationMicros);
    }

    int count() {
        return micros.size();
    }

    /** Returns the recorded durations in microseconds, in the order they were recorded. */
    List<Long> values() {
        return List.copyOf(micros);
    }

    /** Returns the percentile {@code p} (0 to 100) in microseconds, by the nearest-rank method. */
    long percentile(double p) {
        List<Long> sorted = new ArrayList<>(micros);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    long median() {
        return percentile(50);
    }

    static String millis(long micros) {
        return String.format("%.2f", micros / 1000.0);
    }
}
