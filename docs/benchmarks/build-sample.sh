#!/usr/bin/env bash
# Measures cold and warm builds of examples/hello-java with GNU time: wall time and peak memory of
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
  /usr/bin/time -f '%e %M' -o "$report" \
    mvn -B -q -Dstyle.color=never -f "$project/pom.xml" package -Dimage.cacheDirectory="$cache" >/dev/null
  read -r seconds kilobytes <"$report"
  rm -f "$report"
  printf '%-5s wall %6.1f s   peak RSS %5d MiB\n' "$label" "$seconds" $((kilobytes / 1024))
}

for ((run = 1; run <= runs; run++)); do
  rm -rf "${cache:?}"/*
  measure cold
  measure warm
done
