package dev.junction.core;

import java.util.List;

/**
 * Options of a request that joins a container to an endpoint. Empty strings and nulls mean "not given";
 * lists are never null.
 */
public record JoinOptions(
        String containerId,
        String hostName,
        String domainName,
        String hostsPath,
        String resolvConfPath,
        List<String> dns,
        List<ExtraHost> extraHosts,
        List<ParentUpdate> parentUpdates,
        boolean useDefaultSandbox) {

    public JoinOptions {
        hostName = blankToNull(hostName);
        domainName = blankToNull(domainName);
        hostsPath = blankToNull(hostsPath);
        resolvConfPath = blankToNull(resolvConfPath);
        dns = dns == null ? List.of() : List.copyOf(dns);
        extraHosts = extraHosts == null ? List.of() : List.copyOf(extraHosts);
        parentUpdates = parentUpdates == null ? List.of() : List.copyOf(parentUpdates);
    }

    private static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
