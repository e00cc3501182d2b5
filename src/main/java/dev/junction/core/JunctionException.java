package dev.junction.core;

/**
 * A request that cannot be carried out because of its input or the current state. The message
 * names the object or field and the value; {@link Reason} decides the HTTP status.
 */
public class JunctionException extends RuntimeException {

    /** Cause of the failure, which selects the HTTP status. */
    public enum Reason {
        /** The request is malformed or a value is invalid (400). */
        INVALID,
        /** A referenced network, endpoint, service or container does not exist (404). */
        NOT_FOUND,
        /** The request conflicts with the current state (409). */
        CONFLICT,
        /** The operation is not allowed on this object (403). */
        FORBIDDEN,
        /** The daemon cannot take the request now, because it is stopping (503). */
        UNAVAILABLE
    }

    private final Reason reason;

    public JunctionException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    public static JunctionException invalid(String format, Object... arguments) {
        return new JunctionException(Reason.INVALID, String.format(format, arguments));
    }

    public static JunctionException notFound(String format, Object... arguments) {
        return new JunctionException(Reason.NOT_FOUND, String.format(format, arguments));
    }

    public static JunctionException conflict(String format, Object... arguments) {
        return new JunctionException(Reason.CONFLICT, String.format(format, arguments));
    }

    public static JunctionException forbidden(String format, Object... arguments) {
        return new JunctionException(Reason.FORBIDDEN, String.format(format, arguments));
    }
}
