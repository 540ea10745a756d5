#!/usr/bin/env bash
# BFD detection (issue 17): BIRD↔BIRD beside BIRD↔ours in one run, in the topology of
# bench/bfd-lib.sh (a BIRD ToR, node A BIRD, node B routednet-node); with TOR=frr the ToR is FRR
# (bfdd): FRR↔BIRD beside FRR↔ours. Per run and interval, three failures:
#   freeze-nodes  SIGSTOP of node A's BIRD and of the agent at once: the ToR detects both
#   freeze-tor    SIGSTOP of the ToR (BIRD, or all three FRR daemons): both nodes detect it
#   cut           both nodes' bridge ports disabled behind the bridge (`bridge link set state 0`:
#                 no carrier change on any side): all four ends detect
# Measured from the moment of the failure: detection = the BFD session's Up -> Down (BIRD's log with
# ms timestamps, bfdd's "state-change: ... up -> down", the agent's log line "BFD with PEER: Up -> Down"), FIB = the peer's prefix deleted
# from that side's kernel (`ip -ts monitor route` in each namespace). Then everything is restored
# and the next failure waits until all sessions, BFD and routes are back.
# Usage: bench/bfd-detect.sh [RUNS=5]   env: TOR (bird, the default, or frr), INTERVALS (default
#   "100 300"), EVENTS (default "freeze-nodes freeze-tor cut"), NODE_BIN (default
#   out/bin/routednet-node; ./build.sh first).
# Take figures on a quiet machine: /work/bin/slot-quiet bench/bfd-detect.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
INTERVALS=${INTERVALS:-100 300}
EVENTS=${EVENTS:-freeze-nodes freeze-tor cut}
. bench/bfd-lib.sh
RESULTS=$RUN/results.tsv
: > "$RESULTS"

# One line per measured end: interval run event pair end detect_ms fib_ms
measure() { # event t0
  python3 - "$RUN" "$INTERVAL" "$r" "$1" "$2" "$T" "$A" "$B" "$TOR" >> "$RESULTS" <<'PY'
import sys, re, datetime
run, interval, rnum, event, t0, T, A, B, tor = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5]), *sys.argv[6:10]
def epoch(text, fmt):
    return datetime.datetime.strptime(text, fmt).replace(tzinfo=datetime.timezone.utc).timestamp()
def first(path, pattern, parse):
    for line in open(path, errors="replace"):
        if re.search(pattern, line):
            t = parse(line)
            if t is not None and t >= t0:
                return (t - t0) * 1000
    return None
def bird_time(line):
    m = re.match(r"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3})", line)
    return epoch(m.group(1), "%Y-%m-%d %H:%M:%S.%f") if m else None
def agent_time(line):
    m = re.match(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3})Z", line)
    return epoch(m.group(1), "%Y-%m-%dT%H:%M:%S.%f") if m else None
def mon_time(line):
    m = re.match(r"\[(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6})\]", line)
    return epoch(m.group(1), "%Y-%m-%dT%H:%M:%S.%f") if m else None
def frr_time(line):
    m = re.match(r"(\d{4}/\d\d/\d\d \d\d:\d\d:\d\d\.\d{3})", line)
    return epoch(m.group(1), "%Y/%m/%d %H:%M:%S.%f") if m else None
def bird_down(log, peer):
    return first(f"{run}/{log}.log", rf"Session to {re.escape(peer)} changed state from Up to Down", bird_time)
def tor_down(peer):
    if tor == "frr":
        return first(f"{run}/frr/bfdd.log", rf"state-change: \[[^]]*peer:{re.escape(peer)} [^]]*\] up -> down", frr_time)
    return bird_down("tor", peer)
def fib_drop(ns, prefix):
    return first(f"{run}/mon-{ns}.log", rf"Deleted {re.escape(prefix)} ", mon_time)
