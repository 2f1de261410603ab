#!/usr/bin/env bash
# Builds the plugin, builds this sample's image with it, loads the image into podman and runs it.
# Packages come from the machine's own apt sources (/etc/apt/sources.list.d/).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

echo "Installing image-core and image-maven-plugin into the local Maven repository..."
mvn -B -q -f "$here/../../pom.xml" install -DskipTests -pl image-maven-plugin -am
mvn -B -f "$here/pom.xml" package

podman load -i "$here/target/image/image.tar"
# --runtime runc and --cgroup-manager=cgroupfs let podman start containers as root on machines
# without systemd, such as CI containers; the ulimits keep podman from asking for more than they allow.
podman --runtime runc --cgroup-manager=cgroupfs run --rm --network none \
  --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 localhost/example/hello-java:1.0
