#!/usr/bin/env bash
# BFD detection (issue 17): BIRD↔BIRD beside BIRD↔ours in one run. One BIRD 2 ToR (AS 65000) on a
# bridge; node A is BIRD (AS 65001, announces 10.99.1.0/24), node B is routednet-node (AS 65002,
# sqlite store, its block 10.99.2.0/26); the ToR announces 10.98.0.0/24 to both. Every session runs
# BFD at INTERVAL ms × 3 (BIRD `interval`, BGPPeer spec.bfd). Per run and interval, three failures:
#   freeze-nodes  SIGSTOP of node A's BIRD and of the agent at once: the ToR detects both
#   freeze-tor    SIGSTOP of the ToR's BIRD: both nodes detect it
#   cut           both nodes' bridge ports disabled behind the bridge (`bridge link set state 0`:
#                 no carrier change on any side): all four ends detect
# Measured from the moment of the failure: detection = the BFD session's Up -> Down (BIRD's log with
# ms timestamps, the agent's log line "BFD with PEER: Up -> Down"), FIB = the peer's prefix deleted
# from that side's kernel (`ip -ts monitor route` in each namespace). Then everything is restored
# and the next failure waits until all sessions, BFD and routes are back.
# Usage: bench/bfd-detect.sh [RUNS=5]   env: INTERVALS (default "100 300"), EVENTS (default
#   "freeze-nodes freeze-tor cut"), NODE_BIN (default out/bin/routednet-node; ./build.sh first).
# Take figures on a quiet machine: flock /tmp/rn-slot-1.lock flock /tmp/rn-slot-2.lock bench/bfd-detect.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
INTERVALS=${INTERVALS:-100 300}
EVENTS=${EVENTS:-freeze-nodes freeze-tor cut}
NODE_BIN=$(realpath "${NODE_BIN:-out/bin/routednet-node}")
CTL_BIN=$(dirname "$NODE_BIN")/routednetctl
command -v bird >/dev/null || { echo "bird is missing: apt-get install -y bird2" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "run as root: the bench creates network namespaces" >&2; exit 1; }
[ -x "$NODE_BIN" ] && [ -x "$CTL_BIN" ] || { echo "no $NODE_BIN / routednetctl: run ./build.sh first" >&2; exit 1; }

RUN=$(mktemp -d /tmp/rnt-bfd-bench.XXXXXX)
SUFFIX=$(printf '%04x' $RANDOM)
T=rnt-bfdt-$SUFFIX A=rnt-bfda-$SUFFIX B=rnt-bfdb-$SUFFIX
PIDS=()
RESULTS=$RUN/results.tsv
: > "$RESULTS"

cleanup() {
  local status=$? p
  for p in "${PIDS[@]}"; do kill -CONT "$p" 2>/dev/null || true; kill "$p" 2>/dev/null || true; done
  for ns in "$T" "$A" "$B"; do ip netns delete "$ns" 2>/dev/null || true; done
  if [ "$status" = 0 ]; then rm -rf "$RUN"; else echo "logs kept in $RUN" >&2; fi
}
trap cleanup EXIT

now() { date +%s.%N; }
birdc_() { birdc -s "$RUN/$1.ctl" "${@:2}"; }
pidof_() { cat "$RUN/$1.pid"; }

topology() {
  local ns
  for ns in "$T" "$A" "$B"; do ip netns add "$ns"; ip -n "$ns" link set lo up; done
  ip -n "$T" link add br0 type bridge; ip -n "$T" addr add 198.18.9.1/24 dev br0; ip -n "$T" link set br0 up
  ip -n "$A" link add eth0 type veth peer name pa netns "$T"
  ip -n "$B" link add eth0 type veth peer name pb netns "$T"
  # A third port that stays up: with only the nodes' ports, disabling both would take br0's carrier
  # away and the ToR would see a link event, not a silent path failure.
  ip -n "$T" link add pk type veth peer name pk0
  ip -n "$T" link set pk0 up
  for p in pa pb pk; do ip -n "$T" link set "$p" master br0 up; done
  ip -n "$A" addr add 198.18.9.2/24 dev eth0; ip -n "$A" link set eth0 up
  ip -n "$B" addr add 198.18.9.3/24 dev eth0; ip -n "$B" link set eth0 up
  for ns in "$T" "$A" "$B"; do
    ip netns exec "$ns" ip -ts monitor route > "$RUN/mon-$ns.log" 2>&1 &
    PIDS+=($!)
  done
}

