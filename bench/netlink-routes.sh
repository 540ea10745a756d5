#!/usr/bin/env bash
# Route install/delete speed: RoutedNet's batch netlink API (and the same API one route per call)
# against `ip -batch`, alternating in one run, in a namespace this script creates and deletes.
# Prints the median time per phase, routes/s, and the ratios ours / ip -batch (lower is faster).
#
#   sudo bench/netlink-routes.sh [-n ROUTES=10000] [-r ROUNDS=5]
#
# Routes: 10.200.0.0/14 /32s on a veth inside rnb-<id>; nothing is sent on any wire.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
routes=10000 rounds=5
while getopts n:r: opt; do
  case $opt in
    n) routes=$OPTARG ;; r) rounds=$OPTARG ;;
    *) echo "usage: $0 [-n routes] [-r rounds]" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" = 0 ] || { echo "$0 needs root (network namespaces)" >&2; exit 1; }
command -v ip >/dev/null || { echo "ip is missing: apt-get install -y iproute2" >&2; exit 1; }

ns="rnb-$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')-routes"
ip netns add "$ns"
trap 'ip netns delete "$ns"' EXIT
ip -n "$ns" link add rnb0 type veth peer name rnb1
ip -n "$ns" link set rnb0 up
ip -n "$ns" link set rnb1 up

out=$(mktemp -d)
trap 'ip netns delete "$ns"; rm -rf "$out"' EXIT
dotnet build "$root/bench/netlink/NetlinkBench.csproj" -c Release -nologo -clp:ErrorsOnly -o "$out" >&2
echo "kernel $(uname -r), $(nproc) cpus, $(ip -V)"
dotnet "$out/RoutedNet.NetlinkBench.dll" "$ns" "/run/netns/$ns" rnb0 "$routes" "$rounds"
