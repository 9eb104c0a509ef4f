#!/bin/bash
# One room over three nodes of a cluster against the same room on one node, side by side
# (single, cluster, single, cluster), everything on loopback. Needs redis-server and the jar
# (mvn -B -DskipTests package -pl signaling,benchmarks -am); run from an empty directory.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
J=$ROOT/signaling/target/atrium.jar
CP=$J:$ROOT/benchmarks/target/classes
SECRET="benchmark cluster secret of 32 bytes or more"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; sleep 2; for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done; }
trap cleanup EXIT
/usr/bin/redis-server --port 46379 --bind 127.0.0.1 --save '' --appendonly no > redis.log 2>&1 & pids+=($!)
sleep 1
for n in 1 2 3; do
  java -Xmx512m -jar $J --http-host 127.0.0.1 --http-port 4610$n --media-address 127.0.0.1 --media-port 4620$n \
    --redis redis://127.0.0.1:46379 --node-id node$n --cluster-secret "$SECRET" --max-participants 300 --turn-port -1 > node$n.log 2>&1 &
  pids+=($!); eval "P$n=$!"
done
java -Xmx512m -jar $J --http-host 127.0.0.1 --http-port 46104 --media-address 127.0.0.1 --media-port 46204 \
  --max-participants 300 --turn-port -1 > single.log 2>&1 & pids+=($!); PS=$!
for port in 46101 46102 46103 46104; do
  for i in $(seq 1 60); do curl -sf http://127.0.0.1:$port/health/ready >/dev/null && break; sleep 1; done
done
echo "pids nodes $P1 $P2 $P3 single $PS"
LOAD="--rooms 1 --publishers 2 --subscribers 10 --duration 30 --settle 8 --ramp-up 5"
for round in 1 2; do
  timeout 150 java -cp $CP org.atrium.bench.load.LoadGenerator --url ws://127.0.0.1:46104/ws --server-pid $PS $LOAD \
    --room-prefix single$round --output single-$round.json > single-$round.txt 2>&1
  timeout 150 java -cp $CP org.atrium.bench.load.LoadGenerator \
    --url ws://127.0.0.1:46101/ws,ws://127.0.0.1:46102/ws,ws://127.0.0.1:46103/ws --server-pid $P1,$P2,$P3 $LOAD \
    --room-prefix cluster$round --output cluster-$round.json > cluster-$round.txt 2>&1
done
curl -s http://127.0.0.1:46101/api/cluster > cluster-api.json
for port in 46101 46102 46103; do curl -s http://127.0.0.1:$port/metrics | grep -E "^atrium_relay_(packets|links|retrans|dropped)" > metrics-$port.txt; done
