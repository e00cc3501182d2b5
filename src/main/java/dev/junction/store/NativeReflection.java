package dev.junction.store;

import dev.junction.core.ExtraHost;
import dev.junction.core.Join;
import dev.junction.core.JoinOptions;
import dev.junction.core.ParentUpdate;
import dev.junction.core.PortBinding;
import dev.junction.core.TransportPort;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** The records the store writes as JSON, which a native build must keep reflectable for Jackson. */
@RegisterForReflection(targets = {Join.class, JoinOptions.class, ExtraHost.class, ParentUpdate.class, PortBinding.class,
        TransportPort.class})
final class NativeReflection {

    private NativeReflection() {
    }
}
