# Shared by bench/route-install.sh and bench/agent-idle.sh (sourced, not run): namespaces, BIRD
# generators, a sqlite datastore and routednet-node (or BIRD with kernel export) as the node.
# LAN 198.18.1.0/24 (RFC 2544 range) on a bridge in the node's namespace: generator i in its own
# namespace at 198.18.1.(i+1) (AS 65001), node 198.18.1.1 (AS 65000). One BIRD per generator: one
# BIRD running several sessions to the same neighbor address keeps all but the first Idle;
# prefixes are unique /32s from 100.64.0.0/10. The node is pinned to CPU 1, BIRD generators to CPU 0.

command -v bird >/dev/null || { echo "bird is missing: apt-get install -y bird2" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "run as root: the bench creates network namespaces" >&2; exit 1; }
RUN=$(mktemp -d /tmp/rnt-node-bench.XXXXXX)
SUFFIX=$(printf '%04x' $RANDOM)
GEN=rnt-gen-$SUFFIX NODE=rnt-node-$SUFFIX
NODE_PID="" GENS=0

stop_generators() {
  local i
  for i in $(seq 1 "$GENS"); do
    [ -f "$RUN/gen$i.pid" ] && kill "$(cat "$RUN/gen$i.pid")" 2>/dev/null || true
  done
}

delete_namespaces() {
  local i
  for i in $(seq 1 "$GENS"); do ip netns delete "$GEN-$i" 2>/dev/null || true; done
  ip netns delete "$NODE" 2>/dev/null || true
}

node_cleanup() { # the run's directory stays when the bench failed: its messages point at the logs there
  local status=$?
  stop_generators
  [ -n "$NODE_PID" ] && kill "$NODE_PID" 2>/dev/null || true
  delete_namespaces
  if [ "$status" = 0 ]; then rm -rf "$RUN"; else echo "logs kept in $RUN" >&2; fi
}
trap node_cleanup EXIT

# The agent and routednetctl as Release dlls (framework-dependent: quicker to build than the NativeAOT file that ships) unless given.
# NATIVE=1 takes the NativeAOT files that ship (out/bin, from ./build.sh); NODE_DLL/CTL_DLL may also
# name native files (anything not ending in .dll is exec'd as is).
if [ "${NATIVE:-}" = 1 ]; then NODE_DLL=${NODE_DLL:-out/bin/routednet-node} CTL_DLL=${CTL_DLL:-out/bin/routednetctl}; fi
if [ -z "${NODE_DLL:-}" ] || [ -z "${CTL_DLL:-}" ]; then
  slot=${RN_BUILD_SLOT:-bench}
  RN_BUILD_SLOT=$slot dotnet build -c Release -nologo -clp:ErrorsOnly src/Felix >/dev/null
  RN_BUILD_SLOT=$slot dotnet build -c Release -nologo -clp:ErrorsOnly src/Ctl >/dev/null
  NODE_DLL=.slots/$slot/bin/Felix/Release/net10.0/routednet-node.dll
  CTL_DLL=.slots/$slot/bin/Ctl/Release/net10.0/routednetctl.dll
fi
[ -f "$NODE_DLL" ] && [ -f "$CTL_DLL" ] || { echo "no routednet-node.dll / routednetctl.dll (set NODE_DLL, CTL_DLL)" >&2; exit 1; }
net_cmd() { case "$1" in *.dll) echo dotnet exec "$1" ;; *) echo "$1" ;; esac; }  # how to run a framework-dependent dll or a native file
NODE_CMD=$(net_cmd "$NODE_DLL") CTL_CMD=$(net_cmd "$CTL_DLL")

now() { date +%s.%N; }
birdc_() { birdc -s "$RUN/$1.ctl" "${@:2}"; }
gens_() { local i; for i in $(seq 1 "$GENS"); do birdc_ "gen$i" "$@"; done; }  # the same birdc command to every generator

# Prefixes in the node's main FIB, read in O(1) from the kernel's trie statistics.
fib_count() { ip netns exec "$NODE" awk '/^Main:/ {m=1} m && /Prefixes:/ {print $2; exit}' /proc/net/fib_triestat; }
cpu_seconds() { awk '{print ($14+$15)/100}' /proc/$NODE_PID/stat; }  # user + system of the node under test

node_topology() { # generators
  local i ns
  GENS=$1
  ip netns add "$NODE"; ip -n "$NODE" link set lo up
  ip -n "$NODE" link add br0 type bridge
  ip -n "$NODE" addr add 198.18.1.1/24 dev br0; ip -n "$NODE" link set br0 up
  for i in $(seq 1 "$GENS"); do
    ns=$GEN-$i
    ip netns add "$ns"; ip -n "$ns" link set lo up
    ip -n "$ns" link add g0 type veth peer name n$i netns "$NODE"
    ip -n "$NODE" link set n$i master br0 up
    ip -n "$ns" addr add 198.18.1.$((i + 1))/24 dev g0; ip -n "$ns" link set g0 up
  done
}

