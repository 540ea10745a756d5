#!/usr/bin/env bash
# Route reflector at scale (issue 18): one reflector, N iBGP clients simulated by one process of
# ours (bench/rr-clients: each binds 127.1.x.y in a namespace of its own, announces one /26 and
# counts what it receives). BIRD, GoBGP and our speaker (bench/bgp-host, hosted alone) take turns
# as the reflector in the same run, each freshly started, for each connect pattern:
#   burst   every client connects at once (what a reflector restart looks like to it)
#   stagger 50 clients every 50 ms
# Reported per reflector: time until all N are Established and until every client has the other
# N-1 /26s, one change (a /32 from one client) to the N-1 others (p50/p99/max over CHANGES changes),
# the reflector's CPU for the whole convergence, its CPU while idle with N sessions, peak RSS.
# Usage: sudo bench/rr-scale.sh [clients=1000] [patterns="burst stagger"] [rrs="bird gobgp ours"] [changes=20] [idle=30]
# Ours runs as routednet-node does: published NativeAOT with workstation GC, background GC on
# (src/Felix/Felix.csproj); HOST_DLL=path runs a JIT build with `dotnet` instead.
# env: CLIENTS_DLL, HOST_BIN or HOST_DLL (else built/published in Release). Needs root, bird2, gobgpd.
set -euo pipefail
cd "$(dirname "$0")/.."
CLIENTS=1000 PATTERNS="burst stagger" RRS="bird gobgp ours" CHANGES=20 IDLE=30
for arg in "$@"; do
  case "$arg" in
    clients=*) CLIENTS=${arg#*=} ;;
    patterns=*) PATTERNS=${arg#*=} ;;
    rrs=*) RRS=${arg#*=} ;;
    changes=*) CHANGES=${arg#*=} ;;
    idle=*) IDLE=${arg#*=} ;;
    *) echo "unknown argument '$arg'; usage: bench/rr-scale.sh [clients=N] [patterns=\"burst stagger\"] [rrs=\"bird gobgp ours\"] [changes=K] [idle=S]" >&2; exit 2 ;;
  esac
done
[[ "$CLIENTS" =~ ^[0-9]+$ && "$CLIENTS" -ge 2 && "$CLIENTS" -le 16000 ]] || { echo "clients=$CLIENTS: a number from 2 to 16000" >&2; exit 2; }
[[ "$IDLE" =~ ^[0-9]+$ && "$IDLE" -ge 5 ]] || { echo "idle=$IDLE: at least 5 seconds" >&2; exit 2; }
for rr in $RRS; do
  case "$rr" in
    bird) command -v bird >/dev/null || { echo "bird is missing: apt-get install -y bird2" >&2; exit 1; } ;;
    gobgp) command -v gobgpd >/dev/null || { echo "gobgpd is missing: apt-get install -y gobgpd" >&2; exit 1; } ;;
    ours) ;;
    *) echo "rrs: '$rr' is not bird, gobgp or ours" >&2; exit 2 ;;
  esac
done
RUN=$(mktemp -d /tmp/rnt-rr-scale.XXXXXX)
NS=rnt-rrscale-$(printf '%04x' $RANDOM)
RR_PID="" CLIENT_PID="" KEEP_LOGS=""

cleanup() { # the run's directory stays when the bench failed: its messages point at the logs there
  local status=$?
  [ -n "$CLIENT_PID" ] && kill "$CLIENT_PID" 2>/dev/null || true
  [ -n "$RR_PID" ] && kill "$RR_PID" 2>/dev/null || true
  ip netns delete "$NS" 2>/dev/null || true
  if [ "$status" = 0 ] && [ -z "$KEEP_LOGS" ] && [ -z "${KEEP:-}" ]; then rm -rf "$RUN"; else echo "logs kept in $RUN" >&2; fi
}
trap cleanup EXIT

