package dev.junction.api;

import dev.junction.core.Daemon;
import dev.junction.core.Reconciler;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready once start-up finished, with what the start-up reconcile corrected. */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

    private final Daemon daemon;
    private final Reconciler reconciler;

    ReadinessCheck(Daemon daemon, Reconciler reconciler) {
        this.daemon = daemon;
        this.reconciler = reconciler;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("startup").status(daemon.ready());
        Reconciler.Summary summary = reconciler.lastSummary();
        if (summary != null) {
            response.withData("networks", summary.networks())
                    .withData("endpoints", summary.endpoints())
                    .withData("sandboxes", summary.sandboxes())
                    .withData("reconcileCorrections", summary.correctionCount());
        }
        return response.build();
    }
}
