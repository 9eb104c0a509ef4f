#!/usr/bin/env bash
# Tests everything: installs what the tests need (Debian), builds and runs every unit and
# integration test with Maven (then those of the modules that run servers again, on the NIO
# media port), then runs the browser tests (JUnit tag "browser") offline inside
# a fresh network namespace that has only the loopback interface.
#
#   ./test.sh                 everything
#   ATRIUM_SKIP_INSTALL=1     do not call apt-get
#   ATRIUM_SKIP_BROWSER=1     stop after the Maven build
#   ATRIUM_MAVEN_ARGS="..."   extra arguments for every mvn call
set -euo pipefail

cd "$(dirname "$0")"

step() { printf '\n==> %s\n' "$*"; }
warn() { printf '\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n!!! %s\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n' "$*" >&2; }
seconds() { date +%s; }

read -r -a mvn_extra <<< "${ATRIUM_MAVEN_ARGS:-}"
start_all=$(seconds)

# One line per test class from every module's Surefire reports, also when a step failed.
surefire_summary() {
  local status=$?
  local reports
  reports=$(find . -path '*/target/surefire-reports/*.txt' -newer "$stamp" -type f 2>/dev/null | sort)
  if [ -n "$reports" ]; then
    printf '\n==> Surefire summary\n'
    # shellcheck disable=SC2086
    grep -h '^Tests run:' $reports | sed 's/^/  /' || true
  fi
  rm -f "$stamp"
  if [ "$status" -ne 0 ]; then
    printf '\nFAILED (exit %s) after %s s\n' "$status" "$(( $(seconds) - start_all ))" >&2
  fi
  return "$status"
}
stamp=$(mktemp)
trap surefire_summary EXIT

# ---------------------------------------------------------------------------------------------
# 1. System packages: Chromium and its driver, Firefox ESR (driven over WebDriver BiDi by npm
#    puppeteer-core, installed before the browser step), nftables (loss injection, the lab's firewalls and
#    NAT), ip, unshare, Prometheus with its promtool and the official Python client's text-format
#    parser (the metrics tests scrape Atrium with them), coturn and certutil for the lab's
#    TURN tests, redis-server for the cluster tests, Node.js with npm for the client SDK (type
#    check and tests) and the face overlay's packages, scikit-image for the face overlay test's
#    photo, and aiortc and GStreamer's webrtcbin for the interop tests.
# ---------------------------------------------------------------------------------------------
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
# Without their recommended extras (prometheus recommends a node exporter service).
lean=()
[ -x /usr/bin/prometheus ] && [ -x /usr/bin/promtool ] || lean+=(prometheus)
/usr/bin/python3 -c 'import prometheus_client.parser' 2>/dev/null || lean+=(python3-prometheus-client)
# coturn: the lab's external TURN server (the tests start their own turnserver, never the service);
# certutil: the lab's browsers trust a test CA through an NSS database.
[ -x /usr/bin/turnserver ] || lean+=(coturn)
# redis-server: the cluster tests' Redis (they start their own on a loopback port, never the service).
[ -x /usr/bin/redis-server ] || lean+=(redis-server)
# Firefox ESR: the mixed-browser tests (Debian has no geckodriver; npm puppeteer-core drives it).
[ -x /usr/bin/firefox-esr ] || lean+=(firefox-esr)
[ -x /usr/bin/certutil ] || lean+=(libnss3-tools)
# scikit-image's astronaut.png (public domain): the face the face overlay's browser test films.
[ -r /usr/lib/python3/dist-packages/skimage/data/astronaut.png ] || lean+=(python3-skimage)
# The interop tests' other WebRTC stacks (signaling/src/test/interop): aiortc with a WebSocket
# client for its script, and GStreamer's webrtcbin (libnice, VP8 and Opus, the Python bindings).
have_deb() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
for deb in python3-aiortc python3-websockets \
    gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-nice \
    python3-gst-1.0 gir1.2-gst-plugins-bad-1.0; do
  have_deb "$deb" || lean+=("$deb")
done
command -v nft >/dev/null 2>&1 || [ -x /usr/sbin/nft ] || missing+=(nftables)
command -v ip >/dev/null 2>&1 || [ -x /usr/sbin/ip ] || [ -x /sbin/ip ] || missing+=(iproute2)
command -v unshare >/dev/null 2>&1 || missing+=(util-linux)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)

