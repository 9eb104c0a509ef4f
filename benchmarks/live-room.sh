#!/bin/bash
# Server CPU per forwarded packet in a live room of headless Chromium pages, on loopback only.
#
#   benchmarks/live-room.sh [--jar PATH] [--seconds N] [--browsers N] [--profile]
#                           [--java-opts "..."] [--settle N] [--fps N] [--out DIR]
#
# Starts the server jar (default signaling/target/atrium.jar: build it with
# `mvn -B -o -q -DskipTests package -pl signaling -am`) with its built-in defaults on free
# loopback ports, opens N headless Chromium pages (one chromedriver, one Chromium per page) on
# /room/NAME?name=..., which joins at once and publishes the fake camera and microphone, waits
# until every page decodes video and receives audio from all the others, lets the room settle,
# then measures over a window of --seconds: forwarded and received packets/s (the server's
# /metrics), server CPU (user+sys from /proc/PID/stat) and per thread, the browsers' CPU, load
# average. --profile records the server with JFR (settings=profile) and prints the window's hot
# methods, allocation rate and allocation sites. A Markdown report goes to stdout and to
# OUT/report.md (default benchmarks/target/live-room/<UTC time>/).
#
# Everything runs in a fresh network namespace that has only loopback (unshare -n, needs root):
# the server, chromedriver and every Chromium; no packet leaves the machine.
set -u
set -o pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SELF="$ROOT/benchmarks/live-room.sh"
JAR="$ROOT/signaling/target/atrium.jar"
SECONDS_WINDOW=60
BROWSERS=4
PROFILE=0
JAVA_OPTS=""
SETTLE=10
FPS=10
OUT=""
READY_TIMEOUT=120
CHROMIUM=/usr/bin/chromium
CHROMEDRIVER=/usr/bin/chromedriver

usage() { sed -n '2,19p' "$SELF" | sed 's/^# \{0,1\}//'; }
die() { echo "live-room: $*" >&2; exit 1; }

ARGS=("$@")
while [ $# -gt 0 ]; do
  case "$1" in
    --jar) JAR=$2; shift 2 ;;
    --seconds) SECONDS_WINDOW=$2; shift 2 ;;
    --browsers) BROWSERS=$2; shift 2 ;;
    --profile) PROFILE=1; shift ;;
    --java-opts) JAVA_OPTS=$2; shift 2 ;;
    --settle) SETTLE=$2; shift 2 ;;
    --fps) FPS=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
[[ $SECONDS_WINDOW =~ ^[0-9]+$ ]] && [ "$SECONDS_WINDOW" -ge 5 ] && [ "$SECONDS_WINDOW" -le 1800 ] || die "--seconds: 5 to 1800"
[[ $BROWSERS =~ ^[0-9]+$ ]] && [ "$BROWSERS" -ge 2 ] && [ "$BROWSERS" -le 8 ] || die "--browsers: 2 to 8"
[[ $SETTLE =~ ^[0-9]+$ ]] && [ "$SETTLE" -le 600 ] || die "--settle: 0 to 600"
[[ $FPS =~ ^[0-9]+$ ]] && [ "$FPS" -ge 1 ] && [ "$FPS" -le 60 ] || die "--fps: 1 to 60"
JAR=$(cd "$(dirname "$JAR")" 2>/dev/null && echo "$PWD/$(basename "$JAR")") || die "no such jar directory"
[ -f "$JAR" ] || die "no jar at $JAR (build it: mvn -B -o -q -DskipTests package -pl signaling -am)"
[ -x "$CHROMIUM" ] && [ -x "$CHROMEDRIVER" ] || die "needs $CHROMIUM and $CHROMEDRIVER (apt-get install chromium chromium-driver)"
for tool in curl jq ss java; do command -v $tool >/dev/null || die "needs $tool"; done

# ---- into a network namespace that has only loopback --------------------------------------
if [ -z "${ATRIUM_LIVE_ROOM_INNER:-}" ]; then
  command -v unshare >/dev/null || die "needs unshare (util-linux) and root, for a loopback-only network namespace"
  exec unshare -n env ATRIUM_LIVE_ROOM_INNER=1 bash -c 'ip link set lo up && exec "$0" "$@"' "$SELF" "${ARGS[@]}"
