package dev.junction.core;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Junction's settings. Each key can be set in {@code application.properties}, as a system
 * property ({@code -Djunction.mtu=9000}) or as an environment variable ({@code JUNCTION_MTU=9000}).
 */
@ConfigMapping(prefix = "junction")
public interface JunctionConfig {

    /** The Unix socket that serves the API. */
    Socket socket();

    /** The optional TCP listener. */
    Tcp tcp();

    /** Directory for runtime state that a reboot clears: the socket, the lock file, namespace files under {@code netns/} and sandbox files. */
    @WithDefault("/run/junction")
    Path runRoot();

    /** Directory for state that survives a reboot. */
    @WithDefault("/var/lib/junction")
    Path dataRoot();

    /**
     * A network namespace file, such as {@code /run/netns/NAME}, in which the daemon creates its
     * bridges and host-side devices. Empty means the namespace the daemon runs in.
     */
    Optional<Path> hostNetns();

    /**
     * PID of a process in the mount namespace where namespace files are mounted, so that other
     * processes see them: 1 when systemd runs the daemon in a mount namespace of its own. Empty
     * means the daemon's own mount namespace.
     */
    Optional<Long> hostMountsPid();

    /**
     * Address pools for networks created without a subnet, tried in order. An entry is a CIDR
     * range used as one subnet ({@code 172.17.0.0/16}) or a range and the prefix length to split
     * it into ({@code 192.168.0.0/16/20}).
     */
    @WithDefault("172.17.0.0/16,172.18.0.0/16,172.19.0.0/16,172.20.0.0/16,172.21.0.0/16,172.22.0.0/16,"
            + "172.23.0.0/16,172.24.0.0/16,172.25.0.0/16,172.26.0.0/16,172.27.0.0/16,172.28.0.0/16,"
            + "172.29.0.0/16,172.30.0.0/16,172.31.0.0/16,192.168.0.0/16/20")
    List<String> defaultPools();

    /** MTU in bytes of bridges and veth devices of networks created without the {@code mtu} option. */
    @WithDefault("1500")
    int mtu();

    /** Whether log lines are JSON objects, one per line, for journald and log shippers, instead of plain text. */
    @WithDefault("false")
    boolean logJson();

    /** Published ports. */
    Ports ports();

    /** The nftables firewall. */
    Firewall firewall();

    /** Fault injection, for tests of crash recovery only. */
    Fault fault();

    interface Socket {

        /** Path of the API socket; the default is {@code junction.sock} under the run root. */
        @WithDefault("${junction.run-root:/run/junction}/junction.sock")
        Path path();

        /** Group that owns the socket (mode 0660); when the group does not exist the socket stays owned by root's group and a warning is logged. */
        @WithDefault("junction")
        String group();
    }

    interface Tcp {

        /** Loopback {@code host:port} for an additional TCP listener, such as {@code 127.0.0.1:2385}; empty means none. Other addresses are rejected at start. */
        Optional<String> address();
    }

    interface Ports {

        /** Host ports from which a port mapping with {@code host_port} 0 gets one, as {@code FIRST-LAST}. */
        @WithDefault("49153-65535")
        String range();
    }

    interface Firewall {

        /** The {@code nft} program, by name on the PATH or by absolute path. */
        @WithDefault("nft")
        String nft();
    }

    interface Fault {

        /**
         * Name of a step, such as {@code join:kernel}, at which the daemon halts at once without any
         * cleanup, as a crash or SIGKILL would. For tests only; empty, the default, disables it.
         */
        Optional<String> haltAt();
    }
}
