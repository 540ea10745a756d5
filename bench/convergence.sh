#!/usr/bin/env bash
# Convergence in the lab: the time from a pod's CNI ADD returning on node 1 until node 3's kernel
# routes the pod's address, over N pods added one after the other; and, for the same pods, until
# the pod first answers a ping sent from a pod on node 3 ("reachable from node 3").
# A sample needs a new announcement, so the pods come from a pool with /31 blocks (the lab's own
# /24 pool is disabled for the run; a /32 block would be blackholed under the pod's own route):
# every other ADD claims a new block, node 1's agent blackholes and announces it, node 3 learns
# it over BGP and installs `BLOCK/31 via NODE1`. Only those ADDs are samples (2N pods for N
# samples; an ADD into a block node 3 already routes is not one). Node 3's routes are
# watched with a netlink route monitor (`ip -ts monitor route`: the time the event arrived), the
# ADD's return is stamped when `routednetctl lab add-pod` (which execs the real CNI binary) exits;
# the ping (`ping -D -i 0.002`, started then) stamps its first reply. Prints median, p90 and max (ms);
# negative = node 3 routed the pod before its ADD returned. Also from add-pod's start, which is
# the whole pipeline (CNI exec, IPAM claim, agent watch, BGP, route install). Under load the
# reach figure is mostly the time to start `ip netns exec ... ping`.
#
#   bench/convergence.sh [-n SAMPLES=50] [-t TOR]    (TOR: bird|frr, mesh off: routes via the router)
#   env: ROUTEDNETCTL=out/bin/routednetctl (the other binaries are next to it, or in ROUTEDNET_BIN_DIR)
#
# Root: it runs its own `routednetctl lab up` (3 nodes, 2 pods each, a private --lab-dir and
# namespace prefix, so it never meets another lab) and its `lab down` at the end.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/latency-lib.sh"
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
export TZ=UTC  # `ip -ts` prints local time; the ADD stamps are UTC

scratch=$(mktemp -d "${TMPDIR:-/tmp}/rn-convergence.XXXX")
labdir=$scratch/lab
prefix=rnlab-cv$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')
monitor_pid=
cleanup() {
  [ -n "$monitor_pid" ] && kill "$monitor_pid" 2>/dev/null || true
  "$ctl" lab down --lab-dir "$labdir" >/dev/null 2>&1 || true
  rm -rf "$scratch"
}
trap cleanup EXIT
lab() { "$ctl" lab "$@" --lab-dir "$labdir"; }

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
lab up --nodes 3 --pods-per-node 2 --prefix "$prefix" ${tor:+--tor "$tor"} >"$scratch/up.log" || { cat "$scratch/up.log" >&2; exit 1; }
lab status -o json >"$scratch/status.json"
node1=$(jq -r '.nodes[0].name' "$scratch/status.json")
node3=$(jq -r '.nodes[2].name' "$scratch/status.json")
ns3=$(jq -r '.nodes[2].namespace' "$scratch/status.json")
pinger=$(jq -r --arg n "$node3" '[.pods[] | select(.node == $n)][0].namespace' "$scratch/status.json")
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
printf 'apiVersion: routednet.io/v1\nkind: IPPool\nmetadata: {name: convergence}\nspec: {cidr: 10.250.0.0/16, blockSize: 31}\n' |
  "$ctl" --datastore "$datastore" apply -f - >/dev/null
sleep 1  # the agents see the pool change

ip -n "$ns3" -ts monitor route >"$scratch/monitor.log" &
monitor_pid=$!
sleep 0.5

: >"$scratch/route" ; : >"$scratch/reach" ; : >"$scratch/from-start"
i=0
while [ "$(wc -l <"$scratch/route")" -lt "$n" ]; do
  i=$((i + 1))
  [ "$i" -le $((3 * n)) ] || { echo "too few ADDs claimed a new block" >&2; exit 1; }
  seen=$(wc -l <"$scratch/monitor.log")
  started=$(date -u +%s.%N)
  pod=$(lab add-pod "$node1" -o json)
  added=$(date -u +%s.%N)
  ip=$(jq -r '.addresses[0]' <<<"$pod" | cut -d/ -f1)
  case $ip in 10.250.*) ;; *) echo "pod $i got $ip, not from the /31-block pool" >&2; exit 1 ;; esac
  block=${ip%.*}.$(( ${ip##*.} & ~1 ))
  # Not a sample when node 3 already routes the block (the ADD took its second address).
  if ip -n "$ns3" route show "$block/31" | grep -q via && ! tail -n +"$((seen + 1))" "$scratch/monitor.log" | grep -qE "\] $block/31 (via|nexthop)"; then
    continue
  fi
  ip netns exec "$pinger" ping -n -D -i 0.002 -c 1 -w 10 "$ip" >"$scratch/ping.$i" 2>&1 &
  ping_pid=$!
  line=
  for _ in $(seq 1000); do  # up to 10 s
    line=$(tail -n +"$((seen + 1))" "$scratch/monitor.log" | grep -m1 -E "\] $block/31 (via|nexthop)" || true)
    [ -n "$line" ] && break
    sleep 0.01
  done
  [ -n "$line" ] || { echo "node 3 never installed $block/31" >&2; exit 1; }
  at=$(monitor_line_time "$line")
  append_ms "$scratch/route" "$at" "$added"
  append_ms "$scratch/from-start" "$at" "$started"
  wait "$ping_pid" || { echo "pod $ip never answered a ping from $pinger" >&2; cat "$scratch/ping.$i" >&2; exit 1; }
  replied=$(sed -nE 's/^\[([0-9.]+)\] .* bytes from .*/\1/p' "$scratch/ping.$i" | head -1)
  append_ms "$scratch/reach" "$replied" "$added"
done

report() { latency_report "$1" "$2" "${tor:-mesh}" samples 0.9; }
report "convergence: ADD returned on node 1 -> route in node 3's kernel" "$scratch/route"
report "convergence: add-pod started (CNI ADD exec'd) -> route in node 3's kernel" "$scratch/from-start"
report "reachable: ADD returned on node 1 -> first ping reply from a node-3 pod" "$scratch/reach"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
