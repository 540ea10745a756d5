#!/usr/bin/env bash
# Network policy, apply -> enforced (issue 16): a routednet-node on a private etcd in a throwaway
# namespace, with ENDPOINTS WorkloadEndpoints (all but LOCAL of them on 100 other nodes; the
# LOCAL pods are wired with veths on this node) and POLICIES policies (Kubernetes NetworkPolicies,
# routednet.io NetworkPolicies and GlobalNetworkPolicies; bench/policy/SyntheticCluster.cs says
# which select what), then:
#   cold start: the agent started on the populated store -> it reports the last write's revision
#               enforced (the whole table programmed), and its own inputs -> committed time;
#   changes:    CHANGES changes in turn (policy create / update / delete, a Kubernetes policy
#               update, a remote pod's label moving its address between sets, a local pod's label
#               changing which policies select it), each timed from the datastore write's return
#               to the agent answering WaitPolicyRevision (no polling) with that revision enforced;
#               beside it the agent's own inputs -> committed time (PolicyStatus).
# The reference, same run: `nft -f` (one exec per change, as an agent that shells out to nft
# runs it) applying the same delta (the difference of `nft list table` before and after the
# agent's commit: elements, chains flushed and refilled) to a copy of the agent's table in a
# second namespace; and `nft -f` of the whole listed table into an empty namespace for the cold
# start. The reference is the kernel write alone; the agent's figure also holds etcd's watch, the
# recomputation and the commit.
#
#   sudo bench/policy-enforce.sh [-e ENDPOINTS=10000] [-p POLICIES=1000] [-l LOCAL=4] [-n CHANGES=60]
#   env: ROUTEDNET_NODE=out/bin/routednet-node  POLICY_BENCH=<built RoutedNet.PolicyBench.dll>
#        (built here with `dotnet build` when unset: build it first when holding the machine's slots)
#
# Namespaces rnbench-<id>-{node,ref,pN}, deleted on exit with everything the script started.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
endpoints=10000 policies=1000 local=4 changes=60
while getopts e:p:l:n: opt; do
  case $opt in
    e) endpoints=$OPTARG ;; p) policies=$OPTARG ;; l) local=$OPTARG ;; n) changes=$OPTARG ;;
    *) echo "usage: $0 [-e endpoints] [-p policies] [-l local pods] [-n changes]" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" = 0 ] || { echo "needs root (network namespaces)" >&2; exit 1; }
command -v nft >/dev/null || { echo "nft missing: apt-get install -y nftables" >&2; exit 1; }
command -v etcd >/dev/null || { echo "etcd missing: apt-get install -y etcd-server" >&2; exit 1; }
node_bin=$(realpath "${ROUTEDNET_NODE:-$here/../out/bin/routednet-node}")
[ -x "$node_bin" ] || { echo "$node_bin missing: run ./build.sh first" >&2; exit 1; }

id=rnbench-$(head -c3 /dev/urandom | od -An -tx1 | tr -d ' \n')
scratch=$(mktemp -d "${TMPDIR:-/tmp}/$id.XXXX")
node=$id-node ref=$id-ref
created=() etcd_pid= agent_pid= waiter_pid=
cleanup() {
  for pid in $waiter_pid $agent_pid $etcd_pid; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  for ns in "${created[@]}"; do ip netns delete "$ns" 2>/dev/null || true; done
  rm -rf "$scratch"
}
trap cleanup EXIT
netns_add() { ip netns add "$1"; created+=("$1"); ip -n "$1" link set lo up; }

bench=${POLICY_BENCH:-}
if [ -z "$bench" ]; then
  dotnet build "$here/policy/PolicyBench.csproj" -c Release -nologo -clp:ErrorsOnly -o "$scratch/bin" >&2
  bench=$scratch/bin/RoutedNet.PolicyBench.dll
fi
in_node() { ip netns exec "$node" "$@"; }

