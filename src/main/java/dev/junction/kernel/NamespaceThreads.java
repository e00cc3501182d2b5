package dev.junction.kernel;

import org.jboss.logging.Logger;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Platform threads that may switch network namespace with setns(2).
 *
 * <p>setns changes only the calling thread, so it must never run on a virtual thread (whose
 * carrier thread would be left in the other namespace) or on an event-loop thread. Each task
 * here enters a namespace, runs, and returns to the daemon's own namespace. A thread that cannot
 * return is ended, and the pool replaces it with a fresh one.
 */
final class NamespaceThreads implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(NamespaceThreads.class);

    private final int homeFd;
    private final ThreadPoolExecutor executor;

    NamespaceThreads(int threads) {
        // /proc/self names the thread-group leader, which never leaves the daemon's namespace.
        this.homeFd = Libc.open("/proc/self/ns/net", Libc.O_RDONLY | Libc.O_CLOEXEC);
        AtomicInteger counter = new AtomicInteger();
        ThreadFactory factory = Thread.ofPlatform()
                .daemon(true)
                .name("junction-netns-", counter.getAndIncrement())
                .factory();
        this.executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), factory);
    }

    /** Returns a descriptor of the namespace the daemon started in; the caller must not close it. */
    int homeFd() {
        return homeFd;
    }

    /** Runs {@code task} inside the namespace that {@code fd} refers to and returns its result. */
    <T> T call(int fd, String name, Callable<T> task) {
        return run(() -> Libc.setns(fd, Libc.CLONE_NEWNET, name), task, "namespace " + name);
    }

    /** Runs {@code task} inside a new, empty network namespace; the task must keep a reference to it. */
    <T> T callInNewNamespace(Callable<T> task) {
        return run(() -> Libc.unshare(Libc.CLONE_NEWNET), task, "a new namespace");
    }

    private <T> T run(Runnable enter, Callable<T> task, String target) {
        CompletableFuture<T> result = new CompletableFuture<>();
        executor.execute(() -> {
            try {
                enter.run();
            } catch (Throwable e) {
                result.completeExceptionally(e);
                return;
            }
            try {
                result.complete(task.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            } finally {
                returnHome(target, result);
            }
        });
        return await(result);
    }

    private void returnHome(String target, CompletableFuture<?> result) {
        try {
            Libc.setns(homeFd, Libc.CLONE_NEWNET, "the daemon's namespace");
        } catch (KernelException e) {
            LOG.errorf("Thread %s could not leave %s and ends: %s", Thread.currentThread().getName(), target, e.getMessage());
            result.completeExceptionally(e);
            // Ending the thread is the only safe way out: it must never run another task in the wrong namespace.
            throw new IllegalStateException("namespace thread stuck in " + target, e);
        }
    }

    private static <T> T await(CompletableFuture<T> result) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return result.get();
                } catch (InterruptedException e) {
                    // The task is already running; finishing it keeps the kernel and the caller consistent.
                    interrupted = true;
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException runtime) {
                        throw runtime;
                    }
                    if (cause instanceof Error error) {
                        throw error;
                    }
                    throw new IllegalStateException(cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Libc.close(homeFd);
    }
}
