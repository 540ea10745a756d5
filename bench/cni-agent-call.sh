#!/usr/bin/env bash
# What one call to the node agent costs a per-pod process: the plugin's light framing against a
# gRPC client, both NativeAOT, both one round trip over the agent's Unix socket, each measured
# against the same binary doing no call (so start-up differences between the two binaries cancel):
#   framing: `routednet` STATUS through the agent (one CniStatus)  minus  `routednet` VERSION
#   gRPC:    `routednetctl node status` (one GetNodeStatus)        minus  `routednetctl --version`
# Prints the median and p90 of RUNS execs of each (ms) and the two differences.
#   sudo bench/cni-agent-call.sh [RUNS=200]
#   env: ROUTEDNET=out/bin/routednet ROUTEDNETCTL=out/bin/routednetctl ROUTEDNET_NODE=out/bin/routednet-node
# Runs a routednet-node on a private sqlite store in a namespace it creates (rnc-<id>) and removes.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
runs=${1:-200}
plugin=$(realpath "${ROUTEDNET:-$here/../out/bin/routednet}")
ctl=$(realpath "${ROUTEDNETCTL:-$here/../out/bin/routednetctl}")
node_bin=$(realpath "${ROUTEDNET_NODE:-$here/../out/bin/routednet-node}")
[ "$(id -u)" = 0 ] || { echo "needs root (network namespace)" >&2; exit 1; }
for b in "$plugin" "$ctl" "$node_bin"; do [ -x "$b" ] || { echo "$b missing: run ./build.sh first" >&2; exit 1; }; done
id=rnc-$(head -c4 /dev/urandom | od -An -tx1 | tr -d ' \n')
scratch=$(mktemp -d "${TMPDIR:-/tmp}/$id.XXXX")
agent_pid=
cleanup() {
  if [ -n "$agent_pid" ]; then kill "$agent_pid" 2>/dev/null || true; wait "$agent_pid" 2>/dev/null || true; fi
  ip netns delete "$id" 2>/dev/null || true
  rm -rf "$scratch"
}
trap cleanup EXIT
ip netns add "$id"; ip -n "$id" link set lo up
store=sqlite://$scratch/store.db
printf 'apiVersion: routednet.io/v1\nkind: IPPool\nmetadata:\n  name: bench\nspec:\n  cidr: 10.214.0.0/16\n' >"$scratch/pool.yaml"
"$ctl" --datastore "$store" apply -f "$scratch/pool.yaml" >/dev/null
ip netns exec "$id" "$node_bin" --datastore "$store" --node-name "$id" --node-ip 10.214.255.1 --api-socket "$scratch/node.sock" \
  --health-port 0 --metrics-port 0 --cni-data-dir "$scratch/cni" >"$scratch/agent.log" 2>&1 &
agent_pid=$!
for _ in $(seq 100); do [ -S "$scratch/node.sock" ] && break; sleep 0.1; done
[ -S "$scratch/node.sock" ] || { echo "routednet-node did not start: $(tail -3 "$scratch/agent.log")" >&2; exit 1; }
conf=$(printf '{"cniVersion":"1.1.0","name":"bench","type":"routednet","datastoreAccess":"agent","agentSocket":"%s/node.sock","dataDir":"%s/cni","ipam":{"type":"routednet-ipam"}}' "$scratch" "$scratch")

timed() { # label command...: RUNS execs, prints "label median p90"
  local label=$1 i t0 t1; shift
  "$@" >/dev/null 2>&1 || { echo "$label failed: $*" >&2; "$@" >&2 || true; exit 1; }
  for ((i = 0; i < runs; i++)); do
    t0=${EPOCHREALTIME/./}; "$@" >/dev/null 2>&1; t1=${EPOCHREALTIME/./}; echo $((t1 - t0))
  done | sort -n | awk -v l="$label" '{ v[NR] = $1 } END { printf "%-28s %8.2f %8.2f\n", l, v[int(NR/2)+1]/1000, v[int(NR*0.9)]/1000 }'
}
plugin_run() { CNI_COMMAND=$1 CNI_PATH=/nonexistent ip netns exec "$id" "$plugin" <<<"$conf"; }
echo "cni-agent-call: $runs execs each; machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-28s %8s %8s\n' "" "median" "p90"
{
  timed "routednet VERSION" plugin_run VERSION
  timed "routednet STATUS (framing)" plugin_run STATUS
  timed "routednetctl --version" ip netns exec "$id" "$ctl" --version
  timed "routednetctl node status" ip netns exec "$id" "$ctl" node status --node-socket "$scratch/node.sock"
} | tee "$scratch/out"
awk 'NR==1{a=$(NF-1)} NR==2{b=$(NF-1)} NR==3{c=$(NF-1)} NR==4{d=$(NF-1)} END { printf "one call: framing %.2f ms, gRPC %.2f ms (medians, each minus its binary doing no call)\n", b-a, d-c }' "$scratch/out"
