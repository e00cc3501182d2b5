package dev.junction.core;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Properties;

/** The {@code junctiond} command: {@code --version} and {@code --help}, or the daemon. */
@QuarkusMain
public class JunctionMain {

    static final String HELP = """
            Usage: junctiond [-Dkey=value ...] [--version | --help]

            Junction, a container-networking daemon: it serves Docker's networking API on a Unix
            socket and builds bridges, veth pairs and network namespaces for containers.

            Without options it runs the daemon in the foreground until SIGTERM (exit status 143) or
            SIGINT. It needs root, or CAP_NET_ADMIN, CAP_SYS_ADMIN and CAP_CHOWN, plus
            CAP_SYS_PTRACE and CAP_SYS_CHROOT when junction.host-mounts-pid is set.

            Settings come from /etc/junction/junction.properties in the packages, from -Dkey=value
            arguments and from environment variables (JUNCTION_MTU=9000 sets junction.mtu). The
            main ones:
              junction.socket.path     API socket (default /run/junction/junction.sock)
              junction.socket.group    group of the socket, mode 0660 (default junction)
              junction.tcp.address     extra loopback TCP listener, host:port (default none)
              junction.run-root        runtime state, namespace files (default /run/junction)
              junction.data-root       state database (default /var/lib/junction)
              junction.host-netns      namespace file to use as the host (default: own)
              junction.default-pools   address pools for new networks
              junction.mtu             MTU in bytes of new networks (default 1500)
              junction.ports.range     host ports for host_port 0 (default 49153-65535)
              junction.log-json        one JSON object per log line (default false)

              --version  print the version and exit
              --help     print this text and exit
            """;

    public static void main(String... arguments) {
        for (String argument : arguments) {
            if (argument.startsWith("-D") && argument.length() > 2) {
                // -Dkey=value after the command sets a setting, like a JVM system property before it.
                int equals = argument.indexOf('=');
                String key = equals < 0 ? argument.substring(2) : argument.substring(2, equals);
                System.setProperty(key, equals < 0 ? "true" : argument.substring(equals + 1));
                continue;
            }
            switch (argument) {
                case "--version", "-V" -> {
                    System.out.println(version());
                    return;
                }
                case "--help", "-h" -> {
                    System.out.print(HELP);
                    return;
                }
                default -> {
                    System.err.println("junctiond: unknown option " + argument + "; see junctiond --help");
                    System.exit(2);
                }
            }
        }
        Quarkus.run(Arrays.stream(arguments).filter(argument -> !argument.startsWith("-D")).toArray(String[]::new));
    }

    /** Returns {@code junctiond VERSION (Quarkus ..., Java ...)}. */
    static String version() {
        Properties properties = new Properties();
        try (InputStream input = JunctionMain.class.getResourceAsStream("/junction-version.properties")) {
            if (input != null) {
                properties.load(input);
            }
        } catch (IOException e) {
            // The version line is still printed, with "unknown".
        }
        return "junctiond " + properties.getProperty("version", "unknown") + " (Quarkus " + properties.getProperty("quarkus", "unknown")
                + ", Java " + Runtime.version() + ")";
    }
}
