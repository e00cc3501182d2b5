#!/usr/bin/env bash
# Lays out the files of the deb and rpm packages under target/package-root, from the application
# in target/quarkus-app. The tree contains a jlink Java runtime trimmed to the modules jdeps finds,
# the application, and an AOT cache made by a training run of the daemon on that runtime. The
# Maven "packages" profile calls it; it needs root, since the training run creates a network
# namespace.
set -euo pipefail
cd "$(dirname "$0")/.."

target=target
root="$target/package-root"
lib="$root/usr/lib/junction"
java_home="${JAVA_HOME:?JAVA_HOME must point at a Java 25 JDK}"

rm -rf "$root"
mkdir -p "$lib" "$root/usr/bin" "$root/etc/junction" "$root/usr/share/man/man8" "$root/usr/share/doc/junction"

if [ -x "$target/junction-${1:-}-runner" ] 2>/dev/null; then
    # A native build: the executable replaces the runtime, the application and the AOT cache.
    install -m 0755 "$target/junction-$1-runner" "$lib/junctiond"
else
    cp -a "$target/quarkus-app" "$lib/app"

    # jdeps lists the modules the application and its libraries use; the extra ones are loaded
    # by name at run time, where jdeps cannot see them.
    modules=$("$java_home/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release 25 -q \
        --class-path "$lib/app/lib/main/*:$lib/app/lib/boot/*" "$lib/app/quarkus-run.jar" "$lib/app/app/"*.jar "$lib/app/quarkus/"*.jar)
    modules=$(echo "$modules,jdk.crypto.ec,jdk.unsupported,jdk.zipfs,jdk.naming.dns" | tr ',' '\n' | sort -u | paste -sd,)
    echo "jlink modules: $modules"
    # java.desktop is needed for java.beans alone; its native imaging libraries are left out.
    "$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
        --compress=zip-6 --exclude-files='glob:/java.desktop/lib/**' --output "$lib/runtime"
    # Strip every ELF file of the runtime: its libraries and executables.
    find "$lib/runtime" -type f -print0 | while IFS= read -r -d '' file; do
        if [ "$(head -c 4 "$file" | od -An -c | tr -d ' ')" = '177ELF' ]; then
            strip --strip-unneeded "$file"
        fi
    done
    chmod -R u+w,go-w "$lib/runtime"
    find "$lib/runtime/legal" -type f -exec chmod 0644 {} +

    # The SQLite driver's native library, unpacked once here instead of into /tmp at every start.
    mkdir -p "$lib/native"
    sqlite_jar=$(ls "$lib/app/lib/main/"org.xerial.sqlite-jdbc-*.jar)
    unzip -p "$sqlite_jar" org/sqlite/native/Linux/x86_64/libsqlitejdbc.so > "$lib/native/libsqlitejdbc.so"
    strip --strip-unneeded "$lib/native/libsqlitejdbc.so"

    "$(dirname "$0")/train-aot.sh" "$lib"
fi

install -m 0755 packaging/junctiond "$root/usr/bin/junctiond"
install -m 0644 packaging/junction.properties "$root/etc/junction/junction.properties"
gzip -9n < packaging/junctiond.8 > "$root/usr/share/man/man8/junctiond.8.gz"
install -m 0644 packaging/copyright "$root/usr/share/doc/junction/copyright"
gzip -9n < packaging/changelog > "$root/usr/share/doc/junction/changelog.gz"
mkdir -p "$root/usr/lib/systemd/system"
install -m 0644 systemd/junction.service "$root/usr/lib/systemd/system/junction.service"
echo "Package files are in $root"
