package dev.junction.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.nio.file.Path;
import java.util.Map;

/**
 * Gives the daemon under test a host namespace and run and data roots of its own, so no test
 * touches the machine's network, and removes them with everything in them afterwards.
 */
public class KernelTestResource implements QuarkusTestResourceLifecycleManager {

    private TestNamespace host;
    private Path root;

    @Override
    public Map<String, String> start() {
        host = TestNamespace.create("host");
        root = TestDirectories.create("quarkus");
        return Map.of(
                "junction.host-netns", host.path().toString(),
                "junction.run-root", root.resolve("run").toString(),
                "junction.data-root", root.resolve("data").toString());
    }

    @Override
    public void stop() {
        if (host != null) {
            host.close();
        }
        if (root != null) {
            TestDirectories.remove(root);
        }
    }
}
