#!/usr/bin/env bash
# Idle node agent (issue 5, Speed): routednet-node with P BGP peers (P BIRDs, each sending the same
# N /32s, so the node holds N ECMP routes), once all N are in the kernel: RSS (VmRSS, and VmHWM) and CPU used over S seconds of
# idling (utime+stime from /proc/PID/stat), after a settle pause. BIRD with kernel export as the node,
# measured the same way in the same run, for scale.
# Usage: bench/agent-idle.sh [N=10000] [P=3] [S=60]     env: NODE_DLL, CTL_DLL (else built in Release; NATIVE=1: the
# NativeAOT out/bin/routednet-node that ships, from ./build.sh), SETTLE (s, 10), KINDS (default "bird ours": which
# nodes run, in that order; "ours" alone for A/B runs of two builds), SMAPS=<dir> (keeps each node's
# /proc/PID/smaps at the end of its idle window as <dir>/<kind>.smaps and prints what holds the RSS,
# and what of it the idle window itself touched)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000} P=${2:-3} S=${3:-60}
. bench/node-agent-lib.sh

ticks() { awk '{print $14+$15}' /proc/$NODE_PID/stat; }

run_one() { # kind
  local kind=$1 base c0 c1 rss hwm
  node_topology "$P"
  start_generator "$P" yes
  base=$(fib_count)
  if [ "$kind" = bird ]; then start_bird_node "$P"; else start_agent_node "$P"; fi
  wait_established "$P"
  while [ "$(fib_count)" -lt $((base + N)) ]; do alive; sleep 0.2; done
  sleep "${SETTLE:-10}"   # settle: start-up work, first resync, GC, tiered JIT of the periodic paths
  # SMAPS: the pages' referenced bits cleared, so smaps's Referenced says what the idle window touched.
  if [ -n "${SMAPS:-}" ]; then echo 1 > /proc/$NODE_PID/clear_refs; fi
  c0=$(ticks); sleep "$S"; c1=$(ticks)
  rss=$(awk '/VmRSS/ {print $2}' /proc/$NODE_PID/status)
  hwm=$(awk '/VmHWM/ {print $2}' /proc/$NODE_PID/status)
  if [ -n "${SMAPS:-}" ]; then mkdir -p "$SMAPS"; cp /proc/$NODE_PID/smaps "$SMAPS/$kind.smaps"; fi
  python3 - "$kind" "$N" "$P" "$S" "$c0" "$c1" "$rss" "$hwm" <<'PY'
import os, sys
kind, n, p, s, c0, c1, rss, hwm = sys.argv[1], *map(int, sys.argv[2:])
hz = os.sysconf("SC_CLK_TCK")
print(f"{kind:6} {p} peers, {n} routes: idle {s} s  CPU {(c1-c0)/hz:5.2f} s ({100*(c1-c0)/hz/s:5.2f} % of a core)  RSS {rss/1024:6.1f} MB  peak {hwm/1024:6.1f} MB")
PY
  if [ -n "${SMAPS:-}" ]; then bench/smaps-summary.py "$SMAPS/$kind.smaps"; fi
  stop_node
}

echo "# bench/agent-idle.sh N=$N P=$P S=$S on $(nproc) CPUs, $(bird --version 2>&1 | head -1), dotnet $(dotnet --version), load $(cut -d' ' -f1-3 /proc/loadavg)"
for kind in ${KINDS:-bird ours}; do run_one "$kind"; done
