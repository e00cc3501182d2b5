#!/usr/bin/env bash
# Makes the JDK 25 AOT cache LIB/junction.aot by running the daemon on LIB/runtime through a
# short workload in a network namespace of its own. The cache is made with the same options
# and the same relative class path as the launcher (packaging/junctiond) uses, or the JVM
# ignores it: keep the options of the two files the same.
set -euo pipefail
lib=$(cd "$1" && pwd)
work=$(mktemp -d /tmp/junction-aot-XXXXXX)
netns="jt-aot-$$"
pid=""

cleanup() {
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill -9 "$pid" || true
    fi
    umount -R "$work/run/netns" 2>/dev/null || true
    for mount in $(grep -o " $work[^ ]*" /proc/self/mountinfo | sort -r); do umount -l "$mount" 2>/dev/null || true; done
    ip netns delete "$netns" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

ip netns add "$netns"
socket="$work/run/junction.sock"
(
    cd "$lib"
    exec ./runtime/bin/java --enable-native-access=ALL-UNNAMED -XX:AOTCacheOutput=junction.aot \
        -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -Xss256k -Xms16m -Xmx192m \
        -XX:ReservedCodeCacheSize=48m -Dio.netty.allocator.numDirectArenas=1 -Dio.netty.allocator.numHeapArenas=1 \
        -Dorg.sqlite.lib.path="$lib/native" -Dorg.sqlite.lib.name=libsqlitejdbc.so \
        -Djunction.host-netns="/run/netns/$netns" -Djunction.run-root="$work/run" -Djunction.data-root="$work/data" \
        -jar app/quarkus-run.jar
) > "$work/training.log" 2>&1 &
pid=$!

for _ in $(seq 1 600); do
    if curl -sf --unix-socket "$socket" http://junction/networks >/dev/null 2>&1; then
        break
    fi
    kill -0 "$pid" 2>/dev/null || { cat "$work/training.log"; echo "the training run exited early" >&2; exit 1; }
    sleep 0.1
done

api() {
    curl -sf --unix-socket "$socket" "$@" >/dev/null
}
for round in 1 2 3; do
    api -X POST http://junction/networks -d "{\"name\":\"train$round\"}"
    api -X POST "http://junction/networks/train$round/endpoints" -d '{"name":"ep","port_mapping":[{"proto":6,"port":80,"host_port":0}]}'
    api -X POST "http://junction/networks/train$round/endpoints/ep/containers" -d "{\"container_id\":\"train$round\"}"
    api http://junction/networks
    api "http://junction/networks/train$round/endpoints/ep"
    api -X DELETE "http://junction/networks/train$round/endpoints/ep/containers/train$round"
    api -X DELETE "http://junction/networks/train$round/endpoints/ep"
    api -X DELETE "http://junction/networks/train$round"
    curl -s --unix-socket "$socket" http://junction/networks/missing >/dev/null || true
    api http://junction/q/health/ready
done

kill -TERM "$pid"
wait "$pid" || true
pid=""
test -s "$lib/junction.aot" || { cat "$work/training.log"; echo "no AOT cache was written" >&2; exit 1; }
echo "AOT cache: $(du -h "$lib/junction.aot" | cut -f1)"
