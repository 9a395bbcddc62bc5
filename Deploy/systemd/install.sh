#!/bin/sh
# Installs driftd as a systemd service, from a checkout with a release build:
#   sudo Deploy/systemd/install.sh [BINARY]          (default .build/release/driftd)
#   DESTDIR=/tmp/root Deploy/systemd/install.sh ...  (into another root: packaging, and the tests)
# Then edit /etc/driftd/driftd.yaml and `systemctl enable --now driftd`. An existing driftd.yaml is kept.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
binary=${1:-$repo/.build/release/driftd}
root=${DESTDIR:-}
[ -x "$binary" ] || { echo "install.sh: $binary is not an executable; build it (swift build -c release)" >&2; exit 2; }

install -D -m 0755 "$binary" "$root/usr/local/bin/driftd"
install -d -m 0755 "$root/etc/driftd/rules"
[ -e "$root/etc/driftd/driftd.yaml" ] || install -m 0644 "$here/driftd.yaml" "$root/etc/driftd/driftd.yaml"
# The shipped rules: the installed config's rule_files name them, and ExecStartPre's check reads them.
install -m 0644 "$repo"/Config/rules/*.yaml "$root/etc/driftd/rules/"
install -D -m 0644 "$here/driftd.service" "$root/etc/systemd/system/driftd.service"
install -D -m 0644 "$here/driftd.sysusers" "$root/usr/lib/sysusers.d/driftd.conf"
install -D -m 0644 "$here/driftd.tmpfiles" "$root/usr/lib/tmpfiles.d/driftd.conf"
if [ -d "$root/var/lib/prometheus/node-exporter" ]; then
  install -m 0644 "$here/driftd-node-exporter.tmpfiles" "$root/usr/lib/tmpfiles.d/driftd-node-exporter.conf"
fi

if [ -n "$root" ]; then
  systemd-sysusers --root="$root"
  systemd-tmpfiles --root="$root" --create
else
  systemd-sysusers /usr/lib/sysusers.d/driftd.conf
  systemd-tmpfiles --create /usr/lib/tmpfiles.d/driftd*.conf
  # The readers of what driftd writes.
  for reader in prometheus vector; do
    if id "$reader" >/dev/null 2>&1; then usermod -aG driftd "$reader"; fi
  done
  systemctl daemon-reload
fi
