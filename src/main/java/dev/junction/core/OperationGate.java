package dev.junction.core;

import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Lets changes run until the daemon stops, then waits for those in flight. A change that
 * starts after the stop began is rejected with 503, so none is cut off halfway by the exit.
 */
@Singleton
public class OperationGate {

    /** One change in flight; closing it lets a stop proceed. */
    public interface Operation extends AutoCloseable {
        @Override
        void close();
    }

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile boolean closing;

    /** Starts a change, or throws (503) when the daemon is stopping. */
    public Operation enter() {
        if (closing || !lock.readLock().tryLock()) {
            throw new JunctionException(JunctionException.Reason.UNAVAILABLE, "Junction is stopping; retry once it has restarted");
        }
        if (closing) {
            lock.readLock().unlock();
            throw new JunctionException(JunctionException.Reason.UNAVAILABLE, "Junction is stopping; retry once it has restarted");
        }
        return () -> lock.readLock().unlock();
    }

    /** Rejects new changes and waits up to {@code timeout} for running ones; returns whether all finished. */
    boolean close(Duration timeout) {
        closing = true;
        try {
            return lock.writeLock().tryLock(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
