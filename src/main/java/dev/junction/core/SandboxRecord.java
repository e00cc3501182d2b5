package dev.junction.core;

import java.util.List;

/**
 * The stored form of a sandbox: what a restart needs to find its namespace and files again.
 * The endpoints joined to it are stored with the endpoints.
 */
public record SandboxRecord(
        String containerId,
        String key,
        boolean hostNamespace,
        String namespacePath,
        String directory,
        String hostsPath,
        String resolvConfPath,
        List<ExtraHost> parentEntries,
        String defaultRouteEndpoint) {

    public SandboxRecord {
        parentEntries = parentEntries == null ? List.of() : List.copyOf(parentEntries);
    }
}
