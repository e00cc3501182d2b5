package dev.junction.api;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.List;
import java.util.Map;

/**
 * Derives the HTTP server's TCP settings from {@code junction.tcp.address}, so operators set one
 * key instead of three Quarkus keys. An address that does not parse here is left alone; the
 * start-up check then rejects it with a message.
 */
public class TcpListenerConfig implements ConfigSourceFactory {

    /** Above application.properties (250), below environment variables (300) and system properties (400). */
    private static final int ORDINAL = 275;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue value = context.getValue("junction.tcp.address");
        if (value == null || value.getValue() == null || value.getValue().isBlank()) {
            return List.of();
        }
        String address = value.getValue().strip();
        int colon = address.lastIndexOf(':');
        if (colon <= 0) {
            return List.of();
        }
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String port = address.substring(colon + 1);
        if (!port.matches("[0-9]{1,5}")) {
            return List.of();
        }
        return List.of(new PropertiesConfigSource(Map.of(
                "quarkus.http.host-enabled", "true",
                "quarkus.http.host", host,
                "quarkus.http.port", port), "junction.tcp.address", ORDINAL));
    }
}
