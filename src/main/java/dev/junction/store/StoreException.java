package dev.junction.store;

/** A failed read or write of the state database after it was opened. */
public class StoreException extends RuntimeException {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
