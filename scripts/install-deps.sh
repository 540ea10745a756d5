#!/usr/bin/env bash
# Installs the Debian packages that the lab and the tests need, only those missing.
set -euo pipefail
packages=(
  iproute2 iputils-ping procps                  # namespaces, veths, ping, sysctl
  containernetworking-plugins                   # reference ptp, host-local, loopback, portmap
  containerd runc podman busybox-static         # real CNI clients
  etcd-server etcd-client                       # the distributed datastore
  bird2 frr gobgpd                              # real BGP peers
  libsqlite3-0                                  # the embedded datastore (system SQLite)
  jq                                            # bench/convergence.sh reads `lab status -o json`
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
