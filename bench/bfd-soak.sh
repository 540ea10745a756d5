#!/usr/bin/env bash
# BFD soak (issue 17): BIRD↔BIRD beside BIRD↔routednet-node (the topology of bench/bfd-lib.sh) at
# 100 ms × 3 for DURATION seconds while one busy loop per CPU keeps every core loaded; counts the
# flaps each end saw (BFD Up -> Down in each log, the agent's BFD downs and BGP flaps through
# routednetctl, BIRD's BGP sessions leaving Established). The goal is 0 everywhere. No asserts:
# tests/Interop/Bgp/AgentBfdSoakBirdTests is the short version that does.
# Usage: bench/bfd-soak.sh [DURATION=600]   env: INTERVAL (default 100), BURNERS (default nproc),
#   NODE_BIN (default out/bin/routednet-node; ./build.sh first).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-600}
INTERVAL=${INTERVAL:-100}
BURNERS=${BURNERS:-$(nproc)}
[ "${TOR:-bird}" = bird ] || { echo "bench/bfd-soak.sh runs with a BIRD ToR only (TOR=frr is bench/bfd-detect.sh's)" >&2; exit 2; }
. bench/bfd-lib.sh
BURNER_PIDS=()
stop_burners() { local p; for p in "${BURNER_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; BURNER_PIDS=(); }
trap 'status=$?; stop_burners; (exit $status); cleanup' EXIT

echo "# bench/bfd-soak.sh ${DURATION} s at ${INTERVAL} ms x 3 with $BURNERS busy loops on $(nproc) CPUs, $(bird --version 2>&1 | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
topology
start_birds
start_agent
wait_all_up
# Only what happens from here on counts (the start-up's own handshakes are not flaps).
skip_tor=$(wc -l < "$RUN/tor.log") skip_a=$(wc -l < "$RUN/nodea.log") skip_agent=$(wc -l < "$RUN/agent.log")
for _ in $(seq 1 "$BURNERS"); do
  ( while :; do :; done ) &
  BURNER_PIDS+=($!)
done
start=$(now)
sleep "$DURATION"
load=$(cut -d' ' -f1-3 /proc/loadavg)
stop_burners
elapsed=$(python3 -c "print(round($(now) - $start))")

peers=$("$CTL_BIN" bgp peers -o json --node-socket "$RUN/node.sock")
python3 - "$RUN" "$elapsed" "$load" "$skip_tor" "$skip_a" "$skip_agent" "$peers" <<'PY'
import sys, json, re
run, elapsed, load = sys.argv[1:4]
skip = {"tor.log": int(sys.argv[4]), "nodea.log": int(sys.argv[5]), "agent.log": int(sys.argv[6])}
peers = json.loads(sys.argv[7])
def count(log, pattern):
    lines = open(f"{run}/{log}", errors="replace").readlines()[skip[log]:]
    return sum(1 for line in lines if re.search(pattern, line))
tor_bird = count("tor.log", r"Session to 198\.18\.9\.2 changed state from Up to Down")
tor_ours = count("tor.log", r"Session to 198\.18\.9\.3 changed state from Up to Down")
node_bird = count("nodea.log", r"Session to 198\.18\.9\.1 changed state from Up to Down")
node_ours = count("agent.log", r"BFD with 198\.18\.9\.1: Up -> Down")
ours = peers["peers"][0]
print(f"# {elapsed} s, load at the end {load}")
print("| pair | BFD Up -> Down at the ToR | BFD Up -> Down at the node |")
print("|---|---|---|")
print(f"| BIRD↔BIRD | {tor_bird} | {node_bird} |")
print(f"| BIRD↔ours | {tor_ours} | {node_ours} (routednetctl: ups {ours['bfd']['ups']}, downs {ours['bfd']['downs']}, BGP flaps {ours['counters']['flaps']}) |")
PY
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
