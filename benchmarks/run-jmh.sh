#!/usr/bin/env bash
# Builds the modules, runs the JMH suite with allocation profiling, and prints the results as
# Markdown tables, Atrium/jitsi-srtp ratios included.
#
#   benchmarks/run-jmh.sh                  # the whole suite (about 11 minutes on 2 vCPUs)
#   benchmarks/run-jmh.sh SrtpBenchmark    # extra arguments go to JMH (a regex, -p size=1200, ...)
#   MVN_ARGS="-o" benchmarks/run-jmh.sh    # extra Maven arguments (offline, a local repository)
#
# Raw output stays in benchmarks/target/jmh/ (result.json and the JMH log).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn_args=(-B -q -Dstyle.color=never ${MVN_ARGS:-})
out=benchmarks/target/jmh
mkdir -p "$out"
# One reactor build: the classpath names this checkout's module jars, and ~/.m2 is left alone.
mvn "${mvn_args[@]}" -DskipTests -pl benchmarks -am package dependency:build-classpath \
  -Dmdep.outputFile="$PWD/$out/classpath.txt"
classpath="benchmarks/target/classes:$(cat "$out/classpath.txt")"
java -cp "$classpath" org.openjdk.jmh.Main -prof gc -prof org.atrium.bench.CpuTimeProfiler -rf json -rff "$out/result.json" "$@" 2>&1 | tee "$out/log.txt"
echo
echo "## $(date -u +%Y-%m-%d), $(nproc) CPUs $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(java -version 2>&1 | head -1)"
# jitsi-srtp picks its crypto at start (OpenSSL through JNI when libcrypto loads): say which.
grep -h -o -E 'jitsisrtp successfully loaded.*|Will employ AES implemented by .*|Unable to load jitsisrtp.*' "$out/log.txt" | sort | uniq -c || true
echo
java -cp "$classpath" org.atrium.bench.JmhTable "$out/result.json"
