package dev.junction.kernel;

import org.graalvm.nativeimage.hosted.Feature;
import org.graalvm.nativeimage.hosted.RuntimeForeignAccess;

/**
 * Registers every libc downcall of {@link Libc#DOWNCALLS} with native-image at build time, so
 * that a native executable can make them. Used only by native builds ({@code -Dnative}); the
 * JVM build never loads this class.
 */
public final class ForeignAccessFeature implements Feature {

    @Override
    public String getDescription() {
        return "Registers Junction's libc downcalls for the Foreign Function API";
    }

    @Override
    public void duringSetup(DuringSetupAccess access) {
        for (Libc.Downcall downcall : Libc.DOWNCALLS) {
            RuntimeForeignAccess.registerForDowncall(downcall.descriptor(), (Object[]) downcall.options());
        }
    }
}
