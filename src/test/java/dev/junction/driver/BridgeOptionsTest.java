package dev.junction.driver;

import dev.junction.core.JunctionException;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BridgeOptionsTest {

    @Test
    void emptyAndNullMeanDefaults() {
        BridgeOptions options = BridgeOptions.parse(Map.of());
        assertNull(options.subnet());
        assertNull(options.gateway());
        assertNull(options.mtu());
        assertNull(BridgeOptions.parse(null).subnet());
    }

    @Test
    void nullValueMeansNotGiven() {
        Map<String, Object> options = new HashMap<>();
        options.put("mtu", null);
        assertNull(BridgeOptions.parse(options).mtu());
    }

    @Test
    void parsesAllKeys() {
        BridgeOptions options = BridgeOptions.parse(Map.of("subnet", "10.5.0.0/24", "gateway", "10.5.0.9", "mtu", 9000));
        assertEquals("10.5.0.0/24", options.subnet().toString());
        assertEquals("10.5.0.9", options.gateway().toString());
        assertEquals(9000, options.mtu());
    }

    @Test
    void unknownKeyIsNamed() {
        var error = assertThrows(JunctionException.class, () -> BridgeOptions.parse(Map.of("com.docker.network.bridge.name", "x")));
        assertTrue(error.getMessage().contains("com.docker.network.bridge.name"), error.getMessage());
    }
}
