package dev.junction.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The libc functions Junction calls, bound with the Foreign Function and Memory API.
 *
 * <p>Every binding is declared in {@link #DOWNCALLS}, so a native-image build can register
 * all of them from this one list. Each wrapper throws {@link KernelException} with the errno
 * that the call captured, so callers never read errno themselves.
 */
final class Libc {

    static final int AF_UNIX = 1;
    static final int AF_NETLINK = 16;
    static final int SOCK_STREAM = 1;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_RAW = 3;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int SO_SNDBUF = 7;
    static final int SO_RCVBUF = 8;

    static final int O_RDONLY = 0;
    static final int O_CLOEXEC = 0x80000;

    static final int CLONE_NEWNET = 0x40000000;

    static final long MS_BIND = 4096;
    static final long MS_REC = 16384;
    static final long MS_PRIVATE = 1 << 18;
    static final long MS_SHARED = 1 << 20;
    static final int MNT_DETACH = 2;

    static final int EINTR = 4;
    static final int EINVAL = 22;

    /** A libc function: its symbol, its C signature and the linker options it needs. */
    record Downcall(String symbol, FunctionDescriptor descriptor, Linker.Option... options) {
    }

    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    static final Downcall SOCKET = new Downcall("socket",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    static final Downcall SETSOCKOPT = new Downcall("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), CAPTURE_ERRNO);
    static final Downcall BIND = new Downcall("bind",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), CAPTURE_ERRNO);
    static final Downcall SENDTO = new Downcall("sendto",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT), CAPTURE_ERRNO);
    static final Downcall RECV = new Downcall("recv",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), CAPTURE_ERRNO);
    static final Downcall CLOSE = new Downcall("close",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    // open(2) is variadic: the mode argument starts the variadic part.
    static final Downcall OPEN = new Downcall("open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), CAPTURE_ERRNO, Linker.Option.firstVariadicArg(2));
    static final Downcall SETNS = new Downcall("setns",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    static final Downcall UNSHARE = new Downcall("unshare",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    static final Downcall MOUNT = new Downcall("mount",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS), CAPTURE_ERRNO);
    static final Downcall UMOUNT2 = new Downcall("umount2",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), CAPTURE_ERRNO);
    // glibc 2.32 and later; used only to name errno values in messages.
    static final Downcall STRERRORNAME_NP = new Downcall("strerrorname_np",
            FunctionDescriptor.of(ADDRESS, JAVA_INT));
    static final Downcall STRERRORDESC_NP = new Downcall("strerrordesc_np",
            FunctionDescriptor.of(ADDRESS, JAVA_INT));

    /** Every downcall this class makes, for build-time registration. */
    static final List<Downcall> DOWNCALLS = List.of(SOCKET, SETSOCKOPT, BIND, SENDTO, RECV, CLOSE, OPEN, SETNS,
            UNSHARE, MOUNT, UMOUNT2, STRERRORNAME_NP, STRERRORDESC_NP);

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LOOKUP = LINKER.defaultLookup();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final MethodHandle SOCKET_HANDLE = bind(SOCKET);
    private static final MethodHandle SETSOCKOPT_HANDLE = bind(SETSOCKOPT);
    private static final MethodHandle BIND_HANDLE = bind(BIND);
    private static final MethodHandle SENDTO_HANDLE = bind(SENDTO);
    private static final MethodHandle RECV_HANDLE = bind(RECV);
    private static final MethodHandle CLOSE_HANDLE = bind(CLOSE);
    private static final MethodHandle OPEN_HANDLE = bind(OPEN);
    private static final MethodHandle SETNS_HANDLE = bind(SETNS);
    private static final MethodHandle UNSHARE_HANDLE = bind(UNSHARE);
    private static final MethodHandle MOUNT_HANDLE = bind(MOUNT);
    private static final MethodHandle UMOUNT2_HANDLE = bind(UMOUNT2);
    private static final MethodHandle STRERRORNAME_HANDLE = bindOptional(STRERRORNAME_NP);
    private static final MethodHandle STRERRORDESC_HANDLE = bindOptional(STRERRORDESC_NP);

    private Libc() {
    }

    private static MethodHandle bind(Downcall downcall) {
        MemorySegment symbol = LOOKUP.find(downcall.symbol())
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + downcall.symbol()));
        return LINKER.downcallHandle(symbol, downcall.descriptor(), downcall.options());
    }

    private static MethodHandle bindOptional(Downcall downcall) {
        return LOOKUP.find(downcall.symbol())
                .map(symbol -> LINKER.downcallHandle(symbol, downcall.descriptor(), downcall.options()))
                .orElse(null);
    }

    static int socket(int domain, int type, int protocol) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int fd = (int) SOCKET_HANDLE.invokeExact(state, domain, type, protocol);
            if (fd < 0) {
                throw failure(state, "socket", "domain " + domain);
            }
            return fd;
        } catch (KernelException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static void setIntOption(int fd, int level, int option, int value, String object) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment valueSegment = arena.allocateFrom(JAVA_INT, value);
            int result = (int) SETSOCKOPT_HANDLE.invokeExact(state, fd, level, option, valueSegment, (int) JAVA_INT.byteSize());
            if (result < 0) {
                throw failure(state, "setsockopt " + option, object);
            }
        } catch (KernelException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static void bind(int fd, MemorySegment address, int addressLength, String object) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int result = (int) BIND_HANDLE.invokeExact(state, fd, address, addressLength);
            if (result < 0) {
                throw failure(state, "bind", object);
            }
        } catch (KernelException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Sends {@code length} bytes of {@code buffer}; retries on EINTR. */
    static long sendTo(int fd, MemorySegment buffer, long length, MemorySegment address, int addressLength, String object) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            while (true) {
                long sent = (long) SENDTO_HANDLE.invokeExact(state, fd, buffer, length, 0, address, addressLength);
                if (sent >= 0) {
                    return sent;
                }
                if (errno(state) != EINTR) {
                    throw failure(state, "sendto", object);
                }
            }
        } catch (KernelException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Receives into {@code buffer}; retries on EINTR and returns the length the kernel reported. */
    static long receive(int fd, MemorySegment buffer, int flags, String object) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            while (true) {
                long received = (long) RECV_HANDLE.invokeExact(state, fd, buffer, buffer.byteSize(), flags);
                if (received >= 0) {
                    return received;
                }
                if (errno(state) != EINTR) {
                    throw failure(state, "recv", object);
                }
            }
        } catch (KernelException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static void close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int result = (int) CLOSE_HANDLE.invokeExact(state, fd);
            // Linux releases the descriptor even when close fails, so a retry could close another file.
            if (result < 0 && errno(state) != EINTR) {
                throw failure(state, "close", "fd " + fd);
            }
        } catch (KernelException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static int open(String path, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int fd = (int) OPEN_HANDLE.invokeExact(state, arena.allocateFrom(path), flags, 0);
            if (fd < 0) {
                throw failure(state, "open", path);
            }
            return fd;
        } catch (KernelException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static void setns(int fd, int nstype, String object) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int result = (int) SETNS_HANDLE.invokeExact(state, fd, nstype);
            if (result < 0) {
                throw failure(state, "setns", object);
            }
        } catch (KernelException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static void unshare(int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int result = (int) UNSHARE_HANDLE.invokeExact(state, flags);
            if (result < 0) {
                throw failure(state, "unshare", "flags 0x" + Integer.toHexString(flags));
            }
        } catch (KernelException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Calls mount(2); a null source, file system type or data is passed as NULL. */
    static void mount(String source, String target, String fileSystemType, long flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment sourceSegment = source == null ? MemorySegment.NULL : arena.allocateFrom(source);
            MemorySegment typeSegment = fileSystemType == null ? MemorySegment.NULL : arena.allocateFrom(fileSystemType);
            int result = (int) MOUNT_HANDLE.invokeExact(state, sourceSegment, arena.allocateFrom(target), typeSegment,
                    flags, MemorySegment.NULL);
            if (result < 0) {
                throw failure(state, "mount", target);
            }
        } catch (KernelException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static void umount2(String target, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int result = (int) UMOUNT2_HANDLE.invokeExact(state, arena.allocateFrom(target), flags);
            if (result < 0) {
                throw failure(state, "umount2", target);
            }
        } catch (KernelException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Returns the symbolic name of an errno value, such as {@code EEXIST}. */
    static String errnoName(int errno) {
        String name = cString(STRERRORNAME_HANDLE, errno);
        return name == null ? "errno " + errno : name;
    }

    /** Returns the description of an errno value, such as {@code File exists}. */
    static String errnoDescription(int errno) {
        String description = cString(STRERRORDESC_HANDLE, errno);
        return description == null ? "error " + errno : description;
    }

    private static String cString(MethodHandle handle, int errno) {
        if (handle == null) {
            return null;
        }
        try {
            MemorySegment text = (MemorySegment) handle.invokeExact(errno);
            return text.equals(MemorySegment.NULL) ? null : text.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return null;
        }
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    private static KernelException failure(MemorySegment state, String operation, String object) {
        return new KernelException(operation, object, errno(state));
    }
}
