#!/usr/bin/env bash
# Install what the app (and, with --test, its tests) needs on a fresh Debian
# machine: Debian's Chromium (browser tests, chart pictures), Noto CJK fonts
# (Chinese text in charts and slides), WenQuanYi Zen Hei (printed PDFs),
# poppler-utils (PDF checks), Python's
# venv module, and the pinned Python packages in a project virtual
# environment `.venv` (Debian's system Python is EXTERNALLY-MANAGED: pip
# refuses to install into it, and the app should not touch it anyway).
# Safe to run again: it checks what is there without the network, and asks a
# registry (apt-get, pip) only for what is really missing. When that fails,
# say what is missing and how to install it from an offline bundle
# (scripts/bundle.sh, scripts/install-offline.sh; README "Offline install").
#
#   bash scripts/setup.sh          # runtime packages (requirements.txt)
#   bash scripts/setup.sh --test   # plus test packages (requirements-test.txt)
#   bash scripts/setup.sh --debian-packages   # print the Debian packages the app needs
#
# PYTHON chooses the interpreter the venv is made from (default python3, 3.11+).
set -euo pipefail
cd "$(dirname "$0")/.."

# The Debian packages the app needs at run time (scripts/bundle.sh carries
# them, with their dependencies, to servers without network).
DEBIAN_PACKAGES=(chromium fonts-noto-cjk fonts-wqy-zenhei poppler-utils python3-venv fontconfig)
if [ "${1:-}" = "--debian-packages" ]; then
  echo "${DEBIAN_PACKAGES[*]}"
  exit 0
fi

reqs=requirements.txt
[ "${1:-}" = "--test" ] && reqs=requirements-test.txt
PYTHON=${PYTHON:-python3}
VENV=.venv

# What is missing and how to bring it from a connected machine; exit 3.
offline_help() {
  cat >&2 <<MSG
setup: missing: $1
setup: $2, so it cannot be installed from here.
  If this machine reaches no package registry, install from an offline bundle:
  on a machine with network, in a copy of this project, run
      bash scripts/bundle.sh          # writes cadre-bundle.tar.gz
  carry cadre-bundle.tar.gz to this machine and run
      bash scripts/install-offline.sh cadre-bundle.tar.gz --dir $PWD
  (README.md, "Offline install"). The failed command's report: $3
MSG
  exit 3
}

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
# The font list is read whole before it is searched: `fc-list | grep -q` under
# pipefail fails with 141 whenever grep quits before fc-list has written all,
# which sent about half of the starts to apt-get for fonts already there.
fonts=$(fc-list 2>/dev/null || true)
grep -qi "Noto Sans CJK" <<<"$fonts" || need_apt+=(fonts-noto-cjk)
# PDFs are printed in a TrueType-outline CJK font (cadre.export.pack.PRINT_FONT):
# Noto CJK's CFF outlines print as Type 3 fonts whose text copies wrongly.
grep -qi "WenQuanYi Zen Hei" <<<"$fonts" || need_apt+=(fonts-wqy-zenhei)
command -v fc-list >/dev/null 2>&1 || need_apt+=(fontconfig)
command -v pdftoppm >/dev/null 2>&1 || need_apt+=(poppler-utils)
if [ ! -x "$VENV/bin/python" ] && ! "$PYTHON" -c "import ensurepip, venv" >/dev/null 2>&1; then
  need_apt+=(python3-venv)   # Debian ships venv's pip bootstrap separately
fi
# The tests start the app in a network namespace with no network
# (tests/test_offline_install.py): `unshare` is util-linux, `ip` is iproute2.
if [ "$reqs" = requirements-test.txt ]; then
  command -v ip >/dev/null 2>&1 || need_apt+=(iproute2)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "setup: installing ${need_apt[*]} with apt-get"
  log=$(mktemp -t cadre-setup-apt.XXXXXX)
  # --error-on=any: a mirror that does not answer fails the update (by
  # default apt-get only warns and goes on with stale or no lists).
  $SUDO apt-get update -qq --error-on=any >"$log" 2>&1 \
    || offline_help "${need_apt[*]} (Debian packages)" "apt-get update reached no package mirror" "$log"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >>"$log" 2>&1 \
    || offline_help "${need_apt[*]} (Debian packages)" "apt-get install failed" "$log"
  rm -f "$log"
fi

if ! "$PYTHON" -c "import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)"; then
  echo "setup: Python 3.11 or newer is needed ($PYTHON is older)" >&2
  exit 2
fi
if [ ! -x "$VENV/bin/python" ]; then
  echo "setup: making the virtual environment $VENV"
  "$PYTHON" -m venv "$VENV"
fi

# The pins the venv lacks (missing, or another version installed), found
# offline from the installed packages' metadata: pip is run only for them.
missing=$("$VENV/bin/python" - "$reqs" <<'PY'
import sys
from importlib import metadata
from pathlib import Path


def pins(path: Path):
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line.startswith("-r "):
            yield from pins(path.parent / line[3:].strip())
        elif line and not line.startswith("-"):
            name, _, version = line.partition("==")
            yield name.strip(), version.strip()


for name, version in pins(Path(sys.argv[1])):
    try:
        have = metadata.version(name)
    except metadata.PackageNotFoundError:
        have = None
    if have is None or (version and have != version):
        print(f"{name}=={version}" if version else name)
PY
)
if [ -n "$missing" ]; then
  echo "setup: installing $reqs into $VENV ($(echo $missing))"
  log=$(mktemp -t cadre-setup-pip.XXXXXX)
  "$VENV/bin/python" -m pip install --disable-pip-version-check -q -r "$reqs" >"$log" 2>&1 \
    || offline_help "$(echo $missing) (Python packages for $VENV)" "pip could not install them" "$log"
  rm -f "$log"
fi

# The project itself, editable, so that .venv/bin/cadre runs this checkout:
# no dependencies (installed above) and the venv's own setuptools, so this
# never reaches for a registry. scripts/cadre works without it.
if [ ! -x "$VENV/bin/cadre" ]; then
  echo "setup: installing the cadre command into $VENV"
  "$VENV/bin/python" -m pip install --disable-pip-version-check -q --no-deps --no-build-isolation -e . \
    || echo "setup: could not install .venv/bin/cadre (bash scripts/cadre works without it)" >&2
fi
