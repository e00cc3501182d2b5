package dev.junction.core;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import dev.junction.driver.BridgeFirewall;
import dev.junction.store.Store;

import java.net.InetAddress;
import java.time.Duration;
import java.net.UnknownHostException;

/**
 * Starts and stops the daemon. Quarkus fires the startup event before the HTTP server binds its
 * socket, so no request arrives before the host is prepared and the stored state is reconciled
 * with the kernel.
 */
@ApplicationScoped
public class Daemon {

    private static final Logger LOG = Logger.getLogger(Daemon.class);
    /** How long a stop waits for operations in flight to finish. */
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(20);

    private final JunctionConfig config;
    private final Host host;
    private final NetworkManager networks;
    private final Store store;
    private final Reconciler reconciler;
    private final FaultInjection faults;
    private final OperationGate operations;
    private final PortAllocator ports;
    private final BridgeFirewall firewall;
    private final Systemd systemd;
    private volatile boolean ready;

    Daemon(JunctionConfig config, Host host, NetworkManager networks, Store store, Reconciler reconciler,
           FaultInjection faults, OperationGate operations, PortAllocator ports, BridgeFirewall firewall, Systemd systemd) {
        this.config = config;
        this.host = host;
        this.networks = networks;
        this.store = store;
        this.reconciler = reconciler;
        this.faults = faults;
        this.operations = operations;
        this.ports = ports;
        this.firewall = firewall;
        this.systemd = systemd;
    }

    void start(@Observes @Priority(1) StartupEvent event) {
        long started = System.nanoTime();
        systemd.start();
        systemd.status("Reconciling the stored state with the kernel");
        try {
            faults.check();
            checkTcpAddress();
            networks.configure();
            ports.configure();
            host.start();
            firewall.start();
            store.open(config.dataRoot());
            reconciler.run();
        } catch (StartupException e) {
            // For this exception type Quarkus prints the message alone, without a stack trace, and exits with 1.
            throw new ConfigurationException("Junction cannot start: " + e.getMessage());
        }
        ready = true;
        LOG.infof("Junction started in %d ms; API socket %s", (System.nanoTime() - started) / 1_000_000, config.socket().path());
    }

    void stop(@Observes ShutdownEvent event) {
        ready = false;
        systemd.stopping();
        if (!operations.close(SHUTDOWN_WAIT)) {
            LOG.warnf("Operations still running after %d s; the next start finishes or undoes them", SHUTDOWN_WAIT.toSeconds());
        }
        host.stop();
        store.close();
        LOG.info("Junction stopped; networks, endpoints and sandboxes stay in the kernel");
    }

    /** Reports whether start-up finished and requests are served. */
    public boolean ready() {
        return ready;
    }

    private void checkTcpAddress() {
        String address = config.tcp().address().orElse("").strip();
        if (address.isEmpty()) {
            return;
        }
        TcpAddress parsed = TcpAddress.parse(address);
        try {
            if (!InetAddress.getByName(parsed.host()).isLoopbackAddress()) {
                throw new StartupException("junction.tcp.address " + address + " is not a loopback address; the API has no "
                        + "authentication, so Junction listens on TCP only on 127.0.0.1 or ::1. Use the Unix socket for remote access through SSH.");
            }
        } catch (UnknownHostException e) {
            throw new StartupException("junction.tcp.address " + address + ": cannot resolve " + parsed.host());
        }
    }
}