fi
UP=$(ip -o link show up | awk -F': ' '{print $2}' | grep -v '^lo$' || true)
[ -z "$UP" ] || die "refusing to run: interfaces other than lo are up in this namespace: $UP"

JAVA_BIN=$(command -v java)
JCMD_BIN=$(dirname "$(readlink -f "$JAVA_BIN")")/jcmd
if [ "$PROFILE" = 1 ]; then [ -x "$JCMD_BIN" ] || die "--profile needs jcmd beside $JAVA_BIN"; fi
CLK_TCK=$(getconf CLK_TCK)
STAMP=$(date -u +%Y%m%d-%H%M%S)
[ -n "$OUT" ] || OUT="$ROOT/benchmarks/target/live-room/$STAMP"
mkdir -p "$OUT" || die "cannot create $OUT"
OUT=$(cd "$OUT" && pwd)
TMP=$(mktemp -d /tmp/atrium-live-room.XXXXXX)
ROOM="live-$STAMP"
log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }

SERVER_PID=""
CD_PID=""
SESSIONS=()
BROWSER_PIDS=()

descendants() { # PID: every live descendant of PID (not PID itself)
  cat /proc/[0-9]*/stat 2>/dev/null | awk -v root="$1" '
    { rest = $0; sub(/^.*\) /, "", rest); split(rest, f, " "); kids[f[2]] = kids[f[2]] " " $1 }
    END { queue[1] = root; n = 1
      for (i = 1; i <= n; i++) { m = split(kids[queue[i]], c, " "); for (j = 1; j <= m; j++) { queue[++n] = c[j]; print c[j] } } }'
}

stop_processes() { # browsers (through their sessions), chromedriver, server; each by its PID
  set +e
  local s p i
  if [ -n "$CD_PID" ]; then
    BROWSER_PIDS+=($(descendants "$CD_PID"))
    for s in "${SESSIONS[@]:-}"; do
      [ -n "$s" ] && curl -s -m 10 -X DELETE "$CD/session/$s" >/dev/null
    done
    kill "$CD_PID" 2>/dev/null
  fi
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null
    for i in $(seq 1 40); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$SERVER_PID" 2>/dev/null
  fi
  sleep 1
  # Whatever Chromium process outlived its session: only those this run started (descendants of
  # its chromedriver, recorded above), and only if the PID still names a Chromium process.
  for p in "${BROWSER_PIDS[@]:-}"; do
    [ -n "$p" ] && [ -r "/proc/$p/cmdline" ] || continue
    if tr '\0' ' ' < "/proc/$p/cmdline" 2>/dev/null | grep -q -e chromium -e chrome; then kill -9 "$p" 2>/dev/null; fi
  done
  [ -n "$CD_PID" ] && kill -9 "$CD_PID" 2>/dev/null
  wait 2>/dev/null
  SESSIONS=(); BROWSER_PIDS=(); CD_PID=""; SERVER_PID=""
}
cleanup() {
  trap - EXIT INT TERM
  stop_processes
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { # a TCP and UDP port that nothing listens on here
  local p i
  for i in $(seq 1 50); do
    p=$((20000 + RANDOM % 40000))
    if ! ss -Hltun | awk '{print $5}' | grep -q ":$p\$"; then
      case " ${USED_PORTS:-} " in *" $p "*) continue ;; esac
      USED_PORTS="${USED_PORTS:-} $p"; echo "$p"; return 0
    fi
  done
  die "no free port found"
}

HTTP_PORT=$(free_port)
MEDIA_PORT=$(free_port)
CD_PORT=$(free_port)
BASE="http://127.0.0.1:$HTTP_PORT"
CD="http://127.0.0.1:$CD_PORT"

# ---- server -------------------------------------------------------------------------------
JFR_FILE="$OUT/server.jfr"
JFR_OPTS=()
if [ "$PROFILE" = 1 ]; then
  # The profile settings, with the per-thread allocation counters once a second (profile.jfc
  # has them once per chunk), so that the window's allocation can be read from them.
  JFC="$TMP/live-room.jfc"
  sed '/name="jdk.ThreadAllocationStatistics"/,/<\/event>/ s|<setting name="period">[^<]*</setting>|<setting name="period">1 s</setting>|' \
    "$(dirname "$(readlink -f "$JAVA_BIN")")/../lib/jfr/profile.jfc" > "$JFC" || die "cannot read profile.jfc"
  JFR_OPTS=("-XX:StartFlightRecording=name=live-room,settings=$JFC,dumponexit=false")
