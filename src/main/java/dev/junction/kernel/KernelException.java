package dev.junction.kernel;

/**
 * A failed kernel call: the operation, the object it acted on and the errno the kernel returned.
 *
 * <p>The message reads like {@code "RTM_NEWLINK veth jv-3f2a1c9e0b7d: EEXIST (File exists)"},
 * followed by the kernel's extended acknowledgement text when netlink sent one.
 */
public final class KernelException extends RuntimeException {

    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;
    public static final int EADDRNOTAVAIL = 99;

    private final String operation;
    private final String object;
    private final int errno;

    public KernelException(String operation, String object, int errno) {
        this(operation, object, errno, null);
    }

    public KernelException(String operation, String object, int errno, String kernelMessage) {
        super(format(operation, object, errno, kernelMessage));
        this.operation = operation;
        this.object = object;
        this.errno = errno;
    }

    private static String format(String operation, String object, int errno, String kernelMessage) {
        StringBuilder text = new StringBuilder(operation);
        if (object != null && !object.isEmpty()) {
            text.append(' ').append(object);
        }
        text.append(": ").append(Libc.errnoName(errno)).append(" (").append(Libc.errnoDescription(errno)).append(')');
        if (kernelMessage != null && !kernelMessage.isEmpty()) {
            text.append(": ").append(kernelMessage);
        }
        return text.toString();
    }

    public String operation() {
        return operation;
    }

    public String object() {
        return object;
    }

    public int errno() {
        return errno;
    }

    /** Returns the errno's symbolic name, such as {@code EEXIST}. */
    public String errnoName() {
        return Libc.errnoName(errno);
    }
}