if [ "$(( ${#missing[@]} + ${#lean[@]} ))" -gt 0 ] && [ -z "${ATRIUM_SKIP_INSTALL:-}" ]; then
  if [ "$(id -u)" -eq 0 ]; then
    as_root=(env)
  elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo env)
  else
    as_root=()
  fi
  if [ "${#as_root[@]}" -gt 0 ]; then
    step "installing ${missing[*]} ${lean[*]} (apt-get)"
    t=$(seconds)
    "${as_root[@]}" DEBIAN_FRONTEND=noninteractive apt-get update -q
    # Packages with a service (prometheus, coturn, redis-server) must not start it: the tests start
    # their own, on loopback or the lab's addresses. policy-rc.d answering 101 tells Debian's maintainer scripts so.
    made_policy=""
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      printf '#!/bin/sh\nexit 101\n' | "${as_root[@]}" tee /usr/sbin/policy-rc.d >/dev/null
      "${as_root[@]}" chmod +x /usr/sbin/policy-rc.d
      made_policy=1
    fi
    if [ "${#missing[@]}" -gt 0 ]; then
      "${as_root[@]}" DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
    fi
    if [ "${#lean[@]}" -gt 0 ]; then
      "${as_root[@]}" DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${lean[@]}"
    fi
    if [ -n "$made_policy" ]; then
      "${as_root[@]}" rm -f /usr/sbin/policy-rc.d
    fi
    echo "installed in $(( $(seconds) - t )) s"
  else
    warn "not root and no sudo: cannot install ${missing[*]} ${lean[*]}; without Chromium the browser tests are skipped"
  fi
fi
export PATH="$PATH:/usr/sbin:/sbin"

# ---------------------------------------------------------------------------------------------
# 2. Build and run every test except the browser tests, with the network: this also fetches
#    every dependency and plugin, so that step 3 can run offline.
# ---------------------------------------------------------------------------------------------
step "mvn -B install (all modules, browser tests excluded)"
t=$(seconds)
mvn -B "${mvn_extra[@]}" install
echo "build and tests in $(( $(seconds) - t )) s"

# The modules whose tests run servers again, on the portable media port (JDK NIO) instead of
# Netty's native epoll: both must pass (docs/configuration.md, -Datrium.transport).
step "mvn -B test with -Datrium.transport=nio (sfu-core, signaling, benchmarks)"
t=$(seconds)
mvn -o -B "${mvn_extra[@]}" test -Datrium.transport=nio -Dsdk.test.skip=true -pl sfu-core,signaling,benchmarks
echo "tests on the NIO media port in $(( $(seconds) - t )) s"

if [ -n "${ATRIUM_SKIP_BROWSER:-}" ]; then
  echo "ATRIUM_SKIP_BROWSER set: browser tests not run"
  exit 0
fi

# The install above already ran Surefire in signaling (browser tests excluded), which fetched
# the JUnit Platform provider; this fetches whatever the browser profile adds, running nothing.
step "resolving the browser profile's test classpath"
mvn -B -q "${mvn_extra[@]}" -Pbrowser -pl signaling -DskipTests test-compile dependency:resolve

# The Firefox driver's npm packages (puppeteer-core), from the committed lockfile, with the
# network: the browser step runs offline. Without Node.js and npm the Firefox tests are skipped.
firefox_driver=signaling/src/test/firefox
if command -v npm >/dev/null 2>&1 && command -v node >/dev/null 2>&1; then
  step "npm ci in $firefox_driver (the Firefox driver)"
  t=$(seconds)
  (cd "$firefox_driver" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
  echo "npm packages in $(( $(seconds) - t )) s"
  # werift, the interop tests' TypeScript WebRTC stack, likewise from its lockfile.
  werift_client=signaling/src/test/interop/werift
  step "npm ci in $werift_client (the werift interop client)"
  (cd "$werift_client" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
else
  warn "node or npm missing: the Firefox and werift browser tests will report as skipped"
fi

# ---------------------------------------------------------------------------------------------
# 3. Browser tests, offline, in a network namespace with only loopback when possible.
#    surefire:test runs the classes compiled above without recompiling.
# ---------------------------------------------------------------------------------------------
export SE_AVOID_STATS=true SE_OFFLINE=true
browser_cmd="mvn -o -B ${ATRIUM_MAVEN_ARGS:-} -Pbrowser -pl signaling surefire:test"

if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  warn "/usr/bin/chromium or /usr/bin/chromedriver missing: the browser tests will report as skipped"
fi
if [ ! -x /usr/bin/firefox-esr ]; then
  warn "/usr/bin/firefox-esr missing: the Firefox browser tests will report as skipped"
fi

step "browser tests"
t=$(seconds)
if unshare -n true 2>/dev/null; then
  echo "in a fresh loopback-only network namespace (unshare -n)"
  unshare -n sh -c "ip link set lo up && $browser_cmd"
else
  warn "cannot create a network namespace (unshare -n needs root): running the browser tests in \
the normal namespace. Chromium will also gather ICE candidates on this machine's other interfaces."
  sh -c "$browser_cmd"
fi
echo "browser tests in $(( $(seconds) - t )) s"

echo
echo "all tests passed in $(( $(seconds) - start_all )) s"