fi
# shellcheck disable=SC2086
"$JAVA_BIN" $JAVA_OPTS "${JFR_OPTS[@]}" -jar "$JAR" --http-host 127.0.0.1 --http-port "$HTTP_PORT" \
  --media-address 127.0.0.1 --media-port "$MEDIA_PORT" --turn-port -1 > "$OUT/server.log" 2>&1 &
SERVER_PID=$!
log "server pid $SERVER_PID on $BASE, media port $MEDIA_PORT${JAVA_OPTS:+, java options: $JAVA_OPTS}"
for i in $(seq 1 120); do
  curl -sf -m 2 "$BASE/health/ready" >/dev/null && break
  kill -0 "$SERVER_PID" 2>/dev/null || die "server exited; see $OUT/server.log"
  sleep 0.5
done
curl -sf -m 2 "$BASE/health/ready" >/dev/null || die "server not ready after 60 s; see $OUT/server.log"

# ---- browsers -----------------------------------------------------------------------------
"$CHROMEDRIVER" --port="$CD_PORT" --allowed-ips=127.0.0.1 > "$OUT/chromedriver.log" 2>&1 &
CD_PID=$!
for i in $(seq 1 40); do curl -sf -m 2 "$CD/status" >/dev/null && break; sleep 0.25; done
curl -sf -m 2 "$CD/status" >/dev/null || die "chromedriver did not start; see $OUT/chromedriver.log"

wd() { # METHOD PATH [JSON]: one W3C WebDriver call, the response's value on stdout
  local r
  r=$(curl -s -m "${WD_TIMEOUT:-40}" -X "$1" -H 'Content-Type: application/json' "$CD$2" ${3:+-d "$3"}) || return 1
  echo "$r" | jq -c '.value'
}

for i in $(seq 1 "$BROWSERS"); do
  mkdir -p "$TMP/profile-$i"
  caps=$(jq -nc --arg bin "$CHROMIUM" --arg dir "$TMP/profile-$i" --arg fps "$FPS" '{capabilities: {alwaysMatch: {
      browserName: "chrome",
      "goog:chromeOptions": {binary: $bin, excludeSwitches: ["enable-automation"],
        args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               ("--use-fake-device-for-media-stream=fps=" + $fps), "--use-fake-ui-for-media-stream",
               "--allow-loopback-in-peer-connection", "--autoplay-policy=no-user-gesture-required",
               "--disable-dev-shm-usage", "--window-size=1920,1080", ("--user-data-dir=" + $dir)]}}}}')
  v=$(wd POST /session "$caps") || die "chromedriver session $i failed"
  s=$(echo "$v" | jq -r '.sessionId // empty')
  [ -n "${CHROMIUM_VERSION:-}" ] || CHROMIUM_VERSION=$(echo "$v" | jq -r '.capabilities.browserVersion // empty' | sed 's/^./Chromium &/')
  [ -n "$s" ] || die "chromedriver session $i failed: $v"
  SESSIONS+=("$s")
  wd POST "/session/$s/timeouts" '{"script": 30000}' >/dev/null
  wd POST "/session/$s/url" "$(jq -nc --arg u "$BASE/room/$ROOM?name=page$i" '{url: $u}')" >/dev/null \
    || die "page $i did not load"
  log "page $i: session $s"
done
[ -n "${CHROMIUM_VERSION:-}" ] || CHROMIUM_VERSION=$("$CHROMIUM" --version 2>/dev/null | tail -1)

