#!/usr/bin/env bash
# IPAM allocations per second: `routednet-ipam` (sqlite, and etcd when an etcd binary is
# installed) against the reference `host-local`, side by side and alternating in one run so both
# see the same machine load. Each allocation is one ADD exec plus one DEL exec of the plugin, as
# a runtime makes them; "seq" runs one at a time, "par" runs PARALLEL at once. Prints allocations
# per second (ADD+DEL pairs) and the ratio host-local / ours (lower is better for us; 1.0 = as fast).
# Then, per store, the full CNI call as a runtime makes it: bench/cni-latency.sh with `routednet` +
# `routednet-ipam` on that store against `ptp` + `host-local`, alternating in the same run; its
# "ADD+DEL" rows are the issue's ratio (sum of the ADD and DEL medians, ours / reference).
#
#   bench/ipam.sh [-n ALLOCS=200] [-p PARALLEL=8] [-r CNI_ROUNDS=1]
#   env: ROUTEDNET_IPAM=out/bin/routednet-ipam  ROUTEDNETCTL=out/bin/routednetctl  CNI_REF_DIR=/usr/lib/cni
#
# The IPAM-only part needs no root (IPAM plugins touch no interfaces); the full-CNI part needs root
# (namespaces) and is skipped without it. State lives in a temp dir (sqlite file, host-local
# dataDir) and, for etcd, a private etcd on a random loopback port, killed by PID on exit.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
n=200 parallel=8 cni_rounds=1
while getopts n:p:r: opt; do
  case $opt in
    n) n=$OPTARG ;; p) parallel=$OPTARG ;; r) cni_rounds=$OPTARG ;;
    *) echo "usage: $0 [-n allocations] [-p parallel] [-r cni-rounds]" >&2; exit 2 ;;
  esac
done
ipam=$(realpath "${ROUTEDNET_IPAM:-$here/../out/bin/routednet-ipam}")
ctl=${ROUTEDNETCTL:-$here/../out/bin/routednetctl}
refdir=${CNI_REF_DIR:-/usr/lib/cni}
[ -x "$refdir/host-local" ] || { echo "$refdir/host-local missing: apt-get install -y containernetworking-plugins" >&2; exit 1; }
[ -x "$ipam" ] || { echo "$ipam missing: run ./build.sh first" >&2; exit 1; }
[ -x "$ctl" ] || { echo "$ctl missing: run ./build.sh first" >&2; exit 1; }

scratch=$(mktemp -d "${TMPDIR:-/tmp}/rn-ipam-bench.XXXX")
etcd_pid=
cleanup() {
  [ -n "$etcd_pid" ] && kill "$etcd_pid" 2>/dev/null && wait "$etcd_pid" 2>/dev/null || true
  rm -rf "$scratch"
}
trap cleanup EXIT
mkdir -p "$scratch/bin"
cp "$refdir/host-local" "$scratch/bin/"
cp "$ipam" "$scratch/bin/routednet-ipam"

pool_yaml="$scratch/pool.yaml"
printf 'apiVersion: routednet.io/v1\nkind: IPPool\nmetadata:\n  name: bench\nspec:\n  cidr: 10.214.0.0/16\n' >"$pool_yaml"

# One allocation = ADD then DEL of container $2 with plugin $1 (config on stdin).
one() { # plugin id config
  CNI_COMMAND=ADD CNI_CONTAINERID=c$2 CNI_NETNS=/proc/self/ns/net CNI_IFNAME=eth0 CNI_PATH="$scratch/bin" \
    "$scratch/bin/$1" <<<"$3" >/dev/null || { echo "ADD failed: $1 c$2" >&2; return 1; }
  CNI_COMMAND=DEL CNI_CONTAINERID=c$2 CNI_NETNS=/proc/self/ns/net CNI_IFNAME=eth0 CNI_PATH="$scratch/bin" \
    "$scratch/bin/$1" <<<"$3" >/dev/null || { echo "DEL failed: $1 c$2" >&2; return 1; }
}
export -f one
export scratch