bird_common() { # router-id interval
  echo "router id $1;"
  echo "log \"$RUN/$2.log\" all;"
  echo 'timeformat log "%F %T.%3f";'
  echo "protocol device { scan time 1; }"
  echo "protocol kernel { ipv4 { import none; export where source = RTS_BGP; }; merge paths on; }"
  echo "protocol bfd { debug { states, events }; interface \"*\" { interval $INTERVAL ms; multiplier 3; }; }"
}

# BGP reconnects fast after a failure, so the next one need not wait: BFD, not BGP, is measured.
BGP_FAST='connect delay time 1; connect retry time 1; error wait time 1, 2; hold time 240; bfd on;'

start_birds() {
  { bird_common 198.18.9.1 tor
    echo "protocol static { ipv4; route 10.98.0.0/24 blackhole; }"
    echo "protocol bgp nbird { local 198.18.9.1 as 65000; neighbor 198.18.9.2 as 65001; $BGP_FAST ipv4 { import all; export where source = RTS_STATIC; }; }"
    echo "protocol bgp nours { local 198.18.9.1 as 65000; neighbor 198.18.9.3 as 65002; $BGP_FAST ipv4 { import all; export where source = RTS_STATIC; }; }"
  } > "$RUN/tor.conf"
  { bird_common 198.18.9.2 nodea
    echo "protocol static { ipv4; route 10.99.1.0/24 blackhole; }"
    echo "protocol bgp tor { local 198.18.9.2 as 65001; neighbor 198.18.9.1 as 65000; $BGP_FAST ipv4 { import all; export where source = RTS_STATIC; }; }"
  } > "$RUN/nodea.conf"
  ip netns exec "$T" bird -c "$RUN/tor.conf" -s "$RUN/tor.ctl" -P "$RUN/tor.pid"
  ip netns exec "$A" bird -c "$RUN/nodea.conf" -s "$RUN/nodea.ctl" -P "$RUN/nodea.pid"
  PIDS+=("$(pidof_ tor)" "$(pidof_ nodea)")
}

start_agent() {
  local store="sqlite://$RUN/store.db"
  { printf 'apiVersion: routednet.io/v1\nkind: BGPConfiguration\nmetadata: {name: default}\nspec: {asNumber: 65002, nodeToNodeMesh: false}\n'
    printf -- '---\napiVersion: routednet.io/v1\nkind: IPPool\nmetadata: {name: bench}\nspec: {cidr: 10.99.0.0/16, blockSize: 26}\n'
    printf -- '---\napiVersion: routednet.io/v1\nkind: IPAMBlock\nmetadata: {name: 10-99-2-0-26}\nspec: {cidr: 10.99.2.0/26, affinity: "host:bench"}\n'
    printf -- '---\napiVersion: routednet.io/v1\nkind: BGPPeer\nmetadata: {name: tor}\nspec: {peerIP: 198.18.9.1, asNumber: 65000, bfd: {receiveInterval: %s, transmitInterval: %s, detectMultiplier: 3}}\n' "$INTERVAL" "$INTERVAL"
  } | "$CTL_BIN" --datastore "$store" apply --allow-ipam-kinds -f - >/dev/null
  ip netns exec "$B" "$NODE_BIN" --datastore "$store" --node-name bench --node-ip 198.18.9.3 \
    --api-socket "$RUN/node.sock" --health-port 0 > "$RUN/agent.log" 2>&1 &
  AGENT_PID=$!
  PIDS+=("$AGENT_PID")
}

has_route() { ip -n "$1" route show "$2" | grep -q .; }

