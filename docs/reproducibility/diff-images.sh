#!/usr/bin/env bash
# Shows where two builds of an image differ: compares the image configs and, layer by layer in
# manifest order, every pair of layers whose digests differ, with diffoscope. Layer blobs are named
# by their digests, so running diffoscope on the two image.tar files or oci/ directories pairs only
# the blobs that are equal and lists the others as added and removed without comparing them.
# Needs diffoscope and jq (apt-get install diffoscope jq).
#
#   docs/reproducibility/diff-images.sh FIRST_OUTPUT_DIRECTORY SECOND_OUTPUT_DIRECTORY
#
# Each directory is an image:build output directory (target/image) with digest and oci/.
set -euo pipefail
if (($# != 2)); then
  echo "usage: $0 FIRST_OUTPUT_DIRECTORY SECOND_OUTPUT_DIRECTORY" >&2
  exit 2
fi
first="$1"
second="$2"

blob() {
  echo "$1/oci/blobs/sha256/${2#sha256:}"
}

manifest_first="$(blob "$first" "$(cat "$first/digest")")"
manifest_second="$(blob "$second" "$(cat "$second/digest")")"
if cmp -s "$manifest_first" "$manifest_second"; then
  echo "The images are equal: $(cat "$first/digest")"
  exit 0
fi

status=0
config_first="$(jq -r '.config.digest' "$manifest_first")"
config_second="$(jq -r '.config.digest' "$manifest_second")"
if [[ "$config_first" != "$config_second" ]]; then
  echo "== image config"
  diffoscope "$(blob "$first" "$config_first")" "$(blob "$second" "$config_second")" || status=1
fi

mapfile -t layers_first < <(jq -r '.layers[].digest' "$manifest_first")
mapfile -t layers_second < <(jq -r '.layers[].digest' "$manifest_second")
if ((${#layers_first[@]} != ${#layers_second[@]})); then
  echo "== the first image has ${#layers_first[@]} layers, the second ${#layers_second[@]}"
  status=1
fi
count=$((${#layers_first[@]} < ${#layers_second[@]} ? ${#layers_first[@]} : ${#layers_second[@]}))
for ((i = 0; i < count; i++)); do
  if [[ "${layers_first[i]}" != "${layers_second[i]}" ]]; then
    echo "== layer $((i + 1)): ${layers_first[i]} and ${layers_second[i]}"
    diffoscope "$(blob "$first" "${layers_first[i]}")" "$(blob "$second" "${layers_second[i]}")" || status=1
  fi
done
if ((status == 0)); then
  echo "The manifests differ, but the config and every layer are equal: compare the manifests with"
  echo "  diffoscope $manifest_first $manifest_second"
  diffoscope "$manifest_first" "$manifest_second" || true
fi
exit 1
