#!/usr/bin/env bash
# Run cadre as a system service: started at boot, restarted when it dies,
# as an unprivileged account (never root), with a nightly backup.
#
#   sudo bash scripts/install-service.sh [--port 8501] [--db PATH] [--user cadre]
#                                        [--backup-dir DIR] [--keep 14] [--at 02:30]
#                                        [--address 0.0.0.0]   (default: this machine only, README)
#   sudo bash scripts/install-service.sh --uninstall     # removes the units; keeps the data and backups
#   bash scripts/install-service.sh --root DIR ...       # writes the units under DIR only (no systemctl,
#                                                        # no account, nothing changed on this machine)
#
# It writes three systemd units into /etc/systemd/system:
#   cadre.service        bash scripts/cadre serve --port P --db PATH, as the account, Restart=on-failure
#   cadre-backup.service bash scripts/cadre backup --out DIR --keep N (a dated file; the oldest beyond N deleted)
#   cadre-backup.timer   runs that every night (Persistent: a night missed while off runs at the next boot)
# The account is made if missing (a system account with no shell and no
# password), and the store's folder and the backup folder are given to it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
given=("$@")

port=8501
db="$here/data/cadre.duckdb"
user=cadre
backup_dir=""
keep=14
at="02:30"
address=""
root=""
uninstall=0

die() { echo "install-service: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port="${2:?--port needs a number}"; shift 2 ;;
    --db) db="${2:?--db needs a path}"; shift 2 ;;
    --user) user="${2:?--user needs a name}"; shift 2 ;;
    --backup-dir) backup_dir="${2:?--backup-dir needs a folder}"; shift 2 ;;
    --keep) keep="${2:?--keep needs a number}"; shift 2 ;;
    --at) at="${2:?--at needs a time (HH:MM)}"; shift 2 ;;
    --address) address="${2:?--address needs an address}"; shift 2 ;;
    --root) root="${2:?--root needs a folder}"; shift 2 ;;
    --uninstall) uninstall=1; shift ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done

[[ "$port" =~ ^[0-9]+$ ]] && [ "$port" -ge 1 ] && [ "$port" -le 65535 ] || die "--port must be a number from 1 to 65535, not $port"
[[ "$keep" =~ ^[0-9]+$ ]] && [ "$keep" -ge 1 ] || die "--keep must be 1 or more, not $keep"
[[ "$at" =~ ^([01][0-9]|2[0-3]):[0-5][0-9]$ ]] || die "--at must be a time HH:MM, not $at"
[ -z "$address" ] || [[ "$address" =~ ^[0-9A-Fa-f.:]+$ ]] || die "--address must be an IP address, not $address"
[[ "$user" =~ ^[a-z_][a-z0-9_-]*$ ]] || die "--user must be an account name (lower-case letters, digits, - and _), not $user"
if [ "$user" = root ] || { getent passwd "$user" >/dev/null 2>&1 && [ "$(id -u "$user")" = 0 ]; }; then
  die "the service must not run as root: give --user an unprivileged account (default: cadre)"
