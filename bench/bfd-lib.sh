# Shared by bench/bfd-detect.sh and bench/bfd-soak.sh (sourced, not run): one BIRD 2 ToR (AS 65000)
# on a bridge in its namespace; node A is BIRD (AS 65001, announces 10.99.1.0/24), node B is
# routednet-node (AS 65002, sqlite store, its block 10.99.2.0/26); the ToR announces 10.98.0.0/24 to
# both. Every session runs BFD at $INTERVAL ms × 3 (BIRD `interval`, BGPPeer spec.bfd). BIRD logs
# with ms timestamps and its BFD state changes ("Session to X changed state from Up to Down"), the
# agent logs "BFD with PEER: Up -> Down"; `ip -ts monitor route` records each namespace's FIB.
NODE_BIN=$(realpath "${NODE_BIN:-out/bin/routednet-node}")
CTL_BIN=$(dirname "$NODE_BIN")/routednetctl
command -v bird >/dev/null || { echo "bird is missing: apt-get install -y bird2" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "run as root: the bench creates network namespaces" >&2; exit 1; }
[ -x "$NODE_BIN" ] && [ -x "$CTL_BIN" ] || { echo "no $NODE_BIN / routednetctl: run ./build.sh first" >&2; exit 1; }

RUN=$(mktemp -d /tmp/rnt-bfd-bench.XXXXXX)
SUFFIX=$(printf '%04x' $RANDOM)
T=rnt-bfdt-$SUFFIX A=rnt-bfda-$SUFFIX B=rnt-bfdb-$SUFFIX
PIDS=()

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

# Stops the daemons and removes the namespaces of one topology (the run's directory stays).
teardown() {
  local p ns
  for p in "${PIDS[@]}"; do kill -CONT "$p" 2>/dev/null || true; kill "$p" 2>/dev/null || true; done
  PIDS=()
  sleep 0.5
  for ns in "$T" "$A" "$B"; do ip netns delete "$ns" 2>/dev/null || true; done
}
