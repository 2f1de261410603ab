#!/usr/bin/env bash
# Measures cold and warm builds of examples/hello-java with GNU time: wall time, CPU time and peak memory of
# the whole Maven process. A cold build starts from an empty package cache and downloads every
# package; a warm build follows it with the cache full. Maven's own dependencies are already in
# ~/.m2 in both cases, and the plugin must be installed first (mvn install -DskipTests).
#
#   docs/benchmarks/build-sample.sh [RUNS]
set -euo pipefail
runs="${1:-3}"
here="$(cd "$(dirname "$0")" && pwd)"
project="$here/../../examples/hello-java"
cache="$(mktemp -d)"
trap 'rm -rf "$cache"' EXIT

measure() {
  local label="$1"
  local report
  report="$(mktemp)"
  /usr/bin/time -f '%e %U %S %M' -o "$report" \
    mvn -B -q -f "$project/pom.xml" package -Dimage.cacheDirectory="$cache" >"$report.log" 2>&1 ||
    { cat "$report.log"; exit 1; }
  rm -f "$report.log"
  read -r seconds user system kilobytes <"$report"
  rm -f "$report"
  printf '%-5s wall %6.1f s   CPU %6.1f s user %5.1f s system   peak RSS %5d MiB\n' \
    "$label" "$seconds" "$user" "$system" $((kilobytes / 1024))
}

for ((run = 1; run <= runs; run++)); do
  rm -rf "${cache:?}"/*
  measure cold
  measure warm
done
