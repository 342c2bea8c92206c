#!/usr/bin/env bash
# Builds the Debian packages (debian/) from this checkout:
#   bash scripts/build-packages.sh [OUTDIR]      (default: build/packages)
# The source is copied to a temporary directory first, so dpkg-buildpackage
# writes nothing into the checkout and its results land in OUTDIR. Needs
# the build dependencies (scripts/install-deps.sh installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "${1:-build/packages}")
version=$(dpkg-parsechangelog -S Version)
work=$(mktemp -d /tmp/leadrouter-package-XXXXXX)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/leadrouter-$version" "$out"
git ls-files -z --cached --others --exclude-standard |
    while IFS= read -r -d '' file; do [ -e "$file" ] && printf '%s\0' "$file"; done |
    tar --null -T - -cf - | tar -xf - -C "$work/leadrouter-$version"
(cd "$work/leadrouter-$version" &&
    DEB_BUILD_OPTIONS="parallel=$(nproc) ${DEB_BUILD_OPTIONS:-}" dpkg-buildpackage -us -uc -b >"$work/build.log" 2>&1) || {
    tail -60 "$work/build.log" >&2
    echo "build-packages: dpkg-buildpackage failed (log above)" >&2
    exit 1
}
rm -f "$out"/*.deb "$out"/*.buildinfo "$out"/*.changes
mv "$work"/*.deb "$work"/*.buildinfo "$work"/*.changes "$out"/
cp "$work/build.log" "$out/build.log"
ls "$out"/*.deb
