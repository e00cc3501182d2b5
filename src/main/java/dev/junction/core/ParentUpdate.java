package dev.junction.core;

/** A hosts-file entry to add to the sandbox of another endpoint, named by its ID. */
public record ParentUpdate(String endpointId, String name, String address) {
}
