#!/usr/bin/env bash
# Convergence in the lab: the time from a pod's CNI ADD returning on node 1 until node 3's kernel
# routes the pod's address, over N pods added one after the other. Every pod must need a new
# announcement, so the pods come from a pool with /32 blocks (the lab's own /24 pool is disabled
# for the run): each ADD claims a block, node 1's agent blackholes and announces it, node 3 learns
# it over BGP and installs `ADDR via NODE1`. Node 3's routes are watched with a netlink route
# monitor (`ip -ts monitor route`, kernel event time), the ADD's return is stamped when
# `routednetctl lab add-pod` (which execs the real CNI binary) exits. Prints median and p99 (ms).
#
#   bench/convergence.sh [-n PODS=50] [-t TOR]    (TOR: bird|frr, mesh off: routes via the router)
#   env: ROUTEDNETCTL=out/bin/routednetctl
#
# Root: it runs `routednetctl lab up` (3 nodes, 2 pods each) and `lab down` at the end.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
n=50 tor=
while getopts n:t: opt; do
  case $opt in
    n) n=$OPTARG ;; t) tor=$OPTARG ;;
    *) echo "usage: $0 [-n pods] [-t bird|frr]" >&2; exit 2 ;;
  esac
done
ctl=$(realpath "${ROUTEDNETCTL:-$here/../out/bin/routednetctl}")
[ "$(id -u)" = 0 ] || { echo "run as root: the lab creates network namespaces" >&2; exit 1; }
[ -x "$ctl" ] || { echo "$ctl missing: run ./build.sh first" >&2; exit 1; }
command -v jq >/dev/null || { echo "jq missing: apt-get install -y jq" >&2; exit 1; }

scratch=$(mktemp -d "${TMPDIR:-/tmp}/rn-convergence.XXXX")
monitor_pid=
cleanup() {
  [ -n "$monitor_pid" ] && kill "$monitor_pid" 2>/dev/null || true
  "$ctl" lab down >/dev/null 2>&1 || true
  rm -rf "$scratch"
}
trap cleanup EXIT

"$ctl" lab down >/dev/null
"$ctl" lab up --nodes 3 --pods-per-node 2 ${tor:+--tor "$tor"} >"$scratch/up.log" || { cat "$scratch/up.log" >&2; exit 1; }
"$ctl" lab status -o json >"$scratch/status.json"
node1=$(jq -r '.nodes[0].name' "$scratch/status.json")
ns3=$(jq -r '.nodes[2].namespace' "$scratch/status.json")
pid1=$(jq -r '.nodes[0].agentPid' "$scratch/status.json")
# The lab's datastore, as its agents were told (the agent's --datastore flag is a contract).
datastore=$(tr '\0' '\n' <"/proc/$pid1/cmdline" | sed -n '/^--datastore$/{n;p;q}')
[ -n "$datastore" ] || datastore=$(tr '\0' '\n' <"/proc/$pid1/environ" | sed -n 's/^ROUTEDNET_DATASTORE=//p')
[ -n "$datastore" ] || { echo "cannot find the lab's datastore on $node1's agent (pid $pid1)" >&2; exit 1; }

if [ -n "$tor" ]; then
  printf 'apiVersion: routednet.io/v1\nkind: BGPConfiguration\nmetadata: {name: default}\nspec: {nodeToNodeMesh: false}\n' |
    "$ctl" --datastore "$datastore" apply -f - >/dev/null
fi
# Disable every pool there is, then add the /32-block one.
for pool in $("$ctl" --datastore "$datastore" get ippool -o json | jq -r '.items[]? // . | .metadata.name'); do
  "$ctl" --datastore "$datastore" get ippool "$pool" -o json | jq '.spec.disabled = true' |
    "$ctl" --datastore "$datastore" apply -f - >/dev/null
done
printf 'apiVersion: routednet.io/v1\nkind: IPPool\nmetadata: {name: convergence}\nspec: {cidr: 10.250.0.0/16, blockSize: 32}\n' |
  "$ctl" --datastore "$datastore" apply -f - >/dev/null

ip -n "$ns3" -ts monitor route >"$scratch/monitor.log" &
monitor_pid=$!
sleep 0.5

: >"$scratch/samples"
for i in $(seq "$n"); do
  pod=$("$ctl" lab add-pod "$node1" -o json)
  added=$(date -u +%s.%N)
  ip=$(jq -r '.addresses[0]' <<<"$pod" | cut -d/ -f1)
  case $ip in 10.250.*) ;; *) echo "pod $i got $ip, not from the /32-block pool" >&2; exit 1 ;; esac
  line=
  for _ in $(seq 2000); do  # up to 10 s
    line=$(grep -m1 -E "\] ($ip|$ip/32) (via|nexthop)" "$scratch/monitor.log" || true)
    [ -n "$line" ] && break
    sleep 0.005
  done
  [ -n "$line" ] || { echo "node 3 never installed $ip" >&2; exit 1; }
  at=$(date -u -d "$(sed -E 's/^\[([^]]+)\].*/\1/' <<<"$line")" +%s.%N)
  awk -v a="$at" -v b="$added" 'BEGIN { printf "%.3f\n", (a - b) * 1000 }' >>"$scratch/samples"
done

sort -n "$scratch/samples" | awk -v tor="${tor:-mesh}" '
  { s[NR] = $1 }
  function rank(q,   k) { k = int(q * NR + 0.999999); return s[k < 1 ? 1 : k] }
  END { printf "convergence (%s, %d pods): median %.1f ms, p99 %.1f ms, min %.1f ms, max %.1f ms\n", tor, NR, rank(0.5), rank(0.99), s[1], s[NR] }'
