package dev.junction.core;

/** A container port with its IP protocol number: 6 for TCP, 17 for UDP. */
public record TransportPort(int proto, int port) {
}
