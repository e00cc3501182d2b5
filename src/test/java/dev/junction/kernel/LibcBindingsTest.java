package dev.junction.kernel;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

import static org.junit.jupiter.api.Assertions.assertTrue;

class LibcBindingsTest {

    /** A native build registers only the downcalls in the list, so a binding missing from it would fail there alone. */
    @Test
    void everyDowncallIsListedForNativeBuilds() throws IllegalAccessException {
        for (Field field : Libc.class.getDeclaredFields()) {
            if (field.getType() == Libc.Downcall.class && Modifier.isStatic(field.getModifiers())) {
                field.setAccessible(true);
                Object downcall = field.get(null);
                assertTrue(Libc.DOWNCALLS.contains(downcall), "Libc." + field.getName() + " is missing from Libc.DOWNCALLS");
            }
        }
    }
}
