#!/usr/bin/env bash
# Builds the bench module (root profile "bench", not part of the default build) and runs the
# end-to-end benchmark: a fake 123 cloud in its own JVM, the drivers in this one, one table out
# (also written to bench/target/bench-result.md). Arguments go to the harness, e.g.
#   bench/run.sh                 everything: puts and gets of 1K/1M/256M/1G, list 20,000, 1,000 stats
#   bench/run.sh --quick         1K and 256M, list 5,000, 100 stats (2–3 minutes)
#   bench/run.sh --jmh           JMH micro-benchmarks (about a minute); e.g. --jmh MicroBenchmarks.signAuthKey
#   bench/run.sh --sizes 1K,1M,256M,1G --ops put-123open,put-123pan,cli-put-123open,get-123open,list-123open,stat-123open --threads 3
#   bench/run.sh --sizes 1G --ops cli-put-123open,get-123open --repeat 5
#                                5 rounds of each, every round right after its reference (md5sum, curl):
#                                medians, and the median and range of the rounds' ratios
#   bench/run.sh --sizes 1G --ops cli-put-123open-fresh-fake --repeat 6
#                                the CLI put, each round against a fake cloud started just before it
#   bench/run.sh --sizes 1G --ops cli-put-123open-fresh-fake,peer-put-123open-python-fresh-fake --repeat 3
#                                the same against another client of the API (bench/peers/open123_put.py,
#                                python3 with requests), each round with a fresh fake too
# MAVEN_REPO=/path/to/repo selects a Maven local repository; BENCH_XMX the client's -Xmx (default 64m);
# BENCH_JAVA_OPTS extra options for the client JVM, BENCH_FAKE_OPTS for the fake's (e.g. a flight recording:
#   BENCH_FAKE_OPTS='-XX:StartFlightRecording=filename=fake.jfr,settings=profile').
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
repo=()
[ -n "${MAVEN_REPO:-}" ] && repo=(-Dmaven.repo.local="$MAVEN_REPO")
log="$(mktemp)"
goals=(-Pbench -pl bench -am -DskipTests install
  dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -DincludeScope=runtime)
# Offline first (fast, and works without a network once the dependencies are here); on a machine
# that has not fetched them yet (JMH is needed by nothing else), online.
if ! mvn -o -q "${repo[@]}" "${goals[@]}" >"$log" 2>&1 \
    && ! mvn -B -ntp -q "${repo[@]}" "${goals[@]}" >"$log" 2>&1; then
  cat "$log" >&2; rm -f "$log"; echo "bench/run.sh: the build failed (output above)" >&2; exit 1
fi
rm -f "$log"
CP="$ROOT/bench/target/classes:$(cat "$ROOT/bench/target/bench.classpath")"
# --jmh: the JMH micro-benchmarks (hashing, auth_key signer, listing decode); later arguments go to JMH.
if [ "${1:-}" = "--jmh" ]; then
  shift
  exec java -cp "$CP" org.openjdk.jmh.Main "$@"
fi
# --quick: the short run (about 2–3 minutes on a 2-core machine, build included); no arguments:
# every operation at every size (about 6–8 minutes: 1,000 stats alone take 100 s at 10 QPS).
if [ "${1:-}" = "--quick" ]; then
  shift
  set -- --sizes 1K,256M --ops put-123open,put-123pan,get-123open,list-123open,stat-123open --list 5000 --stats 100 "$@"
elif [ $# -eq 0 ]; then
  set -- --sizes 1K,1M,256M,1G --ops put-123open,put-123pan,cli-put-123open,get-123open,list-123open,stat-123open --list 20000
fi
mkdir -p bench/target/data
# cli-put-123open runs ./pan4j put as a user types it: the launcher (its class-data archive and JIT
# flags included), built here first so that no build or archive recording is timed.
export MAVEN_OPTS="${MAVEN_OPTS:-} ${repo[*]:-}"
if ! "$ROOT/pan4j" version >/dev/null; then
  echo "bench/run.sh: ./pan4j could not be built (output above)" >&2; exit 1
fi
# shellcheck disable=SC2086
exec java -Xmx"${BENCH_XMX:-64m}" ${BENCH_JAVA_OPTS:-} -Dbench.fakeJvmArgs="${BENCH_FAKE_OPTS:-}" -Dbench.pan4j="$ROOT/pan4j" -Dbench.peers="$ROOT/bench/peers" -cp "$CP" io.github.pan4j.bench.EndToEnd --dir bench/target/data "$@"
