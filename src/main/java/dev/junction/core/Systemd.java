package dev.junction.core;

import dev.junction.kernel.SystemdNotify;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Tells systemd how the daemon is doing when it runs as a {@code Type=notify} service:
 * {@code READY=1} once the reconcile is done and the socket listens, {@code STOPPING=1} on
 * shutdown, {@code STATUS=} lines, and watchdog pings while netlink requests still succeed. Without
 * {@code $NOTIFY_SOCKET} it does nothing.
 */
@ApplicationScoped
public class Systemd {

    private static final Logger LOG = Logger.getLogger(Systemd.class);

    private final Host host;
    private Optional<SystemdNotify> notify = Optional.empty();
    private ScheduledExecutorService watchdog;

    Systemd(Host host) {
        this.host = host;
    }

    /** Connects to {@code $NOTIFY_SOCKET}; a failure is logged, since the daemon works without it. */
    void start() {
        try {
            notify = SystemdNotify.fromEnvironment();
        } catch (RuntimeException e) {
            LOG.warnf("Cannot use NOTIFY_SOCKET %s: %s", System.getenv("NOTIFY_SOCKET"), e.getMessage());
        }
        notify.ifPresent(socket -> LOG.infof("Notifying systemd through %s", socket.socketName()));
    }

    /** Sends {@code READY=1} with a status line, and starts watchdog pings when systemd set a watchdog interval. */
    public void ready(String status) {
        send("READY=1\nSTATUS=" + status + "\nMAINPID=" + ProcessHandle.current().pid());
        startWatchdog();
    }

    public void status(String status) {
        send("STATUS=" + status);
    }

    void stopping() {
        send("STOPPING=1\nSTATUS=Stopping; containers keep their networking");
        if (watchdog != null) {
            watchdog.shutdownNow();
        }
    }

    private void startWatchdog() {
        String microseconds = System.getenv("WATCHDOG_USEC");
        String pid = System.getenv("WATCHDOG_PID");
        if (notify.isEmpty() || microseconds == null || microseconds.isEmpty()) {
            return;
        }
        if (pid != null && !pid.isEmpty() && !pid.equals(Long.toString(ProcessHandle.current().pid()))) {
            return;
        }
        long interval;
        try {
            interval = Math.max(1, Long.parseLong(microseconds) / 2);
        } catch (NumberFormatException e) {
            LOG.warnf("Ignoring WATCHDOG_USEC %s: not a number of microseconds", microseconds);
            return;
        }
        watchdog = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon(true).name("junction-watchdog").factory());
        watchdog.scheduleAtFixedRate(this::pingWatchdog, 0, interval, TimeUnit.MICROSECONDS);
        LOG.infof("Sending watchdog pings every %d ms", interval / 1000);
    }

    /** Pings only while a netlink request in the host namespace succeeds, so that a stuck daemon gets restarted. */
    private void pingWatchdog() {
        try {
            host.namespace().links().get("lo");
            send("WATCHDOG=1");
        } catch (RuntimeException e) {
            LOG.warnf("Skipping a watchdog ping: the host namespace does not answer netlink requests: %s", e.getMessage());
        }
    }

    private void send(String state) {
        notify.ifPresent(socket -> {
            try {
                socket.send(state);
            } catch (RuntimeException e) {
                LOG.warnf("Cannot notify systemd (%s): %s", state.lines().findFirst().orElse(state), e.getMessage());
            }
        });
    }
}
