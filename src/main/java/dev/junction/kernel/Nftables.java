package dev.junction.kernel;

import org.jboss.logging.Logger;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code nft} inside a network namespace. Each call to {@link #apply} is one atomic
 * transaction ({@code nft -f -}): the kernel applies all of the script or none of it.
 */
public final class Nftables {

    /** The Debian (and Fedora) package that provides {@code nft}. */
    public static final String PACKAGE = "nftables";

    private static final Logger LOG = Logger.getLogger(Nftables.class);
    private static final long TIMEOUT_SECONDS = 30;

    private final String executable;

    public Nftables(String executable) {
        this.executable = executable;
    }

    /** Finds {@code nft} on the PATH (or at an absolute path), or returns null. */
    public static Path locate(String executable) {
        Path requested = Path.of(executable);
        if (requested.isAbsolute()) {
            return Files.isExecutable(requested) ? requested : null;
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        for (String directory : (path + ":/usr/sbin:/sbin").split(":")) {
            if (!directory.isEmpty()) {
                Path candidate = Path.of(directory, executable);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    /** Applies {@code script} in {@code namespace} as one transaction; throws {@link NftablesException} with nft's message. */
    public void apply(NetNamespace namespace, String script) {
        if (LOG.isDebugEnabled()) {
            LOG.debugf("nft -f - in %s:%n%s", namespace, script);
        }
        run(namespace, List.of(executable, "-f", "-"), script);
    }

    /** Returns {@code nft -j list ruleset} of {@code namespace}. */
    public String listRulesetJson(NetNamespace namespace) {
        return run(namespace, List.of(executable, "-j", "list", "ruleset"), null);
    }

    private String run(NetNamespace namespace, List<String> command, String input) {
        // The child process inherits the network namespace of the thread that starts it.
        return namespace.callInside(() -> {
            Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
            try (OutputStream stdin = process.getOutputStream()) {
                if (input != null) {
                    stdin.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
            String stdout;
            String stderr;
            try (InputStream out = process.getInputStream(); InputStream err = process.getErrorStream()) {
                stdout = new String(out.readAllBytes(), StandardCharsets.UTF_8);
                stderr = new String(err.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new NftablesException(String.join(" ", command) + " timed out after " + TIMEOUT_SECONDS + " s in " + namespace);
            }
            if (process.exitValue() != 0) {
                throw new NftablesException(String.join(" ", command) + " failed in " + namespace + " with exit status "
                        + process.exitValue() + ": " + stderr.strip());
            }
            return stdout;
        });
    }

    /** A failed nft command, with nft's own error output. */
    public static final class NftablesException extends RuntimeException {

        public NftablesException(String message) {
            super(message);
        }
    }
}