fi
case "$db" in /*) ;; *) db="$(pwd)/$db" ;; esac
data_dir="$(dirname "$db")"
[ -n "$backup_dir" ] || backup_dir="$data_dir/backups"
case "$backup_dir" in /*) ;; *) backup_dir="$(pwd)/$backup_dir" ;; esac
units="$root/etc/systemd/system"

live() { [ -z "$root" ]; }
if live && [ "$(id -u)" -ne 0 ]; then
  die "run it as root: sudo bash $here/scripts/install-service.sh ${given[*]:-}"
fi
if live && ! command -v systemctl >/dev/null 2>&1; then
  die "systemctl not found: this machine does not run systemd"
fi

if [ "$uninstall" = 1 ]; then
  if live; then
    systemctl disable --now cadre-backup.timer cadre.service >/dev/null 2>&1 || true
  fi
  rm -f "$units/cadre.service" "$units/cadre-backup.service" "$units/cadre-backup.timer"
  if live; then systemctl daemon-reload; fi
  echo "install-service: removed cadre.service, cadre-backup.service and cadre-backup.timer."
  echo "install-service: the store ($db), its backups ($backup_dir) and the account $user were kept."
  exit 0
fi

[ -x "$here/.venv/bin/python" ] || die "$here/.venv is missing: run first: sudo bash $here/scripts/setup.sh"

if live; then
  if ! getent passwd "$user" >/dev/null 2>&1; then
    nologin="$(command -v nologin || echo /usr/sbin/nologin)"
    useradd --system --user-group --home-dir "$data_dir" --no-create-home --shell "$nologin" "$user"
    echo "install-service: made the system account $user (no password, no shell)"
  fi
  group="$(id -gn "$user")"
  mkdir -p "$data_dir" "$backup_dir"
  chown "$user:$group" "$data_dir" "$backup_dir"
  chmod 0750 "$data_dir" "$backup_dir"
  # The store, its log and the lock files belong to the account; nothing else is changed.
  find "$data_dir" -maxdepth 2 \( -name '*.duckdb*' -o -name logs -o -name 'cadre.log*' \) \
    -exec chown "$user:$group" {} +
  if ! runuser -u "$user" -- test -r "$here/app.py" -a -x "$here/.venv/bin/python"; then
    die "the account $user cannot read $here: move the checkout to a readable place (e.g. /srv/cadre) or give it read access"
  fi
else
  group="$user"
fi

q() {  # a path quoted for a systemd command line
  local s="${1//\\/\\\\}"
  printf '"%s"' "${s//\"/\\\"}"
}
# What both services share: the account, the project folder, the store, and a narrow sandbox.
service="User=$user
Group=$group
WorkingDirectory=$here
Environment=$(q "CADRE_DB=$db")
Environment=$(q "HOME=$data_dir")
UMask=0027
NoNewPrivileges=yes
PrivateTmp=yes
ProtectSystem=full"
mkdir -p "$units"
cat >"$units/cadre.service" <<EOF
# Written by scripts/install-service.sh; remove with: sudo bash $here/scripts/install-service.sh --uninstall
[Unit]
Description=cadre: the office's cadre assessment dashboard (port $port)
After=network.target

[Service]
Type=simple
$service
ExecStart=/bin/bash $(q "$here/scripts/cadre") serve --port $port --db $(q "$db")${address:+ --address $address}
Restart=on-failure
RestartSec=5

[Install]
WantedBy=multi-user.target
EOF
cat >"$units/cadre-backup.service" <<EOF
# Written by scripts/install-service.sh: the nightly backup (cadre-backup.timer starts it).
[Unit]
Description=cadre: back up the store into $backup_dir (the newest $keep kept)

[Service]
Type=oneshot
$service
ExecStart=/bin/bash $(q "$here/scripts/cadre") backup --out $(q "$backup_dir") --keep $keep --db $(q "$db") --wait 600
EOF
cat >"$units/cadre-backup.timer" <<EOF
# Written by scripts/install-service.sh: every night at $at, and at the next boot after a night missed.
[Unit]
Description=cadre: nightly backup of the store

[Timer]
OnCalendar=*-*-* $at:00
Persistent=true
RandomizedDelaySec=300

[Install]
WantedBy=timers.target
EOF

if live; then
  systemctl daemon-reload
  systemctl enable --now cadre.service cadre-backup.timer
  echo "install-service: cadre runs as $user on port $port (http://localhost:$port), and starts at boot."
  echo "install-service: nightly backup at $at into $backup_dir, the newest $keep kept."
  echo "install-service: commands on this store run as the account, e.g.:"
  echo "  sudo -u $user bash $here/scripts/cadre user add 王主任 --role admin --db $db"
  echo "  systemctl status cadre          journalctl -u cadre          $data_dir/logs/cadre.log"
else
  echo "install-service: wrote $units/cadre.service, cadre-backup.service and cadre-backup.timer (nothing enabled)."
fi
