package dev.junction.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Temporary directories for a daemon's run and data roots, removed with every mount inside them. */
public final class TestDirectories {

    private TestDirectories() {
    }

    public static Path create(String prefix) {
        try {
            return Files.createTempDirectory(Path.of("/tmp"), "junction-" + prefix + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Unmounts everything mounted under {@code root}, deepest first, then deletes the tree. */
    public static void remove(Path root) {
        unmountUnder(root);
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (java.nio.file.NoSuchFileException e) {
            // Already gone.
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }

    /** Lists the mount points under {@code root}, from /proc/self/mountinfo. */
    public static List<String> mountsUnder(Path root) {
        List<String> mounts = new ArrayList<>();
        try {
            String prefix = root.toAbsolutePath() + "/";
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String mountPoint = line.split(" ")[4].replace("\\040", " ");
                if (mountPoint.startsWith(prefix) || mountPoint.equals(root.toAbsolutePath().toString())) {
                    mounts.add(mountPoint);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return mounts;
    }

    private static void unmountUnder(Path root) {
        for (int attempt = 0; attempt < 10; attempt++) {
            List<String> mounts = mountsUnder(root);
            if (mounts.isEmpty()) {
                return;
            }
            mounts.sort(Comparator.comparingInt(String::length).reversed());
            for (String mount : mounts) {
                Commands.run("umount", "-l", mount);
            }
        }
    }
}