netns_add "$node"; netns_add "$ref"
# An uplink (to the reference namespace: nothing is sent) and a default route, as on a node.
ip -n "$node" link add uplink0 type veth peer name sink0 netns "$ref"
ip -n "$ref" link set sink0 up
ip -n "$node" addr add 10.211.254.1/30 dev uplink0
ip -n "$node" link set uplink0 up
ip -n "$node" route add default dev uplink0
datastore=etcd://127.0.0.1:2379
# Started directly (not through in_node, a function): $! must be etcd's own pid.
ip netns exec "$node" etcd --data-dir "$scratch/etcd" --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
  --listen-peer-urls http://127.0.0.1:2380 >"$scratch/etcd.log" 2>&1 &
etcd_pid=$!
cluster=(--datastore "$datastore" --endpoints "$endpoints" --policies "$policies" --local-pods "$local" --node bench)
echo "policy-enforce: $endpoints endpoints ($local on this node), $policies policies, $changes changes; agent $node_bin"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), kernel $(uname -r), $(nft --version)"
for _ in $(seq 100); do
  in_node dotnet "$bench" populate "${cluster[@]}" >"$scratch/populate.out" 2>"$scratch/populate.err" && break
  grep -qi "unavailable\|connect\|refused" "$scratch/populate.err" || { cat "$scratch/populate.err" >&2; exit 1; }
  sleep 0.2
done
[ -s "$scratch/populate.out" ] || { echo "populate failed:" >&2; cat "$scratch/populate.err" >&2; exit 1; }
cat "$scratch/populate.err"
revision=$(awk '$1 == "revision" {print $2}' "$scratch/populate.out")

# The local pods: the host end of a veth named as the plugin names it, the pod end in a namespace.
i=0
while read -r _ veth address; do
  pod=$id-p$i; i=$((i + 1))
  netns_add "$pod"
  ip -n "$node" link add "$veth" type veth peer name eth0 netns "$pod"
  ip -n "$pod" addr add "$address/32" dev eth0; ip -n "$pod" link set eth0 up
  ip -n "$node" link set "$veth" up
done < <(grep '^local ' "$scratch/populate.out")

# Cold start. The waiter starts first (its own start-up is not timed) and watches for the socket;
# the agent's start time goes to a file it reads once the agent answers.
mkdir -p "$scratch/agent" "$scratch/records"
in_node dotnet "$bench" wait --socket "$scratch/agent/node.sock" --revision "$revision" --since-file "$scratch/started" >"$scratch/cold.out" 2>&1 &
waiter_pid=$!
sleep 1
date +%s.%N >"$scratch/started"
ip netns exec "$node" "$node_bin" --datastore "$datastore" --node-name bench --node-ip 10.211.254.1 \
  --api-socket "$scratch/agent/node.sock" --health-port 0 --metrics-port 0 --cni-data-dir "$scratch/records" >"$scratch/agent.log" 2>&1 &
agent_pid=$!
wait "$waiter_pid" || { cat "$scratch/cold.out" >&2; tail -5 "$scratch/agent.log" >&2; exit 1; }
waiter_pid=
cat "$scratch/cold.out"

hz=$(getconf CLK_TCK)
ticks() { awk '{print $14 + $15}' "/proc/$agent_pid/stat"; }
ticks0=$(ticks)
in_node dotnet "$bench" measure "${cluster[@]}" --socket "$scratch/agent/node.sock" --changes "$changes" --reference-ns "$ref" --out "$scratch"
echo "agent CPU during the changes (their listings and nft runs are not the agent's): $(awk -v t=$(($(ticks) - ticks0)) -v hz="$hz" -v n="$changes" 'BEGIN{printf "%.1f ms per change", t * 1000 / hz / n}')"
kill -0 "$agent_pid" 2>/dev/null || { echo "routednet-node died: $(tail -3 "$scratch/agent.log")" >&2; exit 1; }
grep -m3 -E ' (fail|crit|error)' "$scratch/agent.log" || true
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
