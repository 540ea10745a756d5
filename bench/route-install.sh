#!/usr/bin/env bash
# Route install (issue 5, Speed): N unique /32s learned over BGP from a BIRD peer until all are in the
# node's kernel FIB, with routednet-node (sqlite datastore, the BIRD session as a global BGPPeer) and
# with BIRD 2 + kernel export taking turns as the node in the same run. The generator loads its N
# routes before the clock (untimed, as in the lab notes' harness); the clock runs from enabling its
# feed into the Established session until the node's main FIB holds N more prefixes
# (/proc/net/fib_triestat, polled every 0.1 s), then again until the withdrawal has removed them.
# Also: when the first route reached the FIB, the node's peak RSS (VmHWM), and its CPU seconds from
# enabling until all are in (and in total, with start-up).
# Usage: bench/route-install.sh [N=1000000]     env: NODE_DLL, CTL_DLL (else built in Release; NATIVE=1: the NativeAOT
#   out/bin/routednet-node that ships, from ./build.sh),
#   KINDS (default "bird ours": which nodes run, in that order; "ours" alone for A/B runs of two builds)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
. bench/node-agent-lib.sh

run_one() { # kind
  local kind=$1 base t0 tf t1 t2 t3 hwm cpu0 cpu target
  node_topology 1
  start_generator 1 no
  base=$(fib_count)
  if [ "$kind" = bird ]; then start_bird_node 1; else start_agent_node 1; fi
  wait_established 1
  wait_generators_loaded
  target=$((base + N))
  cpu0=$(cpu_seconds)
  # birdc may return before the stream ends or after it has begun: poll meanwhile, so that the
  # first route's arrival is seen.
  t0=$(now); gens_ enable feed >/dev/null & local enabling=$!
  while [ "$(fib_count)" -le "$base" ]; do alive; sleep 0.05; done
  tf=$(now)
  while [ "$(fib_count)" -lt "$target" ]; do alive; sleep 0.1; done
  t1=$(now)
  wait $enabling
  hwm=$(awk '/VmHWM/ {print $2}' /proc/$NODE_PID/status)
  cpu=$(cpu_seconds)
  t2=$(now); gens_ disable feed >/dev/null
  while [ "$(fib_count)" -gt "$base" ]; do alive; sleep 0.1; done
  t3=$(now)
  python3 - "$kind" "$N" "$t0" "$tf" "$t1" "$t2" "$t3" "$hwm" "$cpu0" "$cpu" <<'PY'
import sys
kind, n, t0, tf, t1, t2, t3, hwm, cpu0, cpu = sys.argv[1], int(sys.argv[2]), *map(float, sys.argv[3:8]), int(sys.argv[8]), *map(float, sys.argv[9:11])
print(f"{kind:6} N={n:>8}  all in kernel {t1-t0:7.2f} s ({n/(t1-t0)/1000:4.0f}k routes/s; first after {tf-t0:5.2f} s, then {n/(t1-tf)/1000:4.0f}k/s)"
      f"  all removed {t3-t2:6.2f} s  peak RSS {hwm/1024:6.1f} MB  CPU {cpu-cpu0:5.2f} s (total {cpu:5.2f})")
PY
  stop_node
}

echo "# bench/route-install.sh $N on $(nproc) CPUs, $(bird --version 2>&1 | head -1), dotnet $(dotnet --version), load $(cut -d' ' -f1-3 /proc/loadavg)"
for kind in ${KINDS:-bird ours}; do run_one "$kind"; done