# What one page receives, per remote participant: video frames decoded, audio packets.
PAGE_STATS='const done = arguments[arguments.length - 1];
(async () => {
  const a = window.atrium;
  if (!a || !a.pc) return {state: a ? a.state : "no hook", remotes: 0, video: 0, audio: 0, frames: 0, audioPackets: 0};
  const stats = await a.pc.getStats();
  const byTrack = {};
  let sentFrames = 0; const limits = [], sent = [];
  stats.forEach(s => {
    if (s.type === "inbound-rtp" && s.trackIdentifier) byTrack[s.trackIdentifier] = s;
    if (s.type === "outbound-rtp" && s.kind === "video") {
      sentFrames += s.framesEncoded || 0;
      if (s.frameWidth) sent.push((s.rid || "-") + ":" + s.frameWidth + "x" + s.frameHeight);
      if (s.qualityLimitationReason) limits.push(s.qualityLimitationReason);
    }
  });
  let video = 0, audio = 0, frames = 0, audioPackets = 0; const sizes = [];
  for (const [id, remote] of a.remote) {
    for (const track of remote.stream ? remote.stream.getTracks() : []) {
      const s = byTrack[track.id];
      if (!s) continue;
      if (track.kind === "video" && s.framesDecoded > 0) { video++; frames += s.framesDecoded; sizes.push(s.frameWidth + "x" + s.frameHeight); }
      if (track.kind === "audio" && s.packetsReceived > 0) { audio++; audioPackets += s.packetsReceived; }
    }
  }
  return {state: a.state, remotes: a.remote.size, video, audio, frames, audioPackets, sentFrames, sizes, sent: sent.sort(), limits, now: Date.now()};
})().then(done, e => done({error: String(e)}));'
PAGE_STATS_JSON=$(jq -nc --arg s "$PAGE_STATS" '{script: $s, args: []}')
page_stats() { # one JSON line per page
  local s
  for s in "${SESSIONS[@]}"; do
    wd POST "/session/$s/execute/async" "$PAGE_STATS_JSON" || echo '{"error":"webdriver"}'
  done
}

want=$((BROWSERS - 1))
deadline=$(( $(date +%s) + READY_TIMEOUT ))
ready=0
while [ "$(date +%s)" -lt "$deadline" ]; do
  stats=$(page_stats)
  ok=$(echo "$stats" | jq -s --argjson w "$want" '[.[] | select(.video == $w and .audio == $w)] | length')
  if [ "$ok" = "$BROWSERS" ]; then ready=1; break; fi
  sleep 2
done
echo "$stats" > "$OUT/pages-ready.json"
[ "$ready" = 1 ] || die "not every page decoded the $want others within ${READY_TIMEOUT}s: $(echo "$stats" | jq -c '{state, video, audio}' | tr '\n' ' ')"
log "every page decodes video and receives audio from the $want others; settling ${SETTLE}s"
sleep "$SETTLE" & wait $!

# ---- the window ---------------------------------------------------------------------------
proc_times() { # PID: "utime stime" in ticks of a process
  awk '{ sub(/^.*\) /, ""); print $12, $13 }' "/proc/$1/stat" 2>/dev/null || echo 0 0
}
thread_times() { # PID: "tid ticks name" per thread (the kernel's name, at most 15 characters)
  cat /proc/"$1"/task/*/stat 2>/dev/null | awk '{
    name = $0; sub(/^[^(]*\(/, "", name); sub(/\)[^)]*$/, "", name)
    rest = $0; sub(/^.*\) /, "", rest); split(rest, f, " "); print $1, f[12] + f[13], name }'
}
browser_times() { # "pid ticks" for chromedriver and every process under it, from one read of /proc
  cat /proc/[0-9]*/stat 2>/dev/null | awk -v root="$CD_PID" '
    { rest = $0; sub(/^.*\) /, "", rest); split(rest, f, " "); kids[f[2]] = kids[f[2]] " " $1; t[$1] = f[12] + f[13] }
    END { queue[1] = root; n = 1
      for (i = 1; i <= n; i++) { print queue[i], t[queue[i]] + 0; m = split(kids[queue[i]], c, " "); for (j = 1; j <= m; j++) queue[++n] = c[j] } }'
}
metric_sum() { # FILE NAME: sum of a metric over its labels
  awk -v n="$2" '$1 == n || index($1, n "{") == 1 { s += $NF } END { printf "%.0f\n", s }' "$1"
}
snapshot() { # TAG: the start reads the API first, the end last, so that neither answer is in the window
  if [ "$1" = start ]; then
    curl -sf -m 5 "$BASE/api/rooms/$ROOM" > "$TMP/$1.room"
    curl -sf -m 5 "$BASE/metrics" > "$TMP/$1.metrics"
  fi
  date +%s%N > "$TMP/$1.time"
  proc_times "$SERVER_PID" > "$TMP/$1.server"
  thread_times "$SERVER_PID" > "$TMP/$1.threads"
  browser_times > "$TMP/$1.browsers"
  cut -d' ' -f1-3 /proc/loadavg > "$TMP/$1.load"
  if [ "$1" = end ]; then
    curl -sf -m 5 "$BASE/metrics" > "$TMP/$1.metrics"
    curl -sf -m 5 "$BASE/api/rooms/$ROOM" > "$TMP/$1.room"
  fi
}

