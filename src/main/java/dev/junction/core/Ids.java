package dev.junction.core;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** Object IDs: 64 lowercase hexadecimal characters, as Docker uses. */
public final class Ids {

    /** The length of the ID prefix used in device names and sandbox keys. */
    public static final int SHORT_LENGTH = 12;

    private static final Pattern FULL_ID = Pattern.compile("[0-9a-f]{64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    /**
     * Generates an ID whose short form passes {@code shortFormFree}, so that device names built
     * from it stay unique. The short form is never all digits, which some tools would read as a number.
     */
    public static String generate(Predicate<String> shortFormFree) {
        while (true) {
            byte[] bytes = new byte[32];
            RANDOM.nextBytes(bytes);
            String id = HexFormat.of().formatHex(bytes);
            String shortForm = shorten(id);
            if (!shortForm.chars().allMatch(Character::isDigit) && shortFormFree.test(shortForm)) {
                return id;
            }
        }
    }

    public static String shorten(String id) {
        return id.substring(0, Math.min(SHORT_LENGTH, id.length()));
    }

    public static boolean isFullId(String text) {
        return FULL_ID.matcher(text).matches();
    }
}