# Everything up: both ToR sessions Established, all BFD sessions Up on both ends, every prefix in
# every kernel that should hold it; then 2 s more so every BFD session runs at its fast rate.
wait_all_up() {
  local i
  for i in $(seq 1 900); do
    kill -0 "$AGENT_PID" 2>/dev/null || { echo "the agent died: $RUN/agent.log" >&2; exit 1; }
    if [ "$(birdc_ tor show protocols | grep -c Established)" = 2 ] \
      && [ "$(birdc_ tor show bfd sessions | grep -c ' Up ')" = 2 ] \
      && birdc_ nodea show bfd sessions | grep -q ' Up ' \
      && "$CTL_BIN" bgp peers -o json --node-socket "$RUN/node.sock" 2>/dev/null | grep -q '"state": "Up"' \
      && has_route "$T" 10.99.1.0/24 && has_route "$T" 10.99.2.0/26 \
      && has_route "$A" 10.98.0.0/24 && has_route "$B" 10.98.0.0/24; then
      sleep 2
      return 0
    fi
    sleep 0.2
  done
  echo "not all up after 180 s; logs in $RUN" >&2
  birdc_ tor show protocols >&2; birdc_ tor show bfd sessions >&2
  exit 1
}

# One line per measured end: interval run event pair end detect_ms fib_ms
measure() { # event t0
  python3 - "$RUN" "$INTERVAL" "$r" "$1" "$2" "$T" "$A" "$B" >> "$RESULTS" <<'PY'
import sys, re, datetime
run, interval, rnum, event, t0, T, A, B = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5]), *sys.argv[6:9]
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
def bird_down(log, peer):
    return first(f"{run}/{log}.log", rf"Session to {re.escape(peer)} changed state from Up to Down", bird_time)
def fib_drop(ns, prefix):
    return first(f"{run}/mon-{ns}.log", rf"Deleted {re.escape(prefix)} ", mon_time)
ends = []
if event in ("freeze-nodes", "cut"):
    ends += [("bird-bird", "tor", bird_down("tor", "198.18.9.2"), fib_drop(T, "10.99.1.0/24")),
             ("bird-ours", "tor", bird_down("tor", "198.18.9.3"), fib_drop(T, "10.99.2.0/26"))]
if event in ("freeze-tor", "cut"):
    ends += [("bird-bird", "node", bird_down("nodea", "198.18.9.1"), fib_drop(A, "10.98.0.0/24")),
             ("bird-ours", "node", first(f"{run}/agent.log", r"BFD with 198\.18\.9\.1: Up -> Down", agent_time), fib_drop(B, "10.98.0.0/24"))]
for pair, end, detect, fib in ends:
    f = lambda v: "NA" if v is None else f"{v:.0f}"
    print(f"{interval}\t{rnum}\t{event}\t{pair}\t{end}\t{f(detect)}\t{f(fib)}")
PY
}

fail() { # event
  case $1 in
    freeze-nodes) kill -STOP "$(pidof_ nodea)" "$AGENT_PID" ;;
    freeze-tor) kill -STOP "$(pidof_ tor)" ;;
    cut) bridge -n "$T" link set dev pa state 0; bridge -n "$T" link set dev pb state 0 ;;
  esac
}

restore() { # event
  case $1 in
    freeze-nodes) kill -CONT "$(pidof_ nodea)" "$AGENT_PID" ;;
    freeze-tor) kill -CONT "$(pidof_ tor)" ;;
    cut) bridge -n "$T" link set dev pa state 3; bridge -n "$T" link set dev pb state 3 ;;
  esac
}

echo "# bench/bfd-detect.sh $RUNS runs, intervals $INTERVALS ms x 3, on $(nproc) CPUs, $(bird --version 2>&1 | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
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
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  PIDS=()
  sleep 0.5
  for ns in "$T" "$A" "$B"; do ip netns delete "$ns"; done
  rm -f "$RUN"/*.ctl "$RUN"/store.db* "$RUN"/*.log
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