# Prints allocations per second for N allocations, $4 at a time.
rate() { # plugin config label width
  local start end
  start=$(date +%s.%N)
  if [ "$4" = 1 ]; then
    for ((i = 0; i < n; i++)); do one "$1" "$i" "$2"; done
  else
    seq 0 $((n - 1)) | xargs -P "$4" -I{} bash -c 'one "$0" "$1" "$2"' "$1" {} "$2"
  fi
  end=$(date +%s.%N)
  awk -v n="$n" -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", n / (e - s) }'
}

hostlocal_conf=$(printf '{"cniVersion":"1.0.0","name":"bench","type":"routednet","ipam":{"type":"host-local","ranges":[[{"subnet":"10.215.0.0/16"}]],"dataDir":"%s/host-local"}}' "$scratch")
ours_conf() { printf '{"cniVersion":"1.0.0","name":"bench","type":"routednet","datastore":"%s","nodeName":"bench-node","ipam":{"type":"routednet-ipam"}}' "$1"; }

compare() { # datastore-label url
  "$ctl" --datastore "$2" apply -f "$pool_yaml" >/dev/null
  local conf; conf=$(ours_conf "$2")
  for mode in 1 "$parallel"; do
    # Warm-up (page cache, first block claim), then alternate: reference, ours.
    one host-local w "$hostlocal_conf"; one routednet-ipam w "$conf"
    local ref ours
    ref=$(rate host-local "$hostlocal_conf" x "$mode")
    ours=$(rate routednet-ipam "$conf" x "$mode")
    awk -v l="$1" -v m="$mode" -v r="$ref" -v o="$ours" \
      'BEGIN { printf "%-8s %-8s %14s %14s %10.2f\n", l, (m == 1 ? "seq" : "par" m), r, o, r / o }'
  done
  "$ctl" --datastore "$2" ipam check >/dev/null || { echo "ipam check failed after the $1 run" >&2; exit 1; }
}

# The full CNI ADD/DEL with routednet-ipam on the store, against ptp + host-local.
compare_cni() { # datastore-label url
  if [ "$(id -u)" != 0 ]; then
    echo "full CNI ($1): skipped, needs root (network namespaces)"
    return
  fi
  echo
  echo "full CNI ADD/DEL ($1): routednet + routednet-ipam vs ptp + host-local, $n pods, load $(cut -d' ' -f1-3 /proc/loadavg)"
  # etcd: cni-latency.sh runs its own inside its node namespace (the plugins cannot reach ours).
  local url=$2; [ "$1" = etcd ] && url=etcd
  ROUTEDNET="$ipam" ROUTEDNETCTL="$ctl" "$here/cni-latency.sh" -n "$n" -p "$parallel" -r "$cni_rounds" -d "$url" |
    sed -n '/^---\|^mode/,$p'
  [ "$1" = etcd ] || "$ctl" --datastore "$2" ipam check >/dev/null || { echo "ipam check failed after the $1 CNI run" >&2; exit 1; }
}

echo "allocations (ADD+DEL exec pairs) per second, $n each; ratio = host-local / routednet-ipam (time ours / time ref)"
printf '%-8s %-8s %14s %14s %10s\n' store mode host-local routednet-ipam ratio
compare sqlite "sqlite://$scratch/store.db"
compare_cni sqlite "sqlite://$scratch/store.db"
if command -v etcd >/dev/null; then
  port=$((20000 + RANDOM % 20000))
  etcd --data-dir "$scratch/etcd" --listen-client-urls "http://127.0.0.1:$port" --advertise-client-urls "http://127.0.0.1:$port" \
    --listen-peer-urls "http://127.0.0.1:$((port + 1))" >"$scratch/etcd.log" 2>&1 &
  etcd_pid=$!
  for _ in $(seq 50); do "$ctl" --datastore "etcd://127.0.0.1:$port" get ippools >/dev/null 2>&1 && break; sleep 0.2; done
  compare etcd "etcd://127.0.0.1:$port"
  compare_cni etcd "etcd://127.0.0.1:$port"
else
  echo "etcd: not installed (apt-get install -y etcd-server), skipped"
fi
