package dev.junction.api;

import dev.junction.core.Daemon;
import dev.junction.core.Host;
import dev.junction.core.NetworkManager;
import dev.junction.core.Reconciler;
import dev.junction.core.SandboxManager;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Ready once start-up (with its reconcile) finished, while netlink requests in the host namespace
 * succeed and the state directory is writable. The data give the current numbers of networks,
 * endpoints and sandboxes, and the number of corrections the start-up reconcile made.
 */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

    private final Daemon daemon;
    private final Reconciler reconciler;
    private final Host host;
    private final NetworkManager networks;
    private final SandboxManager sandboxes;

    ReadinessCheck(Daemon daemon, Reconciler reconciler, Host host, NetworkManager networks, SandboxManager sandboxes) {
        this.daemon = daemon;
        this.reconciler = reconciler;
        this.host = host;
        this.networks = networks;
        this.sandboxes = sandboxes;
    }

    @Override
    public HealthCheckResponse call() {
        boolean started = daemon.ready();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("junction").withData("started", started);
        boolean netlink = started && netlinkAnswers(response);
        boolean writable = started && stateWritable(response);
        if (started) {
            response.withData("networks", networks.count())
                    .withData("endpoints", networks.endpointCount())
                    .withData("sandboxes", sandboxes.count());
        }
        Reconciler.Summary summary = reconciler.lastSummary();
        if (summary != null) {
            response.withData("startupCorrections", summary.correctionCount());
        }
        return response.status(started && netlink && writable).build();
    }

    private boolean netlinkAnswers(HealthCheckResponseBuilder response) {
        try {
            host.namespace().links().get("lo");
            response.withData("netlink", "answers");
            return true;
        } catch (RuntimeException e) {
            response.withData("netlink", "failed: " + e.getMessage());
            return false;
        }
    }

    private boolean stateWritable(HealthCheckResponseBuilder response) {
        Path directory = host.dataRoot();
        try {
            Path probe = Files.createTempFile(directory, ".ready-", ".probe");
            Files.delete(probe);
            response.withData("stateDirectory", directory + " is writable");
            return true;
        } catch (IOException e) {
            response.withData("stateDirectory", directory + " is not writable: " + e.getMessage());
            return false;
        }
    }
}
