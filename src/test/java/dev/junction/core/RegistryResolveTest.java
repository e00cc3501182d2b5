package dev.junction.core;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegistryResolveTest {

    private static final String FIRST = "aa11" + "0".repeat(60);
    private static final String SECOND = "aa22" + "0".repeat(60);
    private static final String NAMED_LIKE_PREFIX = "bb33" + "0".repeat(60);

    private final TreeMap<String, String> ids = new TreeMap<>(Map.of(FIRST, "web", SECOND, "db", NAMED_LIKE_PREFIX, "aa1"));

    private String resolve(String reference) {
        return Registry.resolve(reference, "network", ids, key -> ids.entrySet().stream()
                .filter(entry -> Names.key(entry.getValue()).equals(key)).map(Map.Entry::getKey).toList());
    }

    @Test
    void fullIdWins() {
        assertEquals(FIRST, resolve(FIRST));
    }

    @Test
    void exactNameBeatsIdPrefix() {
        assertEquals(NAMED_LIKE_PREFIX, resolve("aa1"));
    }

    @Test
    void nameWithSlashMatchesPlainName() {
        assertEquals(FIRST, resolve("/web"));
    }

    @Test
    void uniquePrefixResolves() {
        assertEquals(SECOND, resolve("aa2"));
    }

    @Test
    void ambiguousPrefixListsMatches() {
        var error = assertThrows(JunctionException.class, () -> resolve("aa"));
        assertEquals(JunctionException.Reason.INVALID, error.reason());
        assertTrue(error.getMessage().contains(FIRST), error.getMessage());
        assertTrue(error.getMessage().contains(SECOND), error.getMessage());
    }

    @Test
    void ambiguousNameListsMatches() {
        var error = assertThrows(JunctionException.class, () -> Registry.resolve("web", "service", ids,
                key -> List.of(FIRST, SECOND)));
        assertEquals(JunctionException.Reason.INVALID, error.reason());
    }

    @Test
    void unknownIsNotFound() {
        var error = assertThrows(JunctionException.class, () -> resolve("zz"));
        assertEquals(JunctionException.Reason.NOT_FOUND, error.reason());
    }
}
