# Shared by bench/bfd-detect.sh and bench/bfd-soak.sh (sourced, not run): one ToR (AS 65000; BIRD 2,
# or with TOR=frr FRR's zebra, bfdd and bgpd, run as user frr) on a bridge in its namespace; node A
# is BIRD (AS 65001, announces 10.99.1.0/24), node B is
# routednet-node (AS 65002, sqlite store, its block 10.99.2.0/26); the ToR announces 10.98.0.0/24 to
# both. Every session runs BFD at $INTERVAL ms × 3 (BIRD `interval`, BGPPeer spec.bfd). BIRD logs
# with ms timestamps and its BFD state changes ("Session to X changed state from Up to Down"), the
# agent logs "BFD with PEER: Up -> Down", FRR's bfdd (`debug bfd peer`, ms timestamps) "state-change:
# [... peer:X ...] up -> down"; `ip -ts monitor route` records each namespace's FIB.
TOR=${TOR:-bird}
case $TOR in bird | frr) ;; *) echo "TOR must be bird or frr" >&2; exit 2 ;; esac
NODE_BIN=$(realpath "${NODE_BIN:-out/bin/routednet-node}")
CTL_BIN=$(dirname "$NODE_BIN")/routednetctl
command -v bird >/dev/null || { echo "bird is missing: apt-get install -y bird2" >&2; exit 1; }
[ "$TOR" = bird ] || [ -x /usr/lib/frr/bfdd ] || { echo "FRR is missing: apt-get install -y frr" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "run as root: the bench creates network namespaces" >&2; exit 1; }
[ -x "$NODE_BIN" ] && [ -x "$CTL_BIN" ] || { echo "no $NODE_BIN / routednetctl: run ./build.sh first" >&2; exit 1; }

RUN=$(mktemp -d /tmp/rnt-bfd-bench.XXXXXX)
# FRR drops root for user frr, which must reach its own directory inside the run's.
chmod 0755 "$RUN"
FRR_DIR=$RUN/frr
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

# The ToR's BIRD, or FRR (TOR=frr), then node A's BIRD.
start_birds() {
  if [ "$TOR" = frr ]; then
    start_frr_tor
  else
    { bird_common 198.18.9.1 tor
      echo "protocol static { ipv4; route 10.98.0.0/24 blackhole; }"
      echo "protocol bgp nbird { local 198.18.9.1 as 65000; neighbor 198.18.9.2 as 65001; $BGP_FAST ipv4 { import all; export where source = RTS_STATIC; }; }"
      echo "protocol bgp nours { local 198.18.9.1 as 65000; neighbor 198.18.9.3 as 65002; $BGP_FAST ipv4 { import all; export where source = RTS_STATIC; }; }"
    } > "$RUN/tor.conf"
    ip netns exec "$T" bird -c "$RUN/tor.conf" -s "$RUN/tor.ctl" -P "$RUN/tor.pid"
    PIDS+=("$(pidof_ tor)")
  fi
  { bird_common 198.18.9.2 nodea
    echo "protocol static { ipv4; route 10.99.1.0/24 blackhole; }"
    echo "protocol bgp tor { local 198.18.9.2 as 65001; neighbor 198.18.9.1 as 65000; $BGP_FAST ipv4 { import all; export where source = RTS_STATIC; }; }"
  } > "$RUN/nodea.conf"
  ip netns exec "$A" bird -c "$RUN/nodea.conf" -s "$RUN/nodea.ctl" -P "$RUN/nodea.pid"
  PIDS+=("$(pidof_ nodea)")
}

