#!/usr/bin/env bash
# nf_tables operations of issue 16: RoutedNet's NftablesHandle (netlink from C#) against `nft -f`
# (one exec per change, as an agent shelling out runs it), alternating in one run, inside a
# namespace this script creates and deletes. Phases (medians): full load of 1,000 rules + 2 vmaps
# + 3 x 10,000 elements; one policy change (flush a chain + 5 rules); one element added to a 10k set;
# reading the whole table back (our dumps against `nft -j list table`); the rule dump alone (what a
# scrape of the per-policy counters costs).
#
#   sudo bench/nft-ops.sh [-r ROUNDS=5] [-e ELEMENT_ADDS_PER_ROUND=200]
#
# Checks first that both produce the same `nft list table`. Nothing is sent on any wire.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=5 elements=200
while getopts r:e: opt; do
  case $opt in
    r) rounds=$OPTARG ;; e) elements=$OPTARG ;;
    *) echo "usage: $0 [-r rounds] [-e element adds per round]" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" = 0 ] || { echo "$0 needs root (network namespaces)" >&2; exit 1; }
command -v nft >/dev/null || { echo "nft is missing: apt-get install -y nftables" >&2; exit 1; }

ns="rnnft-bench-$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')"
out=$(mktemp -d)
ip netns add "$ns"
trap 'ip netns delete "$ns"; rm -rf "$out"' EXIT
dotnet build "$root/bench/nftables/NftablesBench.csproj" -c Release -nologo -clp:ErrorsOnly -o "$out" >&2
echo "kernel $(uname -r), $(nproc) cpus, $(nft --version), load $(cut -d' ' -f1-3 /proc/loadavg)"
ip netns exec "$ns" dotnet "$out/RoutedNet.NftablesBench.dll" "$rounds" "$elements"
