package dev.junction.core;

import java.util.regex.Pattern;

/**
 * Names of networks, endpoints and services. A name may start with one {@code /}, in the style
 * of Docker container names, and {@code /web} and {@code web} are the same name.
 */
public final class Names {

    public static final String PATTERN = "/?[A-Za-z0-9][A-Za-z0-9_.-]{0,63}";
    public static final String RULE = "1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit, optionally after one '/'";

    private static final Pattern NAME = Pattern.compile(PATTERN);

    private Names() {
    }

    public static boolean isValid(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** Returns the form used to compare names: without the optional leading {@code /}. */
    public static String key(String name) {
        return name.startsWith("/") ? name.substring(1) : name;
    }
}