page_stats > "$TMP/start.pages"
snapshot start
log "measuring ${SECONDS_WINDOW}s"
sleep "$SECONDS_WINDOW" & wait $!
snapshot end
page_stats > "$TMP/end.pages"
cp "$TMP"/start.* "$TMP"/end.* "$OUT"/ 2>/dev/null
kill -0 "$SERVER_PID" 2>/dev/null || die "server died during the window; see $OUT/server.log"

# Full Java thread names (the kernel keeps 15 characters), read once the window is over.
"$JCMD_BIN" "$SERVER_PID" Thread.print 2>/dev/null | awk '
  function hex(h,   i, v) { v = 0; h = tolower(h); for (i = 1; i <= length(h); i++) v = v * 16 + index("0123456789abcdef", substr(h, i, 1)) - 1; return v }
  /^"/ && match($0, /nid=0x[0-9a-fA-F]+/) { nid = hex(substr($0, RSTART + 6, RLENGTH - 6)); name = $0; sub(/^"/, "", name); sub(/".*$/, "", name); print nid, name }' \
  > "$OUT/thread-names" 2>/dev/null
if [ "$PROFILE" = 1 ]; then
  "$JCMD_BIN" "$SERVER_PID" JFR.dump name=live-room filename="$JFR_FILE" > "$OUT/jcmd.log" 2>&1 \
    || log "JFR.dump failed: $(cat "$OUT/jcmd.log")"
fi
log "stopping the browsers and the server"
stop_processes

# ---- figures ------------------------------------------------------------------------------
T0=$(cat "$TMP/start.time"); T1=$(cat "$TMP/end.time")
ELAPSED=$(awk -v a="$T0" -v b="$T1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
FWD0=$(metric_sum "$TMP/start.metrics" atrium_forwarded_packets_total)
FWD1=$(metric_sum "$TMP/end.metrics" atrium_forwarded_packets_total)
RCV0=$(metric_sum "$TMP/start.metrics" atrium_rtp_packets_received_total)
RCV1=$(metric_sum "$TMP/end.metrics" atrium_rtp_packets_received_total)
SNT0=$(metric_sum "$TMP/start.metrics" atrium_rtp_packets_sent_total)
SNT1=$(metric_sum "$TMP/end.metrics" atrium_rtp_packets_sent_total)
read -r USR0 SYS0 < "$TMP/start.server"; read -r USR1 SYS1 < "$TMP/end.server"
CPU0=$((USR0 + SYS0)); CPU1=$((USR1 + SYS1))
SYS_PCT=$(awk -v u="$((USR1 - USR0))" -v s="$((SYS1 - SYS0))" 'BEGIN { printf "%.0f", (u + s > 0 ? 100 * s / (u + s) : 0) }')
BCPU=$(awk 'NR == FNR { s[$1] = $2; next } { d += $2 - ($1 in s ? s[$1] : 0) } END { print d + 0 }' \
  "$TMP/start.browsers" "$TMP/end.browsers")
NBROWSERPROCS=$(wc -l < "$TMP/end.browsers")
read -r FPPS RPPS SPPS SCPU US BPCT < <(awk -v e="$ELAPSED" -v f="$((FWD1 - FWD0))" -v r="$((RCV1 - RCV0))" -v sn="$((SNT1 - SNT0))" \
  -v c="$((CPU1 - CPU0))" -v b="$BCPU" -v hz="$CLK_TCK" 'BEGIN {
    cs = c / hz
    printf "%.0f %.0f %.0f %.1f %.2f %.1f\n", f / e, r / e, sn / e, 100 * cs / e, (f > 0 ? 1e6 * cs / f : 0), 100 * b / hz / e }')
KIND_FWD=$(awk 'NR == FNR { if ($1 ~ /^atrium_forwarded_packets_total\{/) s[$1] = $NF; next }
  $1 ~ /^atrium_forwarded_packets_total\{/ { k = $1; sub(/^[^{]*\{/, "", k); sub(/\}$/, "", k); printf "%s%s %.0f", sep, k, $NF - s[$1]; sep = ", " }' \
  "$TMP/start.metrics" "$TMP/end.metrics")
# Flows that moved over the window, from the stats API: per receiver, per received track.
room_flows() { jq -r '.participants[] | .id as $p | .received[] | "\($p) \(.trackId) \(.kind) \(.packets)"' "$1" 2>/dev/null; }
FLOWS=$(awk 'NR == FNR { s[$1 " " $2] = $4; next } ($1 " " $2) in s && $4 > s[$1 " " $2] { n[$3]++ }
  END { printf "%d video, %d audio", n["video"], n["audio"] }' <(room_flows "$TMP/start.room") <(room_flows "$TMP/end.room"))
PAGES=$(jq -s -r --slurpfile a "$TMP/start.pages" '
  [range(0; length) as $i | .[$i] as $z | $a[$i] as $s | ((([$z.now // 0, 1] | max) - ($s.now // 0)) / 1000 | if . > 0 then . else 1 end) as $e |
   {fps: ((($z.frames // 0) - ($s.frames // 0)) / $e / ([$z.video, 1] | max)),
    apps: ((($z.audioPackets // 0) - ($s.audioPackets // 0)) / $e / ([$z.audio, 1] | max)),
    sent: ((($z.sentFrames // 0) - ($s.sentFrames // 0)) / $e), sizes: ($z.sizes // [] | unique | join(" ")),
    layers: ($z.sent // [] | join(" ")), limits: ($z.limits // [] | unique | join(" "))}]
  | map("\(.fps * 10 | round / 10) frames/s decoded per remote video, \(.apps | round) audio packets/s per remote audio; received sizes \(.sizes); sends \(.layers) (\(.sent * 10 | round / 10) frames/s encoded in all, limited by: \(.limits))")
  | to_entries | map("  - page \(.key + 1): \(.value)") | join("\n")' "$TMP/end.pages")
TRANSPORTS=$(jq -r '[.participants[].transport | "\(.srtpProfile) \(.congestionFeedback)"] | group_by(.) | map("\(.[0]) ×\(length)") | join(", ")' "$TMP/end.room" 2>/dev/null)
LOAD0=$(cat "$TMP/start.load"); LOAD1=$(cat "$TMP/end.load")
CPU_MODEL=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
SERVER_JAVA=$("$JAVA_BIN" -version 2>&1 | head -1)
THREAD_TABLE=$(awk -v hz="$CLK_TCK" -v e="$ELAPSED" -v total="$((CPU1 - CPU0))" -v fwd="$((FWD1 - FWD0))" '
  FILENAME == ARGV[1] { n = $0; sub(/^[^ ]+ /, "", n); full[$1] = n; next }
  FILENAME == ARGV[2] { s[$1] = $2; next }
  { name = $0; sub(/^[^ ]+ [^ ]+ /, "", name); if ($1 in full) name = full[$1]
    g = name   # digits after a separator become N: atrium-timer-0 and -1 are one group
    while (match(g, /[-#@_:.\/ ][0-9]+/)) g = substr(g, 1, RSTART) "N" substr(g, RSTART + RLENGTH)
    d = $2 - ($1 in s ? s[$1] : 0); ticks[g] += d; count[g]++
    if (name ~ /^C[12] CompilerThre/) jit += d }
  END {
    for (g in ticks) if (ticks[g] > 0) printf "T\t%d\t| %s | %d | %.2f | %.1f | %.1f |\n", ticks[g], g, count[g], ticks[g] / hz, 100 * ticks[g] / hz / e, (total > 0 ? 100 * ticks[g] / total : 0)
    printf "J\t%.1f\t%.2f\n", (total > 0 ? 100 * jit / total : 0), (fwd > 0 ? 1e6 * (total - jit) / hz / fwd : 0)
  }' "$OUT/thread-names" "$TMP/start.threads" "$TMP/end.threads")
THREADS=$(echo "$THREAD_TABLE" | awk -F'\t' '$1 == "T"' | sort -t$'\t' -k2,2rn | cut -f3 | head -20)
read -r JIT_PCT US_NO_JIT < <(echo "$THREAD_TABLE" | awk -F'\t' '$1 == "J" { print $2, $3 }')

REPORT="$OUT/report.md"
{
  echo "#### Live room: $BROWSERS Chromium pages, ${SECONDS_WINDOW} s window$([ "$PROFILE" = 1 ] && echo ", JFR profile on")"
  echo
  echo "- date: $(date -u -d "@$((T0 / 1000000000))" '+%Y-%m-%d %H:%M:%S UTC') (window start)"
  echo "- machine: $(nproc) vCPU $CPU_MODEL, $SERVER_JAVA, $CHROMIUM_VERSION"
  echo "- jar: \`$JAR\` ($(stat -c %s "$JAR") B, $(date -u -r "$JAR" '+%Y-%m-%d %H:%M UTC'))$([ -n "$JAVA_OPTS" ] && echo ", java options \`$JAVA_OPTS\`")"
  echo "- command: \`benchmarks/live-room.sh ${ARGS[*]}\`"
  echo "- load average (1, 5, 15 min): $LOAD0 at the start, $LOAD1 at the end"
  echo "- flows forwarding during the window (stats API): $FLOWS (of $((BROWSERS * (BROWSERS - 1))) each)"
  echo "- transports (SRTP profile, congestion feedback): $TRANSPORTS"
  echo "- what the pages got over the window (getStats):"
  echo "$PAGES"
  echo
  echo "| window s | forwarded pkt/s | received pkt/s | sent pkt/s | server CPU % | server CPU µs / forwarded pkt | browsers CPU % ($NBROWSERPROCS processes) |"
  echo "|---:|---:|---:|---:|---:|---:|---:|"
  echo "| $ELAPSED | $FPPS | $RPPS | $SPPS | $SCPU | **$US** | $BPCT |"
  echo
  echo "Forwarded packets by label over the window: $KIND_FWD. Received: RTP from the publishers"
  echo "(every simulcast layer); sent: all RTP the server sent (forwarded, retransmitted, probes). CPU % is of one"
  echo "core (the machine has $(nproc)). Of the server's CPU, $SYS_PCT % was system time (on loopback a send"
  echo "system call also carries the packet through the kernel to the receiving socket)."
  echo "The JIT compiler threads took $JIT_PCT % of the server's CPU in the window; without them: $US_NO_JIT µs per forwarded packet."
  echo
  echo "Server threads over the window, grouped by name (digits as N):"
  echo
  echo "| thread | threads | CPU s | % of a core | % of server CPU |"
  echo "|---|---:|---:|---:|---:|"
  echo "$THREADS"
} > "$REPORT"

if [ "$PROFILE" = 1 ] && [ -s "$JFR_FILE" ]; then
  {
    echo
    "$JAVA_BIN" "$ROOT/benchmarks/src/main/java/org/atrium/bench/live/LiveRoomProfile.java" \
      "$JFR_FILE" "$((T0 / 1000000))" "$((T1 / 1000000))" 25 2> "$OUT/profile.err" \
      || echo "(profile analysis failed: see $OUT/profile.err)"
  } >> "$REPORT"
fi
jq -n --arg date "$(date -u -d "@$((T0 / 1000000000))" '+%Y-%m-%dT%H:%M:%SZ')" --arg jar "$JAR" --arg javaOpts "$JAVA_OPTS" \
  --argjson browsers "$BROWSERS" --argjson profile "$PROFILE" --argjson seconds "$ELAPSED" \
  --argjson forwardedPps "$FPPS" --argjson receivedPps "$RPPS" --argjson sentPps "$SPPS" --argjson serverCpuPct "$SCPU" --argjson serverSystemPctOfCpu "$SYS_PCT" \
  --argjson cpuMicrosPerForwardedPacket "$US" --argjson jitPctOfServerCpu "${JIT_PCT:-0}" \
  --argjson cpuMicrosPerForwardedPacketWithoutJit "${US_NO_JIT:-0}" --argjson browsersCpuPct "$BPCT" \
  --arg loadStart "$LOAD0" --arg loadEnd "$LOAD1" --arg flows "$FLOWS" --arg chromium "$CHROMIUM_VERSION" \
  '$ARGS.named' > "$OUT/result.json"
cat "$REPORT"
log "files in $OUT (report.md, result.json)"
