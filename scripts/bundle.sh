#!/usr/bin/env bash
# Make the offline bundle: one archive with everything a Debian 12 server
# without network needs to run cadre (README "Offline install").
#
#   bash scripts/bundle.sh [--out cadre-bundle.tar.gz]
#
# Run it on a Debian 12 (amd64) machine that reaches PyPI and a Debian
# mirror. The archive holds, under cadre-bundle/:
#   source/    this project (tracked and new files; no .venv, no stores)
#   wheels/    the pinned wheels of requirements.txt for CPython 3.11,
#              manylinux x86_64 (Debian 12's python3)
#   debs/      the Debian packages the app needs (scripts/setup.sh
#              --debian-packages) with every dependency, as if nothing were
#              installed, and a Packages file: a local apt repository
#   install-offline.sh, BUNDLE.txt (what is inside, and from which commit)
# Wheels and Debian packages are kept between runs in $CADRE_BUNDLE_CACHE
# (default ~/.cache/cadre-bundle), and Debian packages already in
# /var/cache/apt/archives are used as they are: a second bundle downloads
# only what changed.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

out=cadre-bundle.tar.gz
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=${2:?--out needs a file name}; shift 2 ;;
    --out=*) out=${1#--out=}; shift ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bundle: unknown argument $1 (usage: bash scripts/bundle.sh [--out FILE])" >&2; exit 2 ;;
  esac
done
case "$out" in /*) ;; *) out="$OLDPWD/$out" ;; esac

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
cache=${CADRE_BUNDLE_CACHE:-$HOME/.cache/cadre-bundle}
work=$(mktemp -d -t cadre-bundle.XXXXXX)
trap 'rm -rf "$work"' EXIT
stage=$work/cadre-bundle
mkdir -p "$stage/source" "$stage/wheels" "$stage/debs" "$cache/debs/partial" "$cache/apt"

echo "bundle: the project's files"
if git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  commit=$(git -C "$ROOT" rev-parse HEAD)
  git -C "$ROOT" diff --quiet HEAD 2>/dev/null || commit="$commit (with uncommitted changes)"
  # Tracked and new files, as they are in the working tree; ignored ones
  # (.venv, stores, test artefacts) stay out. Deleted files are skipped.
  git -C "$ROOT" ls-files -z --cached --others --exclude-standard \
    | (cd "$ROOT" && xargs -0 -r sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' _) \
    | tar -C "$ROOT" --null -T - -cf - | tar -C "$stage/source" -xf -
else
  commit="unknown (not a git checkout)"
  tar -C "$ROOT" --exclude=./.venv --exclude=./.git --exclude='*.duckdb' --exclude='*.duckdb.wal' \
    --exclude=./tests/artifacts -cf - . | tar -C "$stage/source" -xf -
fi

echo "bundle: Python wheels (requirements.txt, CPython 3.11, manylinux x86_64)"
if [ -x "$ROOT/.venv/bin/python" ]; then
  pip_python=$ROOT/.venv/bin/python
else
  python3 -m venv "$work/pip-venv"
  pip_python=$work/pip-venv/bin/python
fi
platforms=(--platform manylinux2014_x86_64)
for minor in $(seq 17 36); do platforms+=(--platform "manylinux_2_${minor}_x86_64"); done  # Debian 12: glibc 2.36
# Into the cache folder, which pip reuses ("File was already downloaded");
# the bundle takes the files pip names for this requirements.txt.
mkdir -p "$cache/wheels"
"$pip_python" -m pip download --disable-pip-version-check --progress-bar off --only-binary=:all: \
  --implementation cp --python-version 3.11 --abi cp311 --abi abi3 --abi none "${platforms[@]}" \
  -r "$ROOT/requirements.txt" -d "$cache/wheels" > "$work/pip-download.log"
wheels=$(sed -n -e 's/^ *Saved //p' -e 's/^ *File was already downloaded //p' "$work/pip-download.log")
[ -n "$wheels" ] || { cat "$work/pip-download.log" >&2; echo "bundle: pip downloaded no wheels" >&2; exit 1; }
while read -r wheel; do
  ln "$wheel" "$stage/wheels/" 2>/dev/null || cp "$wheel" "$stage/wheels/"
done <<<"$wheels"

echo "bundle: Debian packages and their dependencies"
read -r -a debs <<<"$(bash "$ROOT/scripts/setup.sh" --debian-packages)"
command -v dpkg-scanpackages >/dev/null 2>&1 || {
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends dpkg-dev >/dev/null
}
# An empty package database: apt resolves the whole dependency closure, as on
# a server where nothing is installed, so the bundle never relies on what
# happens to be on the server (an older libc6 is upgraded from the bundle).
: > "$cache/apt/status"
apt_opts=(-o Dir::State::status="$cache/apt/status" -o Dir::Cache="$cache/apt"
          -o Dir::Cache::archives="$cache/debs" -o APT::Sandbox::User=root)
# Every file of the closure (--print-uris leaves out those already in the
# archives folder, so it looks at an empty one).
mkdir -p "$work/no-archives/partial"
uris() {
  apt-get "${apt_opts[@]}" -o Dir::Cache::archives="$work/no-archives" -qq --print-uris \
    install -y --no-install-recommends "${debs[@]}"
}
list=$(uris 2>/dev/null) || { $SUDO apt-get update -qq; list=$(uris); }
[ -n "$list" ] || { echo "bundle: apt-get found no packages to carry" >&2; exit 1; }
# Reuse what this machine's apt already holds; apt checks each file's hash.
while read -r _ file _; do
  [ -f "$cache/debs/$file" ] || [ ! -f "/var/cache/apt/archives/$file" ] \
    || cp "/var/cache/apt/archives/$file" "$cache/debs/$file"
done <<<"$list"
if ! apt-get "${apt_opts[@]}" -qq install --download-only -y --no-install-recommends "${debs[@]}" >/dev/null; then
  $SUDO apt-get update -qq   # stale package lists: versions no longer on the mirror
  list=$(uris)
  apt-get "${apt_opts[@]}" -qq install --download-only -y --no-install-recommends "${debs[@]}" >/dev/null
fi
while read -r _ file _; do
  ln "$cache/debs/$file" "$stage/debs/$file" 2>/dev/null || cp "$cache/debs/$file" "$stage/debs/$file"
done <<<"$list"
(cd "$stage/debs" && dpkg-scanpackages --multiversion . /dev/null 2>/dev/null > Packages)
echo "${debs[*]}" > "$stage/debs/WANTED"

cp "$ROOT/scripts/install-offline.sh" "$stage/install-offline.sh"
cat > "$stage/BUNDLE.txt" <<TXT
cadre offline bundle
made:     $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(. /etc/os-release && echo "$PRETTY_NAME") $(dpkg --print-architecture)
commit:   $commit
python:   CPython 3.11, manylinux x86_64 wheels of requirements.txt ($(ls "$stage/wheels" | wc -l) files)
debian:   ${debs[*]} and their dependencies ($(ls "$stage/debs"/*.deb | wc -l) packages)
install:  bash install-offline.sh [--dir DIR]   (or: bash scripts/install-offline.sh THIS.tar.gz [--dir DIR])
TXT

echo "bundle: writing $out"
# Wheels and .deb files are compressed already: the fastest gzip level.
tar -C "$work" -cf - cadre-bundle | gzip -1 > "$out.part"
mv "$out.part" "$out"
echo "bundle: $out ($(du -h "$out" | cut -f1)): carry it to the server and run"
echo "    bash scripts/install-offline.sh $(basename "$out") --dir DIR"
