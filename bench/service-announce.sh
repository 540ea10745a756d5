#!/usr/bin/env bash
# Services over BGP (issue 17): the time from a datastore write to the ToR's kernel FIB.
# A LoadBalancer Service with externalTrafficPolicy Local and one endpoint on node 1; each change
# flips that endpoint's `ready` with `routednetctl apply` (the datastore write): ready=false makes
# node 1 withdraw the VIP's /32, ready=true announce it again. The ToR's routes are watched with
# `ip -ts monitor route` in the tor namespace (the time the event arrived); the write is stamped
# when apply exits (it returns after the commit) and, for the whole pipeline with the process
# start, when it is started. N changes each way; prints median, p99 and max (ms). Negative = the
# FIB changed before apply had exited.
#
#   bench/service-announce.sh [-n CHANGES=20] [-t bird|frr]
#   env: ROUTEDNETCTL=out/bin/routednetctl (the other binaries are next to it, or in ROUTEDNET_BIN_DIR)
#
# Root: it runs its own `routednetctl lab up --tor TOR` (3 nodes, 1 pod each, a private --lab-dir
# and namespace prefix, so it never meets another lab) and its `lab down` at the end.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/latency-lib.sh"
n=20 tor=bird
while getopts n:t: opt; do
  case $opt in
    n) n=$OPTARG ;; t) tor=$OPTARG ;;
    *) echo "usage: $0 [-n changes] [-t bird|frr]" >&2; exit 2 ;;
  esac
done
case $tor in bird|frr) ;; *) echo "-t $tor: bird or frr (GoBGP installs nothing in the kernel)" >&2; exit 2 ;; esac
ctl=$(realpath "${ROUTEDNETCTL:-$here/../out/bin/routednetctl}")
[ "$(id -u)" = 0 ] || { echo "run as root: the lab creates network namespaces" >&2; exit 1; }
[ -x "$ctl" ] || { echo "$ctl missing: run ./build.sh first" >&2; exit 1; }
command -v jq >/dev/null || { echo "jq missing: apt-get install -y jq" >&2; exit 1; }
export TZ=UTC  # `ip -ts` prints local time; the stamps are UTC

scratch=$(mktemp -d "${TMPDIR:-/tmp}/rn-svc-announce.XXXX")
labdir=$scratch/lab
prefix=rnlab-sv$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')
vip=198.51.100.10
monitor_pid=
cleanup() {
  [ -n "$monitor_pid" ] && kill "$monitor_pid" 2>/dev/null || true
  "$ctl" lab down --lab-dir "$labdir" >/dev/null 2>&1 || true
  rm -rf "$scratch"
}
trap cleanup EXIT
lab() { "$ctl" lab "$@" --lab-dir "$labdir"; }

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
lab up --nodes 3 --pods-per-node 1 --prefix "$prefix" --tor "$tor" >"$scratch/up.log" || { cat "$scratch/up.log" >&2; exit 1; }
lab status -o json >"$scratch/status.json"
node1=$(jq -r '.nodes[0].name' "$scratch/status.json")
pid1=$(jq -r '.nodes[0].agentPid' "$scratch/status.json")
pod=$(jq -c --arg n "$node1" '[.pods[] | select(.node == $n)][0]' "$scratch/status.json")
tons=$prefix-tor
datastore=$(tr '\0' '\n' <"/proc/$pid1/cmdline" | sed -n '/^--datastore$/{n;p;q}')
[ -n "$datastore" ] || { echo "cannot find the lab's datastore on $node1's agent (pid $pid1)" >&2; exit 1; }
store() { "$ctl" --datastore "$datastore" "$@"; }

store get bgpconfiguration default -o json | jq '.spec.serviceLoadBalancerIPs = [{cidr: "198.51.100.0/24"}]' | store apply -f - >/dev/null
lab add-service web --type LoadBalancer --external-traffic-policy Local --ip "$vip" --endpoints "$(jq -r .name <<<"$pod")" >/dev/null
service() { # ready
  jq -n --argjson pod "$pod" --argjson ready "$1" --arg vip "$vip" '{
    apiVersion: "routednet.io/v1", kind: "Service", metadata: {name: "web", namespace: "lab"},
    spec: {type: "LoadBalancer", externalTrafficPolicy: "Local"},
    status: {loadBalancer: {ingress: [{ip: $vip}]}},
    endpoints: [{addresses: $pod.addresses, nodeName: $pod.node, conditions: {ready: $ready, terminating: ($ready | not)}}]}'
}
for _ in $(seq 1000); do ip -n "$tons" route show exact "$vip/32" | grep -q via && break; sleep 0.01; done
ip -n "$tons" route show exact "$vip/32" | grep -q via || { echo "the ToR never installed $vip/32" >&2; exit 1; }

ip -n "$tons" -ts monitor route >"$scratch/monitor.log" &
monitor_pid=$!
sleep 0.5

: >"$scratch/withdraw" ; : >"$scratch/announce" ; : >"$scratch/withdraw-start" ; : >"$scratch/announce-start"
for i in $(seq $((2 * n))); do
  if [ $((i % 2)) = 1 ]; then what=withdraw ready=false pattern="Deleted $vip"; else what=announce ready=true pattern="\] $vip"; fi
  service "$ready" >"$scratch/svc.json"
  seen=$(wc -l <"$scratch/monitor.log")
  started=$(date -u +%s.%N)
  store apply -f "$scratch/svc.json" >/dev/null
  written=$(date -u +%s.%N)
  line=
  for _ in $(seq 1000); do  # up to 10 s
    line=$(tail -n +"$((seen + 1))" "$scratch/monitor.log" | grep -m1 -E "$pattern( |/32)" || true)
    [ -n "$line" ] && break
    sleep 0.005
  done
  [ -n "$line" ] || { echo "change $i ($what): the ToR's kernel never showed it" >&2; tail -5 "$scratch/monitor.log" >&2; exit 1; }
  at=$(monitor_line_time "$line")
  append_ms "$scratch/$what" "$at" "$written"
  append_ms "$scratch/$what-start" "$at" "$started"
  sleep 0.2  # let the router settle (BIRD/FRR also update their own RIB)
done

report() { latency_report "$1" "$2" "$tor ToR" changes 0.99; }
report "withdraw: apply exited -> gone from the ToR's kernel" "$scratch/withdraw"
report "announce: apply exited -> in the ToR's kernel" "$scratch/announce"
report "withdraw: apply started -> gone from the ToR's kernel" "$scratch/withdraw-start"
report "announce: apply started -> in the ToR's kernel" "$scratch/announce-start"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
