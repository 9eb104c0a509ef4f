#!/bin/bash
# The SFU with each media-port transport, epoll (batched) and nio, side by side, against the
# raw relay, everything on loopback: (a) a fixed load, epoll/nio/epoll/nio, for CPU per
# forwarded packet and delay; (b) a capacity search of each with the raw relay beside it
# (--baseline). Needs the jar and the benchmark classes
# (mvn -B -DskipTests package -pl signaling,benchmarks -am); run from an empty directory.
#
#   benchmarks/transport-side-by-side.sh [fixed|capacity|all]   (default all)
#   BEFORE_JAR=/path/atrium.jar ...   adds a third server, "before", from another build (its
#                                     own media port code; started without -Datrium.transport)
#   TARGETS="epoll epoll2" ...        which servers, of: before (needs BEFORE_JAR), epoll, nio,
#                                     epoll2 (epoll with --forwarding-threads 2: two lanes, each
#                                     on its own loop and socket of the port)
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
J=$ROOT/signaling/target/atrium.jar
CP=$J:$ROOT/benchmarks/target/classes
WHAT=${1:-all}
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; sleep 2; for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done; }
trap cleanup EXIT
# One server per transport, each with its own ports; only one is loaded at a time.
declare -A PID HTTP JAR TRANSPORT ARGS
DEFAULT_TARGETS="epoll nio"
JAR[epoll]=$J; JAR[nio]=$J; JAR[epoll2]=$J
TRANSPORT[epoll]=epoll; TRANSPORT[nio]=nio; TRANSPORT[epoll2]=epoll; TRANSPORT[before]=before
ARGS[epoll2]="--forwarding-threads 2"
if [ -n "${BEFORE_JAR:-}" ]; then DEFAULT_TARGETS="before epoll nio"; JAR[before]=$BEFORE_JAR; fi
TARGETS=${TARGETS:-$DEFAULT_TARGETS}
port=47101
for t in $TARGETS; do
  [ -n "${JAR[$t]:-}" ] || { echo "unknown target $t (or no BEFORE_JAR)" >&2; exit 2; }
  java -Xmx1g -Datrium.transport=${TRANSPORT[$t]} -jar ${JAR[$t]} --http-host 127.0.0.1 --http-port $port --media-address 127.0.0.1 \
    --media-port $((port + 100)) --max-participants 400 --turn-port -1 ${ARGS[$t]:-} > server-$t.log 2>&1 &
  pids+=($!); PID[$t]=$!; HTTP[$t]=$port
  port=$((port + 1))
done
for t in $TARGETS; do
  for i in $(seq 1 60); do curl -sf http://127.0.0.1:${HTTP[$t]}/health/ready >/dev/null && break; sleep 1; done
  grep -o "Media port .* socket(s))" server-$t.log || echo "$t: $(grep -m1 -o 'Media on UDP .*' server-$t.log)"
done
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
run() { # transport name args...
  local t=$1 name=$2; shift 2
  timeout 900 java -Xmx1g -cp $CP org.atrium.bench.load.LoadGenerator --url ws://127.0.0.1:${HTTP[$t]}/ws \
    --server-pid ${PID[$t]} --output $name.json "$@" > $name.txt 2>&1
  echo "== $name (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  grep -E "^target|^sfu |^relay |capacity|ratio|limited" $name.txt
}
if [ "$WHAT" = fixed ] || [ "$WHAT" = all ]; then
  FIXED="--rooms 5 --publishers 2 --subscribers 8 --duration 20 --settle 8"
  for round in 1 2; do
    for t in $TARGETS; do
      run $t fixed-$t-$round $FIXED --room-prefix f$t$round
    done
  done
fi
if [ "$WHAT" = capacity ] || [ "$WHAT" = all ]; then
  # --settle 12: a step's 32 joins (ICE, DTLS, an offer to every member) load the server for
  # several seconds; the window measures the room after them, for the SFU as for the relay.
  CAPACITY="--mode capacity --baseline --rooms 1 --publishers 2 --subscribers 32 --step 32 --max-subscribers 384 --step-duration 10 --settle 12"
  for t in $TARGETS; do
    run $t capacity-$t $CAPACITY --room-prefix c$t
  done
fi
for t in $TARGETS; do
  curl -s http://127.0.0.1:${HTTP[$t]}/metrics | grep -E "^atrium_media_port|^atrium_dropped_packets_total" > metrics-$t.txt
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
