#!/usr/bin/env bash
# CNI ADD/DEL latency: `routednet` + host-local against the reference `ptp` + host-local, side by
# side and alternating in one run (so both see the same machine load). For each round and each of
# "seq" (one exec at a time) and "par" (PARALLEL concurrent execs, as kubelet starts many pods):
# PODS ADDs, then PODS DELs, per plugin. Prints medians, p99 and the ratio ours/reference, plus
# CPU per exec (user+sys incl. the IPAM plugin), the steadier figure when the machine is busy.
#
#   sudo bench/cni-latency.sh [-n PODS=200] [-p PARALLEL=8] [-r ROUNDS=3] [-d DATASTORE_URL] [-A] [-R ROUTES=0] [-P POLICIES [-E ENDPOINTS=10000]]
#   env: ROUTEDNET=out/bin/routednet  CNI_REF_DIR=/usr/lib/cni  KEEP_SAMPLES=<file>
#        ROUTEDNET_NODE=out/bin/routednet-node  KUBECONFIG=<file, with -d kubernetes>
#        POLICY_WAIT=<seconds>: routednet's "policyWaitTimeout" (issue 16; unset: the plugin's
#        default, 5 s; 0 turns the wait for the agent's policy ack off: the A/B of the wait's cost)
#        AGENT_METRICS=1 (with -A): the agent serves metrics in the node namespace and the run
#        ends with its loops' pass times and the policy programming histogram (where a pod's
#        policy wait goes)
#        PERF_AGENT=<file> (with -A): `perf record -g` of the agent from its start of service (after
#        the populated store is enforced) to the end of the run, into that file (symbols: the
#        routednet-node.dbg beside the binary)
# -d: `routednet` gets its addresses from `routednet-ipam` (the same binary) on that datastore,
# which must hold an IPPool (bench/ipam.sh sets one up), and records WorkloadEndpoints there, as
# a cluster node does; ptp keeps host-local. Without -d both use host-local. `-d etcd` starts a
# private etcd inside the node namespace (the plugins run there: the host's loopback is out of
# reach), applies a pool with ROUTEDNETCTL (default out/bin/routednetctl) and checks it at the end.
# -A: through the node agent (issue 14): a routednet-node runs in the node namespace on the
# datastore (-d URL; default a private sqlite in the scratch dir, with a pool applied by
# ROUTEDNETCTL; `-d kubernetes` passes --kubeconfig $KUBECONFIG, whose cluster must hold an IPPool
# and this node's core Node, or without KUBECONFIG starts the stand-in API server in the node
# namespace and sets both up),
# and `routednet` takes "datastoreAccess": "agent" with routednet-ipam: no IPAM exec, no store
# opened per call. ptp keeps host-local.
# -P (with -A, sqlite or etcd): before the agent starts, the store gets POLICIES policies and
# ENDPOINTS WorkloadEndpoints of other nodes from bench/policy (the SyntheticCluster of
# bench/policy-enforce.sh), 10 of the policies in the bench pods' namespace "bench" selecting every
# pod there (half Kubernetes NetworkPolicies, half routednet.io ones, with rules by selector): each
# ADD's policy wait then covers the pod's chains, its tier chains and its set memberships, with the
# agent recomputing over the whole cluster (issue 16's "ADD with the wait, 1,000 policies" goal).
# POLICY_BENCH=<built RoutedNet.PolicyBench.dll> (else built here with `dotnet build`).
# -R: the node's main table first gets ROUTES /32s via the uplink (100.64.0.0/10, protocol bird), as
# on a node that learns many routes over BGP; the plugins must not slow down with the table's size.
#
# Everything runs in namespaces this script creates (rnb-<id>-*: a node with an uplink to a sink,
# and one netns per pod); it deletes exactly those, by name, on exit. Addresses: 10.212.0.0/16
# (ptp), 10.213.0.0/16 (routednet), host-local state in a temp dir. No packet is sent.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
pods=200 parallel=8 rounds=3 datastore= routes=0 agent= policies=0 policy_endpoints=10000
while getopts n:p:r:d:R:AP:E: opt; do
  case $opt in
    n) pods=$OPTARG ;; p) parallel=$OPTARG ;; r) rounds=$OPTARG ;; d) datastore=$OPTARG ;; R) routes=$OPTARG ;; A) agent=1 ;;
    P) policies=$OPTARG ;; E) policy_endpoints=$OPTARG ;;
    *) echo "usage: $0 [-n pods] [-p parallel] [-r rounds] [-d datastore-url] [-A] [-R routes] [-P policies [-E endpoints]]" >&2; exit 2 ;;
  esac