# FRR as the ToR: zebra (its FIB), bfdd (a profile at $INTERVAL ms x 3, state changes logged with
# ms timestamps to $FRR_DIR/bfdd.log) and bgpd (both nodes, `bfd profile bench`, BGP_FAST's
# timers), each daemonized as user frr with its pid file, config and sockets in $FRR_DIR.
start_frr_tor() {
  local daemon i
  mkdir -p "$FRR_DIR"
  echo "hostname tor" > "$FRR_DIR/zebra.conf"
  : > "$FRR_DIR/vtysh.conf"
  printf 'log file %s/bfdd.log debugging\nlog timestamp precision 3\ndebug bfd peer\nbfd\n profile bench\n  receive-interval %s\n  transmit-interval %s\n  detect-multiplier 3\n exit\nexit\n' \
    "$FRR_DIR" "$INTERVAL" "$INTERVAL" > "$FRR_DIR/bfdd.conf"
  { echo "frr defaults datacenter"
    echo "hostname tor"
    echo "router bgp 65000"
    echo " bgp router-id 198.18.9.1"
    echo " no bgp ebgp-requires-policy"
    echo " no bgp network import-check"
    echo " timers bgp 80 240"
    for n in "198.18.9.2 65001" "198.18.9.3 65002"; do
      set -- $n
      echo " neighbor $1 remote-as $2"
      echo " neighbor $1 bfd profile bench"
      echo " neighbor $1 timers connect 1"
    done
    echo " address-family ipv4 unicast"
    echo "  network 10.98.0.0/24"
    echo " exit-address-family"
  } > "$FRR_DIR/bgpd.conf"
  chown -R frr:frr "$FRR_DIR"
  for daemon in zebra bfdd bgpd; do
    ip netns exec "$T" /usr/lib/frr/$daemon -d -u frr -g frr -P 0 -z "$FRR_DIR/zserv.api" --vty_socket "$FRR_DIR" \
      -f "$FRR_DIR/$daemon.conf" -i "$FRR_DIR/$daemon.pid" $([ $daemon = bfdd ] && echo --bfdctl "$FRR_DIR/bfdd.sock")
    for i in $(seq 1 100); do [ -S "$FRR_DIR/$daemon.vty" ] && [ -s "$FRR_DIR/$daemon.pid" ] && break; sleep 0.1; done
    PIDS+=("$(cat "$FRR_DIR/$daemon.pid")")
  done
}

vtysh_() { vtysh --vty_socket "$FRR_DIR" --config_dir "$FRR_DIR" "$@"; }

# The ToR's pids (FRR: all three daemons, frozen together as a hung router).
tor_pids() {
  if [ "$TOR" = frr ]; then cat "$FRR_DIR"/zebra.pid "$FRR_DIR"/bfdd.pid "$FRR_DIR"/bgpd.pid; else pidof_ tor; fi
}

# Sessions Established and BFD sessions Up at the ToR (both must be 2).
tor_established() {
  if [ "$TOR" = frr ]; then vtysh_ -c "show bgp neighbors json" | grep -Eo '"bgpState": ?"Established"' | wc -l
  else birdc_ tor show protocols | grep -c Established; fi
}
tor_bfd_up() {
  if [ "$TOR" = frr ]; then vtysh_ -c "show bfd peers json" | grep -Eo '"status": ?"up"' | wc -l
  else birdc_ tor show bfd sessions | grep -c ' Up '; fi
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
    if [ "$(tor_established)" = 2 ] \
      && [ "$(tor_bfd_up)" = 2 ] \
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
  if [ "$TOR" = frr ]; then vtysh_ -c "show bgp summary" -c "show bfd peers brief" >&2; else birdc_ tor show protocols >&2; birdc_ tor show bfd sessions >&2; fi
  exit 1
}

# Stops the daemons and removes the namespaces of one topology (the run's directory stays).
teardown() {
  local p ns
  for p in "${PIDS[@]}"; do kill -CONT "$p" 2>/dev/null || true; kill "$p" 2>/dev/null || true; done
  PIDS=()
  sleep 0.5
  for ns in "$T" "$A" "$B"; do ip netns delete "$ns" 2>/dev/null || true; done
  rm -rf "$FRR_DIR"
}
