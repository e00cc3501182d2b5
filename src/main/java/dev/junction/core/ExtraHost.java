package dev.junction.core;

/** A line to add to a hosts file: {@code address name}. */
public record ExtraHost(String name, String address) {
}
