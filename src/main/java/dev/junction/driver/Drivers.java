package dev.junction.driver;

import dev.junction.core.NetworkType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import java.util.EnumMap;
import java.util.Map;

/** The driver of each network type. */
@ApplicationScoped
public class Drivers {

    private final Map<NetworkType, NetworkDriver> byType = new EnumMap<>(NetworkType.class);

    Drivers(Instance<NetworkDriver> drivers) {
        for (NetworkDriver driver : drivers) {
            byType.put(driver.type(), driver);
        }
    }

    public NetworkDriver forType(NetworkType type) {
        NetworkDriver driver = byType.get(type);
        if (driver == null) {
            throw new IllegalStateException("no driver for network type " + type.apiName());
        }
        return driver;
    }
}