build() { # project dir, assembly
  RN_BUILD_SLOT=${RN_BUILD_SLOT:-bench} dotnet build -c Release -nologo -clp:ErrorsOnly "bench/$1" >/dev/null
  ls -t .slots/"${RN_BUILD_SLOT:-bench}"/bin/*/Release/net10.0/"$2" 2>/dev/null | head -1
}
CLIENTS_DLL=${CLIENTS_DLL:-$(build rr-clients RoutedNet.RrClients.dll)}
[ -f "$CLIENTS_DLL" ] || { echo "no RoutedNet.RrClients.dll (set CLIENTS_DLL)" >&2; exit 1; }
if [[ " $RRS " == *" ours "* && -z "${HOST_DLL:-}" && -z "${HOST_BIN:-}" ]]; then
  HOST_BIN=.slots/${RN_BUILD_SLOT:-bench}/rr-host/RoutedNet.BgpHost
  RN_BUILD_SLOT=${RN_BUILD_SLOT:-bench} dotnet publish -c Release -r linux-x64 -nologo -clp:ErrorsOnly bench/bgp-host \
    -p:PublishAot=true -p:ServerGarbageCollection=false -p:ConcurrentGarbageCollection=true -o "$(dirname "$HOST_BIN")" >/dev/null
fi
if [[ " $RRS " == *" ours "* ]]; then
  if [ -n "${HOST_DLL:-}" ]; then HOST=(dotnet "$HOST_DLL"); else HOST=("$HOST_BIN"); fi
  [ -f "${HOST[-1]}" ] || { echo "no ${HOST[-1]} (set HOST_BIN or HOST_DLL)" >&2; exit 1; }
fi

ip netns add "$NS"
ip -n "$NS" link set lo up
PORT=179   # the namespace is ours alone, so the well-known port is free

client_ip() { python3 -c "import sys; a=(127<<24)|(1<<16)|(1+int(sys.argv[1])); print(f'{a>>24}.{(a>>16)&255}.{(a>>8)&255}.{a&255}')" "$1"; }
client_ips() { python3 - "$CLIENTS" <<'PY'
import sys
for i in range(int(sys.argv[1])):
    a = (127 << 24) | (1 << 16) | (1 + i)
    print(f"{a>>24}.{(a>>16)&255}.{(a>>8)&255}.{a&255}")
PY
}

write_bird() {
  {
    cat <<EOC
router id 127.0.0.1;
protocol device {}
# iBGP next hops are resolved recursively: the clients' next hops (100.64/10) are reachable via lo.
protocol static nexthops { ipv4; route 100.64.0.0/10 via "lo"; }
template bgp clients {
  local 127.0.0.1 as 64512; passive on; rr client; multihop; hold time 90;
  ipv4 { import all; export all; };
}
EOC
    local i=0
    while read -r ip; do echo "protocol bgp c$i from clients { neighbor $ip as 64512; }"; i=$((i + 1)); done < <(client_ips)
  } > "$RUN/bird.conf"
}

write_gobgp() {
  {
    cat <<EOC
[global.config]
  as = 64512
  router-id = "127.0.0.1"
  port = $PORT
  local-address-list = ["127.0.0.1"]
EOC
    while read -r ip; do cat <<EOC
[[neighbors]]
  [neighbors.config]
    neighbor-address = "$ip"
    peer-as = 64512
  [neighbors.timers.config]
    hold-time = 90
  [neighbors.transport.config]
    passive-mode = true
  [neighbors.route-reflector.config]
    route-reflector-client = true
    route-reflector-cluster-id = "127.0.0.1"
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv4-unicast"
EOC
    done < <(client_ips)
  } > "$RUN/gobgpd.toml"
}

write_ours() {
  client_ips | python3 -c '
import json, sys
port = int(sys.argv[1])
peers = [{"address": ip.strip(), "remoteAs": 64512, "passive": True, "holdTimeSeconds": 90,
          "routeReflectorClient": True, "exportLearned": True, "allowed": ["0.0.0.0/0 le 32"], "families": ["ipv4"]}
         for ip in sys.stdin if ip.strip()]
json.dump({"asn": 64512, "routerId": "127.0.0.1", "listenPort": port, "listenAddresses": ["127.0.0.1"], "peers": peers}, sys.stdout)
' "$PORT" > "$RUN/ours.json"
}

start_rr() { # kind
  case "$1" in
    bird) ip netns exec "$NS" bird -c "$RUN/bird.conf" -s "$RUN/bird.ctl" -P "$RUN/bird.pid"
          for _ in $(seq 50); do [ -s "$RUN/bird.pid" ] && break; sleep 0.1; done
          RR_PID=$(cat "$RUN/bird.pid") ;;
    gobgp) ip netns exec "$NS" gobgpd -f "$RUN/gobgpd.toml" -l warn -p --api-hosts 127.0.0.1:50051 --pprof-disable > "$RUN/gobgp.log" 2>&1 &
          RR_PID=$! ;;
    ours) ip netns exec "$NS" "${HOST[@]}" "$RUN/ours.json" > "$RUN/ours.log" 2>&1 &
          RR_PID=$! ;;
  esac
  # Listening (for GoBGP: once its configuration, which holds every neighbour, is read).
  for _ in $(seq 300); do
    ip netns exec "$NS" ss -Hltn "sport = :$PORT" | grep -q LISTEN && [ "$1" != gobgp -o "$(gobgp_neighbors)" -ge "$CLIENTS" ] && return 0
    kill -0 "$RR_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "$1 did not start listening on port $PORT; its log: $RUN/$1.log" >&2
  exit 1
}
gobgp_neighbors() { ip netns exec "$NS" gobgp -u 127.0.0.1 -p 50051 neighbor 2>/dev/null | tail -n +2 | wc -l; }

stop_rr() {
  kill "$RR_PID" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$RR_PID" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$RR_PID" 2>/dev/null || true
  wait "$RR_PID" 2>/dev/null || true
  RR_PID=""
}

ticks() { awk '{print $14+$15}' "/proc/$RR_PID/stat"; }
field() { grep -o " $2=[^ ]*" <<<"$1" | head -1 | cut -d= -f2; }

run_one() { # kind pattern
  local kind=$1 pattern=$2 out="$RUN/$1-$2.out" c0 cfull cidle0 cidle1 hwm line_e line_f line_c
  start_rr "$kind"
  c0=$(ticks)
  : > "$out"
  ip netns exec "$NS" dotnet "$CLIENTS_DLL" rr=127.0.0.1:$PORT clients="$CLIENTS" pattern="$pattern" changes="$CHANGES" idle="$IDLE" > "$out" 2> "$RUN/$1-$2.err" &
  CLIENT_PID=$!
  until grep -q -e ' full ' -e FAILED "$out"; do
    kill -0 "$CLIENT_PID" 2>/dev/null || break
    sleep 0.05
  done
  cfull=$(ticks)
  until grep -q -e ' idle ' -e FAILED "$out"; do kill -0 "$CLIENT_PID" 2>/dev/null || break; sleep 0.1; done
  if grep -q FAILED "$out" || ! grep -q ' idle ' "$out"; then
    # One reflector failing the run is a result too (BIRD's listen queue of 8 against a burst):
    # say what it reached and go on with the next.
    echo "$kind $pattern $(grep -h -e FAILED -e ' established ' "$out" | tr '\n' ' ')(logs: $RUN)"
    KEEP_LOGS=1
    kill "$CLIENT_PID" 2>/dev/null || true; wait "$CLIENT_PID" 2>/dev/null || true; CLIENT_PID=""
    stop_rr
    return 0
  fi
  sleep 2   # the changes' last withdrawals settle
  cidle0=$(ticks); sleep $((IDLE - 4)); cidle1=$(ticks)
  wait "$CLIENT_PID" || KEEP_LOGS=1   # sessions dropped after Established: the row says how many
  CLIENT_PID=""
  hwm=$(awk '/VmHWM/ {print $2}' "/proc/$RR_PID/status")
  stop_rr
  line_e=$(grep ' established ' "$out") line_f=$(grep ' full ' "$out") line_c=$(grep ' change ' "$out") line_d=$(grep ' done ' "$out" || true)
  python3 - "$kind" "$pattern" "$(field "$line_e" s)" "$(field "$line_e" slow_connects)" "$(field "$line_e" setup_failures)" "$(field "$line_f" s)" "$(field "$line_f" after_established_s)" \
    "$(field "$line_c" p50_ms)" "$(field "$line_c" p99_ms)" "$(field "$line_c" max_ms)" "$(field "$line_d" drops)" "$c0" "$cfull" "$cidle0" "$cidle1" "$((IDLE - 4))" "$hwm" <<'PY'
import os, sys
kind, pattern, est, slow, setup, full, after, p50, p99, mx, drops = sys.argv[1:12]
c0, cfull, ci0, ci1, idle, hwm = map(int, sys.argv[12:18])
hz = os.sysconf("SC_CLK_TCK")
print(f"{kind:6} {pattern:7} established {float(est):6.2f} s ({slow} slow connects, {setup} setups failed)  full {float(full):6.2f} s (+{float(after):5.2f})  "
      f"change p50/p99/max {p50}/{p99}/{mx} ms  CPU {(cfull-c0)/hz:5.2f} s  idle {100*(ci1-ci0)/hz/idle:5.2f} % of a core  peak RSS {hwm/1024:6.1f} MB  drops {drops or '?'}")
PY
}

write_bird; write_gobgp; write_ours
echo "# bench/rr-scale.sh clients=$CLIENTS changes=$CHANGES idle=$IDLE on $(nproc) CPUs, $(bird --version 2>&1 | head -1), gobgpd $(gobgpd --version 2>&1 | awk '{print $NF}'), dotnet $(dotnet --version), load $(cut -d' ' -f1-3 /proc/loadavg)"
for pattern in $PATTERNS; do
  for rr in $RRS; do
    run_one "$rr" "$pattern"
  done
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
