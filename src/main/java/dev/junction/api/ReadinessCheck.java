package dev.junction.api;

import dev.junction.core.Daemon;
import dev.junction.core.Host;
import dev.junction.core.Reconciler;
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
 * succeed and the state directory is writable. The data show what the reconcile corrected.
 */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

    private final Daemon daemon;
    private final Reconciler reconciler;
    private final Host host;

    ReadinessCheck(Daemon daemon, Reconciler reconciler, Host host) {
        this.daemon = daemon;
        this.reconciler = reconciler;
        this.host = host;
    }

    @Override
    public HealthCheckResponse call() {
        boolean started = daemon.ready();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("junction").withData("started", started);
        boolean netlink = started && netlinkAnswers(response);
        boolean writable = started && stateWritable(response);
        Reconciler.Summary summary = reconciler.lastSummary();
        if (summary != null) {
            response.withData("networks", summary.networks())
                    .withData("endpoints", summary.endpoints())
                    .withData("sandboxes", summary.sandboxes())
                    .withData("reconcileCorrections", summary.correctionCount());
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
