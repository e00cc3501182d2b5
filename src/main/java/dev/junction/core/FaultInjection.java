package dev.junction.core;

import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * Named steps of the operations with kernel side effects, at which a test can make the daemon
 * halt as if it had crashed ({@code junction.fault.halt-at}). Does nothing unless that is set.
 */
@Singleton
public class FaultInjection {

    /** Every step name, so that a test can iterate over them and a typo is caught. */
    public static final List<String> STEPS = List.of(
            "network-create:intent", "network-create:kernel", "network-create:commit",
            "endpoint-create:commit",
            "join:intent", "join:namespace", "join:kernel", "join:commit",
            "leave:intent", "leave:kernel", "leave:commit",
            "endpoint-delete:commit",
            "network-delete:intent", "network-delete:kernel", "network-delete:commit");

    /** Exit status of a halt, the one a process killed by SIGKILL reports. */
    public static final int HALT_STATUS = 137;

    private static final Logger LOG = Logger.getLogger(FaultInjection.class);

    private final String haltAt;

    FaultInjection(JunctionConfig config) {
        this.haltAt = config.fault().haltAt().orElse(null);
    }

    /** Throws {@link StartupException} when the configured step does not exist. */
    void check() {
        if (haltAt != null && !STEPS.contains(haltAt)) {
            throw new StartupException("Unknown junction.fault.halt-at step \"" + haltAt + "\"; known steps: " + String.join(", ", STEPS));
        }
        if (haltAt != null) {
            LOG.warnf("Fault injection is on: the daemon halts after step %s", haltAt);
        }
    }

    /** Marks that {@code step} is done; halts the process when it is the configured step. */
    public void reached(String step) {
        if (step.equals(haltAt)) {
            LOG.errorf("Halting after step %s, as junction.fault.halt-at requests", step);
            System.out.flush();
            System.err.flush();
            Runtime.getRuntime().halt(HALT_STATUS);
        }
    }
}