done
if ((policies > 0)) && { [ -z "$agent" ] || [ "$datastore" = kubernetes ]; }; then
  echo "-P needs -A on sqlite or etcd (the policies and endpoints are written to that store)" >&2; exit 2
fi
routednet=$(realpath "${ROUTEDNET:-$here/../out/bin/routednet}")
refdir=${CNI_REF_DIR:-/usr/lib/cni}

[ "$(id -u)" = 0 ] || { echo "needs root (network namespaces)" >&2; exit 1; }
for p in ptp host-local; do
  [ -x "$refdir/$p" ] || { echo "$refdir/$p missing: apt-get install -y containernetworking-plugins" >&2; exit 1; }
done
[ -x "$routednet" ] || { echo "$routednet missing: run ./build.sh first" >&2; exit 1; }

id=rnb-$(head -c4 /dev/urandom | od -An -tx1 | tr -d ' \n')
scratch=$(mktemp -d "${TMPDIR:-/tmp}/$id.XXXX")
node=$id-node sink=$id-sink
created=()
etcd_pid= agent_pid= apiserver_pid= perf_pid=
# Every step may fail without stopping the rest (set -e applies inside a trap too: a failed
# `wait` for the killed etcd used to end the cleanup before any namespace was deleted).
cleanup() {
  if [ -n "$perf_pid" ]; then kill -INT "$perf_pid" 2>/dev/null || true; wait "$perf_pid" 2>/dev/null || true; fi
  if [ -n "$agent_pid" ]; then kill "$agent_pid" 2>/dev/null || true; wait "$agent_pid" 2>/dev/null || true; fi
  if [ -n "$apiserver_pid" ]; then kill "$apiserver_pid" 2>/dev/null || true; wait "$apiserver_pid" 2>/dev/null || true; fi
  if [ -n "$etcd_pid" ]; then kill "$etcd_pid" 2>/dev/null || true; wait "$etcd_pid" 2>/dev/null || true; fi
  for ns in "${created[@]}"; do ip netns delete "$ns" 2>/dev/null || true; done
  rm -rf "$scratch"
}
trap cleanup EXIT
netns_add() { ip netns add "$1"; created+=("$1"); }

# The node: an uplink veth to a sink namespace and a default route, as on a real node (proxy ARP
# for 169.254.1.1 needs a route covering it).
netns_add "$node"; netns_add "$sink"
ip -n "$node" link add uplink0 type veth peer name sink0 netns "$sink"
ip -n "$node" addr add 10.211.254.1/30 dev uplink0
ip -n "$node" link set uplink0 up; ip -n "$node" link set lo up; ip -n "$sink" link set sink0 up
ip -n "$node" route add default via 10.211.254.2 dev uplink0
if ((routes > 0)); then
  python3 - "$routes" <<'PY' | ip -n "$node" -batch -
import sys
base = (100 << 24) | (64 << 16)
for i in range(int(sys.argv[1])):
    a = base + i
    print(f"route add {a >> 24}.{(a >> 16) & 255}.{(a >> 8) & 255}.{a & 255}/32 via 10.211.254.2 proto bird")
PY
fi
for ((i = 0; i < pods; i++)); do netns_add "$id-p$i"; done

