#!/usr/bin/env bash
# ./lab.sh up [--nodes N] [--pods-per-node P] [--tor bird|frr|gobgp] [--no-mesh] — the README's first command.
# A thin wrapper: install the missing Debian packages, build, then `routednetctl lab up`. The lab
# itself (namespaces rnlab-*, one routednet-node per node, pods wired by the real CNI binary) is
# src/Ctl/Lab; its state is in /run/routednet-lab (ROUTEDNET_LAB_DIR). Other verbs pass through:
# ./lab.sh status [-o json] | ping | add-pod NODE | del-pod POD | restart-node NODE | add-node | down
set -euo pipefail
cd "$(dirname "$0")"

die() { echo "lab: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "run as root: the lab creates network namespaces"
[ $# -gt 0 ] || die "usage: ./lab.sh up [--nodes N] [--pods-per-node P] [--tor bird|frr|gobgp] [--no-mesh] | status | ping | add-pod NODE | del-pod POD | restart-node NODE | add-node | down"

case "$1" in
  up)
    ./scripts/install-deps.sh
    command -v dotnet >/dev/null ||
      die "the .NET 10 SDK is needed to build: https://learn.microsoft.com/dotnet/core/install/linux-debian"
    ./build.sh
    ;;
  *)
    [ -x out/bin/routednetctl ] || die "nothing built yet: ./lab.sh up first"
    ;;
esac
exec out/bin/routednetctl lab "$@"