routes_conf() { # N file
  python3 - "$1" > "$2" <<'PY'
import sys
n = int(sys.argv[1])
base = (100 << 24) | (64 << 16)
for i in range(n):
    a = base + i
    sys.stdout.write(f"route {a>>24}.{(a>>16)&255}.{(a>>8)&255}.{a&255}/32 blackhole;\n")
PY
}

# Generator i is one BIRD in its own namespace. Its static routes load into a table of their own
# when it starts (seconds at 1M, BIRD's own work, never timed, as in the lab notes' harness); the
# pipe "feed" copies them into the table the BGP session exports, so enabling or disabling that pipe
# starts or withdraws the stream without the generator re-parsing or re-loading anything.
start_generator() { # generators enabled(yes|no)
  local i
  routes_conf "$N" "$RUN/routes.conf"
  for i in $(seq 1 "$1"); do
    { echo "router id 198.18.1.$((i + 1));"; echo "protocol device {}"; echo "ipv4 table bulk4;"
      echo "protocol static bulk { ipv4 { table bulk4; };"; echo "include \"$RUN/routes.conf\";"; echo "}"
      echo "protocol pipe feed { table bulk4; peer table master4; import none; export all; $([ "$2" = yes ] || echo "disabled;") }"
      echo "protocol bgp node { local 198.18.1.$((i + 1)) as 65001; neighbor 198.18.1.1 as 65000; connect delay time 1; hold time 90;"
      echo "  ipv4 { import none; export all; }; }"
    } > "$RUN/gen$i.conf"
    ip netns exec "$GEN-$i" taskset -c 0 bird -c "$RUN/gen$i.conf" -s "$RUN/gen$i.ctl" -P "$RUN/gen$i.pid"
  done
}

# Until every generator's own table holds all N routes (start_generator returns while BIRD loads).
wait_generators_loaded() {
  local i
  for i in $(seq 1 "$GENS"); do
    until birdc_ "gen$i" show route table bulk4 count 2>/dev/null | grep -q "^$N of $N routes"; do sleep 0.2; done
  done
}

start_bird_node() { # peers
  { echo "router id 198.18.1.1;"; echo "protocol device {}"
    echo "protocol kernel { ipv4 { export all; }; merge paths on; }"
    for i in $(seq 1 "$1"); do
      echo "protocol bgp gen$i { local 198.18.1.1 as 65000; neighbor 198.18.1.$((i + 1)) as 65001; connect delay time 1; hold time 90; ipv4 { import all; export none; }; }"
    done; } > "$RUN/node.conf"
  ip netns exec $NODE taskset -c 1 bird -f -c "$RUN/node.conf" -s "$RUN/node.ctl" -P "$RUN/nodebird.pid" &
  NODE_PID=$!
}

start_agent_node() { # peers: sqlite store with the generator's sessions as global BGPPeers, then the agent
  local store="$RUN/store.db" i
  { printf 'apiVersion: routednet.io/v1\nkind: BGPConfiguration\nmetadata: {name: default}\nspec: {asNumber: 65000, nodeToNodeMesh: false}\n'
    printf -- '---\napiVersion: routednet.io/v1\nkind: IPPool\nmetadata: {name: bench}\nspec: {cidr: 100.64.0.0/10}\n'
    for i in $(seq 1 "$1"); do
      printf -- '---\napiVersion: routednet.io/v1\nkind: BGPPeer\nmetadata: {name: gen%s}\nspec: {peerIP: 198.18.1.%s, asNumber: 65001}\n' "$i" $((i + 1))
    done; } | $CTL_CMD --datastore "sqlite://$store" apply -f - >/dev/null
  ip netns exec $NODE taskset -c 1 $NODE_CMD --datastore "sqlite://$store" --node-name bench \
    --node-ip 198.18.1.1 --api-socket "$RUN/node.sock" --health-port 0 > "$RUN/node.log" 2>&1 &
  NODE_PID=$!
}

alive() { kill -0 "$NODE_PID" 2>/dev/null || { echo "the node died; its log: $RUN/node.log" >&2; tail -5 "$RUN/node.log" >&2; exit 1; }; }

wait_established() { # peers
  for _ in $(seq 1 600); do
    [ "$(gens_ show protocols | grep -c Established || true)" = "$1" ] && return 0
    alive; sleep 0.1
  done
  echo "sessions never Established; node log: $RUN/node.log" >&2; exit 1
}

stop_node() {
  kill "$NODE_PID" 2>/dev/null || true; wait "$NODE_PID" 2>/dev/null || true; NODE_PID=""
  stop_generators
  sleep 0.5
  delete_namespaces
  rm -f "$RUN"/*.ctl "$RUN/store.db"*
}