ctl=${ROUTEDNETCTL:-$here/../out/bin/routednetctl}
in_node() { ip netns exec "$node" "$@"; }
if [ "$datastore" = etcd ]; then
  command -v etcd >/dev/null || { echo "etcd missing: apt-get install -y etcd-server" >&2; exit 1; }
  [ -x "$ctl" ] || { echo "$ctl missing: run ./build.sh first" >&2; exit 1; }
  datastore=etcd://127.0.0.1:2379
  # Started directly, not through the in_node function: a backgrounded function is a subshell,
  # and $! would be that subshell's pid, not etcd's (killing it left etcd running).
  ip netns exec "$node" etcd --data-dir "$scratch/etcd" --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
    --listen-peer-urls http://127.0.0.1:2380 >"$scratch/etcd.log" 2>&1 &
  etcd_pid=$!
  for _ in $(seq 50); do in_node "$ctl" --datastore "$datastore" get ippools >/dev/null 2>&1 && break; sleep 0.2; done
  printf 'apiVersion: routednet.io/v1\nkind: IPPool\nmetadata:\n  name: bench\nspec:\n  cidr: 10.213.0.0/16\n' >"$scratch/pool.yaml"
  in_node "$ctl" --datastore "$datastore" apply -f "$scratch/pool.yaml" >/dev/null
  own_etcd=1
fi

if [ -n "$agent" ] && [ "$datastore" = kubernetes ] && [ -z "${POLICY_WAIT:-}" ]; then
  # The bench's pods have no Pod objects (no kubelet creates them), so the agent can never tie them
  # to a WorkloadEndpoint and the policy wait would run out (5 s) on every ADD. On a cluster the Pod
  # exists before ADD; the wait's cost is measured on sqlite (-A without -d), where it can complete.
  POLICY_WAIT=0
  echo "-d kubernetes: policyWaitTimeout 0 (the bench's pods have no Pod objects; the wait's cost is measured with -A alone)"
