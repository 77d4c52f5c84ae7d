#!/usr/bin/env bash
# Install cadre on a Debian 12 server without network, from the bundle made
# by scripts/bundle.sh on a connected machine (README "Offline install").
#
#   bash scripts/install-offline.sh cadre-bundle.tar.gz [--dir DIR]
#   bash cadre-bundle/install-offline.sh [--dir DIR]      # bundle unpacked
#
# 1. the Debian packages the app needs, by apt-get pointed at the bundle's
#    own folder only (no mirror is asked). Only what is not installed is
#    installed; when everything is, or with CADRE_SIMULATE_APT=1, apt-get
#    runs with --simulate as on a machine with nothing installed, which
#    proves the bundle alone holds every dependency.
# 2. the project's files into DIR (default /srv/cadre as root, ~/cadre
#    otherwise); files there that the bundle lacks, such as the store under
#    data/, are kept.
# 3. a fresh virtual environment DIR/.venv with the bundle's wheels
#    (pip install --no-index --find-links).
# Then start it: cd DIR && bash scripts/app.sh
set -euo pipefail

bundle=""
dir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir=${2:?--dir needs a folder}; shift 2 ;;
    --dir=*) dir=${1#--dir=}; shift ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "install-offline: unknown option $1" >&2; exit 2 ;;
    *) bundle=$1; shift ;;
  esac
done
here=$(cd "$(dirname "$0")" && pwd)
if [ -z "$bundle" ]; then
  [ -d "$here/wheels" ] && [ -d "$here/debs" ] && bundle=$here || {
    echo "install-offline: which bundle? usage: bash scripts/install-offline.sh cadre-bundle.tar.gz [--dir DIR]" >&2
    exit 2
  }
fi
[ -e "$bundle" ] || { echo "install-offline: $bundle: no such file" >&2; exit 2; }
if [ -z "$dir" ]; then
  if [ "$(id -u)" -eq 0 ]; then dir=/srv/cadre; else dir=$HOME/cadre; fi
fi
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

work=$(mktemp -d -t cadre-install.XXXXXX)
trap 'rm -rf "$work"' EXIT
if [ -d "$bundle" ]; then
  B=$(cd "$bundle" && pwd)
else
  echo "install-offline: unpacking $bundle"
  tar -C "$work" -xzf "$bundle"
  B=$work/cadre-bundle
fi
for part in source wheels debs/Packages debs/WANTED; do
  [ -e "$B/$part" ] || { echo "install-offline: $bundle is not a cadre bundle (no $part): make it with scripts/bundle.sh" >&2; exit 2; }
done
[ -f "$B/BUNDLE.txt" ] && sed 's/^/  /' "$B/BUNDLE.txt"

# 1. Debian packages, from the bundle's folder only.
read -r -a wanted < "$B/debs/WANTED"
missing=()
for p in "${wanted[@]}"; do
  [ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)" = installed ] || missing+=("$p")
done
mkdir -p "$work/apt/lists/partial" "$work/apt/cache/archives/partial" "$work/apt/sources.d"
echo "deb [trusted=yes] file:$B/debs ./" > "$work/apt/sources.list"
: > "$work/apt/nothing-installed"
apt_opts=(-o Dir::Etc::SourceList="$work/apt/sources.list" -o Dir::Etc::SourceParts="$work/apt/sources.d"
          -o Dir::State::Lists="$work/apt/lists" -o Dir::Cache="$work/apt/cache"
          -o APT::Sandbox::User=root)
apt-get "${apt_opts[@]}" -qq update
if [ "${CADRE_SIMULATE_APT:-0}" = 1 ] || [ ${#missing[@]} -eq 0 ]; then
  if [ ${#missing[@]} -eq 0 ]; then
    echo "install-offline: Debian packages already installed (${wanted[*]}); checking the bundle holds them all"
  else
    echo "install-offline: CADRE_SIMULATE_APT=1: not installing ${missing[*]}; checking the bundle holds them all"
  fi
  # Captured whole, so a failed resolution stops here with apt's reason.
  simulated=$(apt-get "${apt_opts[@]}" -o Dir::State::status="$work/apt/nothing-installed" --simulate \
                install --no-install-recommends "${wanted[@]}")
  n=$(grep -c '^Inst ' <<<"$simulated" || true)
  echo "install-offline: apt-get --simulate: the bundle's ${n} packages install on a machine with none of them"
else
  echo "install-offline: installing ${missing[*]} from the bundle with apt-get"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" -y -qq install --no-install-recommends "${missing[@]}"
fi

# 2. The project's files.
echo "install-offline: the project's files into $dir"
tar -C "$B/source" -cf - . | tar -C "$dir" -xf -

# 3. A fresh venv with the bundle's wheels only (no index, no pip.conf).
PYTHON=${PYTHON:-python3}
"$PYTHON" -c "import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)" || {
  echo "install-offline: the bundle's wheels are for Python 3.11 (Debian 12's python3); $PYTHON is $("$PYTHON" -V 2>&1)" >&2
  exit 2
}
echo "install-offline: a fresh virtual environment $dir/.venv"
rm -rf "$dir/.venv"
"$PYTHON" -m venv "$dir/.venv"
PIP_CONFIG_FILE=/dev/null "$dir/.venv/bin/python" -m pip install --disable-pip-version-check -q \
  --no-index --find-links "$B/wheels" -r "$dir/requirements.txt"

# The app's own start-up check, which asks no registry when nothing is missing.
(cd "$dir" && bash scripts/setup.sh)
echo "install-offline: done. Start it with:  cd $dir && bash scripts/app.sh"
