package dev.junction.core;

/** A condition that stops the daemon from starting, with a message for the operator. */
public class StartupException extends RuntimeException {

    public StartupException(String message) {
        super(message);
    }
}