fi
if [ -n "$agent" ]; then
  node_bin=$(realpath "${ROUTEDNET_NODE:-$here/../out/bin/routednet-node}")
  [ -x "$node_bin" ] || { echo "$node_bin missing: run ./build.sh first" >&2; exit 1; }
  kube=()
  if [ "$datastore" = kubernetes ] && [ -z "${KUBECONFIG:-}" ]; then
    # No cluster given: the stand-in API server (tests only) inside the node namespace, with the
    # CRDs, this node's core Node and a pool.
    apiserver=$(realpath "${ROUTEDNET_APISERVER:-$here/../out/test/routednet-test-apiserver}")
    [ -x "$apiserver" ] || { echo "$apiserver missing: run ./build.sh first" >&2; exit 1; }
    command -v curl >/dev/null || { echo "curl missing: apt-get install -y curl" >&2; exit 1; }
    ip netns exec "$node" "$apiserver" --port 6443 --dir "$scratch/kube" >"$scratch/apiserver.log" 2>&1 &
    apiserver_pid=$!
    for _ in $(seq 100); do [ -s "$scratch/kube/kubeconfig" ] && break; sleep 0.1; done
    export KUBECONFIG=$scratch/kube/kubeconfig
    # curl (no kubectl needed): the stand-in serves HTTPS with the CA it wrote beside the kubeconfig.
    token=$(awk '/token:/ {print $2}' "$KUBECONFIG") server=$(awk '/server:/ {print $2}' "$KUBECONFIG")
    kcurl() { in_node curl -sSf --cacert "$scratch/kube/ca.crt" -H "Authorization: Bearer $token" "$@"; }
    post() { kcurl -o /dev/null -H "Content-Type: $1" --data-binary "@$2" "$server$3"; }
    for crd in "$here"/../charts/routednet/crds/*.yaml; do post application/yaml "$crd" /apis/apiextensions.k8s.io/v1/customresourcedefinitions; done
    printf '{"apiVersion":"v1","kind":"Node","metadata":{"name":"%s-node"}}' "$id" >"$scratch/node.json"
    post application/json "$scratch/node.json" /api/v1/nodes
    printf 'apiVersion: routednet.io/v1\nkind: IPPool\nmetadata:\n  name: bench\nspec:\n  cidr: 10.213.0.0/16\n' >"$scratch/pool.yaml"
    in_node "$ctl" --datastore kubernetes --kubeconfig "$KUBECONFIG" apply -f "$scratch/pool.yaml" >/dev/null
  fi
  if [ "$datastore" = kubernetes ]; then
    kube=(--kubeconfig "$KUBECONFIG")
  elif [ -z "$datastore" ]; then
    [ -x "$ctl" ] || { echo "$ctl missing: run ./build.sh first" >&2; exit 1; }
    datastore=sqlite://$scratch/agent-store.db
    printf 'apiVersion: routednet.io/v1\nkind: IPPool\nmetadata:\n  name: bench\nspec:\n  cidr: 10.213.0.0/16\n' >"$scratch/pool.yaml"
    in_node "$ctl" --datastore "$datastore" apply -f "$scratch/pool.yaml" >/dev/null
  fi
  if ((policies > 0)); then
    bench_dll=${POLICY_BENCH:-}
    if [ -z "$bench_dll" ]; then
      dotnet build "$here/policy/PolicyBench.csproj" -c Release -nologo -clp:ErrorsOnly -o "$scratch/policybench" >&2
      bench_dll=$scratch/policybench/RoutedNet.PolicyBench.dll
    fi
    in_node dotnet "$bench_dll" populate --datastore "$datastore" --endpoints "$policy_endpoints" --policies "$policies" --local-pods 0 \
      --node "$id-node" --select-namespace bench --selecting 10 >"$scratch/populate.out"
    date +%s.%N >"$scratch/agent-started"
  fi
  mkdir -p "$scratch/agent" "$scratch/records"
  metrics_port=0
  [ -n "${AGENT_METRICS:-}" ] && metrics_port=9391
  # Started directly (not through in_node, a function): $! must be the agent's own pid.
  ip netns exec "$node" "$node_bin" --datastore "$datastore" "${kube[@]}" --node-name "$id-node" --node-ip 10.211.254.1 \
    --api-socket "$scratch/agent/node.sock" --health-port 0 --metrics-port "$metrics_port" --cni-data-dir "$scratch/records" >"$scratch/agent.log" 2>&1 &
  agent_pid=$!
  for _ in $(seq 100); do [ -S "$scratch/agent/node.sock" ] && break; kill -0 "$agent_pid" 2>/dev/null || break; sleep 0.1; done
  [ -S "$scratch/agent/node.sock" ] || { echo "routednet-node did not start:" >&2; tail -5 "$scratch/agent.log" >&2; exit 1; }
  if ((policies > 0)); then
    # Not timed: the first ADD must not wait for the agent's first calculation over the whole store.
    in_node dotnet "$bench_dll" wait --socket "$scratch/agent/node.sock" --revision "$(awk '$1 == "revision" {print $2}' "$scratch/populate.out")" \
      --since-file "$scratch/agent-started" || { echo "routednet-node never enforced the populated store" >&2; exit 1; }
  fi
  if [ -n "${PERF_AGENT:-}" ]; then
    perf record -q -F 997 -g -p "$agent_pid" -o "$PERF_AGENT" >/dev/null 2>&1 &
    perf_pid=$!
  fi
fi

# Copies, not links: a ./build.sh during the run must not swap the binary under the benchmark.
mkdir -p "$scratch/bin"
cp "$refdir/host-local" "$refdir/ptp" "$scratch/bin/"
cp "$routednet" "$scratch/bin/routednet"
ln "$scratch/bin/routednet" "$scratch/bin/routednet-ipam"

# Per plugin: the ADD stdin (as libcni sends it: name and cniVersion injected) for every pod.
config() { # type subnet extra
  local ipam
  ipam=$(printf '{"type":"host-local","ranges":[[{"subnet":"%s"}]],"dataDir":"%s/ipam"}' "$2" "$scratch")
  if [ "$1" = routednet ] && [ -n "$agent" ]; then
    ipam=$(printf '{"type":"routednet-ipam"},"datastoreAccess":"agent","agentSocket":"%s/agent/node.sock"' "$scratch")
  elif [ "$1" = routednet ] && [ -n "$datastore" ]; then
    ipam=$(printf '{"type":"routednet-ipam"},"datastore":"%s","nodeName":"%s-node"' "$datastore" "$id")
  fi
  local wait=""
  if [ "$1" = routednet ] && [ -n "${POLICY_WAIT:-}" ]; then wait="\"policyWaitTimeout\":$POLICY_WAIT,"; fi
  printf '{"cniVersion":"1.0.0","name":"%s-%s","type":"%s",%s%s"ipam":%s}' "$id" "$1" "$1" "$3" "$wait" "$ipam"
}
prepare_add() { # type subnet extra
  mkdir -p "$scratch/$1"
  local conf; conf=$(config "$@")
  for ((i = 0; i < pods; i++)); do printf '%s' "$conf" >"$scratch/$1/ADD-$i.json"; done
}
# DEL stdin = the ADD config plus the cached ADD result as prevResult (what libcni does).
prepare_del() { # type
  local conf
  for ((i = 0; i < pods; i++)); do
    conf=$(<"$scratch/$1/ADD-$i.json")
    if [ -s "$scratch/$1/result-$i.json" ]; then
      printf '%s,"prevResult":%s}' "${conf%\}}" "$(<"$scratch/$1/result-$i.json")" >"$scratch/$1/DEL-$i.json"
    else
      printf '%s' "$conf" >"$scratch/$1/DEL-$i.json"
    fi
  done
}
prepare_add ptp 10.212.0.0/16 '"ipMasq":false,'
prepare_add routednet 10.213.0.0/16 "\"mtu\":1500,\"dataDir\":\"$scratch/records\","

samples=$scratch/samples
phase() { # mode workers type verb
  local line
  [ "$4" = DEL ] && prepare_del "$3"
  nsenter --net="/run/netns/$node" "$here/cni/phase.sh" "$scratch/bin/$3" "$4" "$2" "$pods" "$scratch" "$id" |
    while read -r line; do echo "$1 $4 $3 $line"; done | tee -a "$samples" >"$scratch/last-phase"
  if [ "$4" = DEL ]; then renew_pod_netns; fi
}
# After a DEL the runtime deletes the sandbox's netns and the next sandbox gets a new one: so here
# (untimed), for both plugins. It also keeps a failed DEL's leftovers (eth0, address) from
# failing the next ADD, which would count the failure twice, and what a plugin leaves in a netns
# for later (routednet's agent deletes the veth after the DEL answered) from reaching the other
# plugin's ADD.
# The agent's deletions of quiesced veths (link group 29294) finish first too, so that their
# kernel work does not land in the next measured phase.
renew_pod_netns() {
  local pod
  while [ -n "$(ip -n "$node" link show group 29294)" ]; do sleep 0.05; done
  for ((pod = 0; pod < pods; pod++)); do
    ip netns delete "$id-p$pod"; ip netns add "$id-p$pod"
  done
}

echo "cni-latency: $pods pods, ADD then DEL, seq and $parallel parallel, $rounds rounds; ours=$routednet ref=$refdir/ptp"
if [ -n "$agent" ]; then
  echo "IPAM: ptp with host-local; routednet through routednet-node (pid $agent_pid) on $datastore"
else
  echo "IPAM: ptp with host-local; routednet with ${datastore:+routednet-ipam on }${datastore:-host-local}"
fi
((routes > 0)) && echo "node: $routes more routes in its main table"
((policies > 0)) && echo "policy: $policies policies (10 select the bench's pods), $policy_endpoints endpoints of other nodes in the store; policyWaitTimeout ${POLICY_WAIT:-default (5 s)}"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), kernel $(uname -r)"
if [ -n "$apiserver_pid" ]; then
  # From here the stand-in counts what the agent asks of it per pod (the first block claim included).
  kcurl -o /dev/null -X POST "$server/routednet-test/requests/reset"
fi
# CPU (user+system, clock ticks) of the long-running processes, which "cpu" (the execs') leaves out.
ticks() { [ -n "$1" ] && awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
agent_ticks0=$(ticks "$agent_pid") apiserver_ticks0=$(ticks "$apiserver_pid")
for ((r = 1; r <= rounds; r++)); do
  order="routednet ptp"; ((r % 2 == 0)) && order="ptp routednet"
  for mode in seq par; do
    workers=1; [ $mode = par ] && workers=$parallel
    for type in $order; do
      phase $mode $workers "$type" ADD
      phase $mode $workers "$type" DEL
    done
  done
  echo "round $r/$rounds done (load $(cut -d' ' -f1 /proc/loadavg))"
done

for type in ptp routednet; do
  if [ -s "$scratch/$type/stderr" ]; then
    echo "--- $type stderr (first lines):"; head -5 "$scratch/$type/stderr"
  fi
done
fails=$(awk '$4 ~ /^[0-9]+$/ && $5 != 0' "$samples" | wc -l)
if [ "$fails" -gt 0 ]; then
  echo "--- $fails failed execs (mode verb plugin µs rc pod), first ones and ADD errors:"
  awk '$4 ~ /^[0-9]+$/ && $5 != 0 {print; if (++n == 3) exit}' "$samples"
  for type in ptp routednet; do
    for f in "$scratch/$type"/error-*.json; do [ -e "$f" ] && { cat "$f"; echo; break; }; done
  done
fi
[ -n "${KEEP_SAMPLES:-}" ] && cp "$samples" "$KEEP_SAMPLES"
if [ -n "$apiserver_pid" ]; then
  echo "--- API server requests for $((rounds * pods * 2)) ADDs and as many DELs (stand-in's count, IPAM kinds, no watches):"
  kcurl "$server/routednet-test/requests" |
    python3 -c 'import json,sys; d=json.load(sys.stdin)["byVerbResource"]; [print(f"  {k}: {v}") for k,v in sorted(d.items()) if not k.startswith("watch") and any(x in k for x in ("ipam","blockaff","ippool"))]'
fi
if [ -n "$agent" ]; then
  hz=$(getconf CLK_TCK) ops=$((rounds * pods * 2))
  per_pod() { awk -v t="$1" -v hz="$hz" -v n="$ops" 'BEGIN{printf "%.2f", t * 1000 / hz / n}'; }
  cpu_line="routednet-node $(per_pod $(($(ticks "$agent_pid") - agent_ticks0))) ms"
  if [ -n "$apiserver_pid" ]; then
    cpu_line="$cpu_line, the stand-in API server (sharing the node's cores here) $(per_pod $(($(ticks "$apiserver_pid") - apiserver_ticks0))) ms"
  fi
  echo "--- CPU of the long-running processes per pod ADD+DEL (not in the cpu column): $cpu_line"
  if [ -n "${AGENT_METRICS:-}" ]; then
    echo "--- the agent's loops (routednet_reconcile_duration_seconds: passes, mean ms) and policy programming (change seen → committed):"
    in_node curl -s http://127.0.0.1:9391/metrics | awk '
      /^routednet_reconcile_duration_seconds_(sum|count)/ { match($0, /reconciler="[^"]+"/); c = substr($0, RSTART + 12, RLENGTH - 13); if ($0 ~ /_sum/) sum[c] = $2; else n[c] = $2 }
      /^routednet_policy_programming_seconds_(sum|count)/ { if ($0 ~ /_sum/) psum = $2; else pn = $2 }
      /^routednet_policy_programming_seconds_bucket/ { print "  " $0 }
      END { for (c in n) if (n[c] > 0) printf "  %s: %d passes, mean %.2f ms\n", c, n[c], sum[c] * 1000 / n[c]; if (pn > 0) printf "  policy programming: %d, mean %.2f ms\n", pn, psum * 1000 / pn }'
  fi
  kill -0 "$agent_pid" 2>/dev/null || echo "routednet-node died during the run: $(tail -3 "$scratch/agent.log")" >&2
  grep -m3 -E ' (fail|crit|error)' "$scratch/agent.log" || true
fi
if [ -n "${own_etcd:-}" ]; then
  in_node "$ctl" --datastore "$datastore" ipam check >/dev/null || echo "ipam check on the bench's etcd FAILED" >&2
fi
echo
sort -k1,3 -k4,4n "$samples" | awk -v ours=routednet -v ref=ptp -f "$here/cni/stats.awk"
