package dev.junction.testing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.nio.file.Path;
import java.util.Map;

/**
 * Gives each test of the packaged daemon a host namespace and a run and data root of its own,
 * and removes them, with the daemon, after the test whether it passed or not.
 */
public abstract class DaemonTestSupport {

    protected TestNamespace host;
    protected Path root;
    /** The daemon under test; tests assign it so that it is stopped afterwards. */
    protected DaemonProcess daemon;

    /** A short word for the names of this test's namespace and directories. */
    protected abstract String prefix();

    @BeforeEach
    void createHostAndRoot() {
        host = TestNamespace.create(prefix());
        root = TestDirectories.create(prefix());
    }

    @AfterEach
    void removeHostAndRoot() {
        if (daemon != null) {
            daemon.close();
        }
        host.close();
        TestDirectories.remove(root);
    }

    protected Map<String, String> settings() {
        return DaemonProcess.settings(host, root);
    }

    protected Path runRoot() {
        return root.resolve("run");
    }

    /** Starts a daemon with this test's settings, logging to {@code target/it-logs/NAME.log}. */
    protected DaemonProcess startDaemon(String logName) {
        return DaemonProcess.start(settings(), Path.of("target/it-logs/" + logName + ".log"));
    }
}
