#!/usr/bin/env bash
# Measures rebuilds of a copy of examples/hello-java with a warm layer cache: a rebuild with nothing
# changed, and a rebuild after one class changed. For each run it prints the plugin's own wall time
# and CPU time (the "Wrote ... in X s (Y s of CPU)" line of image:build) and the wall time and CPU
# time of the whole Maven process from GNU time. The copy is locked first (image:lock), so no run reads the package indexes, and
# built once, so the package layers are in the cache. The plugin must be installed first
# (mvn install -DskipTests); extra arguments are passed to every mvn command, such as
# -Dmaven.repo.local=DIR.
#
#   docs/benchmarks/rebuild-sample.sh RUNS [MAVEN ARGUMENTS...]
set -euo pipefail
runs="${1:-5}"
shift || true
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -a "$here/../../examples/hello-java/." "$work/"
rm -rf "$work/target"

mvn_quiet() {
  mvn -B -o -f "$work/pom.xml" "$@" >"$work/mvn.log" 2>&1 || { cat "$work/mvn.log"; exit 1; }
}

measure() {
  local label="$1"
  /usr/bin/time -f '%e %U %S' -o "$work/time" mvn -B -o -f "$work/pom.xml" package "${@:2}" >"$work/mvn.log" 2>&1 ||
    { cat "$work/mvn.log"; exit 1; }
  local plugin plugin_cpu layers
  plugin="$(sed -n 's/.*Wrote .* in \([0-9.]*\) s (.*/\1/p' "$work/mvn.log")"
  plugin_cpu="$(sed -n 's/.*Wrote .* s (\([0-9.]*\) s of CPU)$/\1/p' "$work/mvn.log")"
  layers="$(sed -n -e 's/.*\(Reusing the [0-9]* package layers\).*/\1/p' \
    -e 's/.*\(Wrote [0-9]* package layers.*\)/\1/p' "$work/mvn.log")"
  read -r wall user system <"$work/time"
  printf '%-10s plugin %5.2f s (CPU %4.2f s)   mvn wall %5.1f s (CPU %4.1f s)   %s\n' \
    "$label" "$plugin" "$plugin_cpu" "$wall" "$(echo "$user + $system" | bc)" "$layers"
}

mvn_quiet dev.debimage:image-maven-plugin:0.1.0-SNAPSHOT:lock "$@"
mvn_quiet package "$@"

for ((run = 1; run <= runs; run++)); do
  measure unchanged "$@"
done
for ((run = 1; run <= runs; run++)); do
  # A new string constant changes the compiled class, so the classes layer must be built again.
  sed -i "s/Hello from a Debian image[^\"]*/Hello from a Debian image, run $run, /" \
    "$work/src/main/java/com/example/Hello.java"
  measure one-class "$@"
done
