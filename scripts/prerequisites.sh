# Sourced by scripts/run and scripts/test: checks for root, installs the Debian packages the
# daemon and its tests use when they are missing, and points JAVA_HOME at a Java 25 JDK.

if [ "$(id -u)" -ne 0 ]; then
    echo "Junction creates bridges, veth pairs and network namespaces, which needs root: run this with sudo." >&2
    exit 1
fi

missing=""
command -v ip >/dev/null 2>&1 || missing="$missing iproute2"
command -v nft >/dev/null 2>&1 || missing="$missing nftables"
command -v ping >/dev/null 2>&1 || missing="$missing iputils-ping"
command -v nsenter >/dev/null 2>&1 || missing="$missing util-linux"
command -v curl >/dev/null 2>&1 || missing="$missing curl"
command -v socat >/dev/null 2>&1 || missing="$missing socat"
command -v lintian >/dev/null 2>&1 || missing="$missing lintian"
command -v rpm >/dev/null 2>&1 || missing="$missing rpm"
command -v systemd-analyze >/dev/null 2>&1 || missing="$missing systemd"
command -v strip >/dev/null 2>&1 || missing="$missing binutils"
command -v unzip >/dev/null 2>&1 || missing="$missing unzip"
if [ -n "$missing" ]; then
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "Install these packages with your package manager first:$missing" >&2
        exit 1
    fi
    echo "Installing Debian packages:$missing"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing >/dev/null \
        || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing >/dev/null; } \
        || { echo "apt-get could not install:$missing" >&2; exit 1; }
fi

java_major() {
    "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'
}

if [ -z "${JAVA_HOME:-}" ] || [ "$(java_major "$JAVA_HOME" 2>/dev/null)" != "25" ]; then
    JAVA_HOME=""
    for candidate in /usr/lib/jvm/temurin-25* /usr/lib/jvm/*-25-* /usr/lib/jvm/*25*; do
        if [ -x "$candidate/bin/java" ] && [ "$(java_major "$candidate")" = "25" ]; then
            JAVA_HOME="$candidate"
            break
        fi
    done
    if [ -z "$JAVA_HOME" ]; then
        echo "No Java 25 JDK found under /usr/lib/jvm. Install one (for example Temurin 25 from adoptium.net) or set JAVA_HOME." >&2
        exit 1
    fi
fi
export JAVA_HOME
