package dev.junction.core;

import java.util.Optional;

/** The kinds of network Junction serves, by their API names. */
public enum NetworkType {
    BRIDGE("bridge"),
    HOST("host"),
    NULL("null");

    private final String apiName;

    NetworkType(String apiName) {
        this.apiName = apiName;
    }

    public String apiName() {
        return apiName;
    }

    /** Resolves an API name; the empty string means {@code bridge}. */
    public static Optional<NetworkType> fromApiName(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of(BRIDGE);
        }
        for (NetworkType type : values()) {
            if (type.apiName.equals(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