ends = []
if event in ("freeze-nodes", "cut"):
    ends += [(f"{tor}-bird", "tor", tor_down("198.18.9.2"), fib_drop(T, "10.99.1.0/24")),
             (f"{tor}-ours", "tor", tor_down("198.18.9.3"), fib_drop(T, "10.99.2.0/26"))]
if event in ("freeze-tor", "cut"):
    ends += [(f"{tor}-bird", "node", bird_down("nodea", "198.18.9.1"), fib_drop(A, "10.98.0.0/24")),
             (f"{tor}-ours", "node", first(f"{run}/agent.log", r"BFD with 198\.18\.9\.1: Up -> Down", agent_time), fib_drop(B, "10.98.0.0/24"))]
for pair, end, detect, fib in ends:
    f = lambda v: "NA" if v is None else f"{v:.0f}"
    print(f"{interval}\t{rnum}\t{event}\t{pair}\t{end}\t{f(detect)}\t{f(fib)}")
PY
}

fail() { # event
  case $1 in
    freeze-nodes) kill -STOP "$(pidof_ nodea)" "$AGENT_PID" ;;
    freeze-tor) kill -STOP $(tor_pids) ;;
    cut) bridge -n "$T" link set dev pa state 0; bridge -n "$T" link set dev pb state 0 ;;
  esac
}

restore() { # event
  case $1 in
    freeze-nodes) kill -CONT "$(pidof_ nodea)" "$AGENT_PID" ;;
    freeze-tor) kill -CONT $(tor_pids) ;;
    cut) bridge -n "$T" link set dev pa state 3; bridge -n "$T" link set dev pb state 3 ;;
  esac
}

echo "# TOR=$TOR bench/bfd-detect.sh $RUNS runs, intervals $INTERVALS ms x 3, on $(nproc) CPUs, $(bird --version 2>&1 | head -1)$([ "$TOR" = frr ] && echo ", FRR $(/usr/lib/frr/bfdd --version | head -1)"), load $(cut -d' ' -f1-3 /proc/loadavg)"
for INTERVAL in $INTERVALS; do
  topology
  start_birds
  start_agent
  wait_all_up
  for r in $(seq 1 "$RUNS"); do
    for event in $EVENTS; do
      t0=$(now)
      fail "$event"
      # Long enough for the slowest detection and FIB change at this interval, with margin.
      sleep "$(python3 -c "print($INTERVAL * 3 / 1000 * 2 + 1)")"
      restore "$event"
      measure "$event" "$t0"
      wait_all_up
    done
  done
  teardown
  rm -f "$RUN"/*.ctl "$RUN"/store.db* "$RUN"/*.log   # (teardown removed FRR's directory)
done

python3 - "$RESULTS" <<'PY'
import sys, collections
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
groups = collections.defaultdict(list)
for interval, run, event, pair, end, detect, fib in rows:
    groups[(int(interval), event, end, pair)].append((detect, fib))
def stats(values):
    v = sorted(float(x) for x in values if x != "NA")
    missing = sum(1 for x in values if x == "NA")
    if not v:
        return "n/a"
    s = f"{v[len(v)//2]:.0f} ({v[0]:.0f}-{v[-1]:.0f})"
    return s + (f" [{missing} NA]" if missing else "")
print("| interval | failure | detected by | pair | detection ms, median (min-max) | FIB drop ms, median (min-max) | FIB - detection ms (max) |")
print("|---|---|---|---|---|---|---|")
for (interval, event, end, pair), values in sorted(groups.items()):
    lag = [float(f) - float(d) for d, f in values if d != "NA" and f != "NA"]
    print(f"| {interval}×3 | {event} | {'ToR' if end == 'tor' else 'node'} | {pair} | {stats([d for d, _ in values])} | {stats([f for _, f in values])} | {max(lag):.0f} |" if lag else
          f"| {interval}×3 | {event} | {'ToR' if end == 'tor' else 'node'} | {pair} | {stats([d for d, _ in values])} | {stats([f for _, f in values])} | n/a |")
PY
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
