#!/usr/bin/env bash
# Transit benchmark (lab-notes bgp.md §e): namespaces gen — dut — sink on veths, BIRD 2 as generator
# and sink (CPU 0), the device under test on CPU 1: our speaker (bench/bgp-host) and BIRD 2 take
# turns in the dut slot in the same run. eBGP everywhere: gen AS 65001 → dut AS 65000 → sink AS 65002.
# Measures: time from enabling the generator's N unique /32s to the sink holding all N, time for
# the sink to lose them all after the generator withdraws, peak RSS (VmHWM) of the DUT, bytes per route.
# Session-scale mode (argument sessions=P, the Calico mesh shape): P generator sessions, one /26
# each, each with its own address on both sides; the clock runs from starting the DUT to every
# session Established and all P prefixes at the sink.
# Usage: sudo bench/bgp-transit.sh [N | sessions=P ...]     (default: 100000)
# Needs root, bird2; builds bench/bgp-host in Release unless HOST_DLL points at a built one.
# NATIVE=1 publishes it NativeAOT with routednet-node's GC settings (workstation, background GC:
# src/Felix/Felix.csproj), the form the speaker ships in; HOST_BIN=path runs such a file directly.
set -euo pipefail
cd "$(dirname "$0")/.."
COUNTS=("${@:-100000}")
command -v bird >/dev/null || { echo "bird is missing: apt-get install -y bird2" >&2; exit 1; }
RUN=$(mktemp -d /tmp/rnt-bgp-transit.XXXXXX)
SUFFIX=$(printf '%04x' $RANDOM)
GEN=rnt-gen-$SUFFIX DUT=rnt-dut-$SUFFIX SINK=rnt-sink-$SUFFIX
DUT_PID=""

cleanup() { # the run's directory stays when the bench failed: its messages point at the logs there
  local status=$?
  for f in "$RUN"/*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true; done
  [ -n "$DUT_PID" ] && kill "$DUT_PID" 2>/dev/null || true
  for ns in $GEN $DUT $SINK; do ip netns delete "$ns" 2>/dev/null || true; done
  if [ "$status" = 0 ]; then rm -rf "$RUN"; else echo "logs kept in $RUN" >&2; fi
}
trap cleanup EXIT

if [ "${NATIVE:-}" = 1 ] && [ -z "${HOST_BIN:-}" ]; then
  HOST_BIN=.slots/${RN_BUILD_SLOT:-bench}/transit-host/RoutedNet.BgpHost
  RN_BUILD_SLOT=${RN_BUILD_SLOT:-bench} dotnet publish -c Release -r linux-x64 -nologo -clp:ErrorsOnly bench/bgp-host \
    -p:PublishAot=true -p:ServerGarbageCollection=false -p:ConcurrentGarbageCollection=true -o "$(dirname "$HOST_BIN")" >/dev/null
fi
if [ -n "${HOST_BIN:-}" ]; then
  [ -x "$HOST_BIN" ] || { echo "no $HOST_BIN (HOST_BIN)" >&2; exit 1; }
  HOST=("$HOST_BIN")
else
  if [ -z "${HOST_DLL:-}" ]; then
    RN_BUILD_SLOT=${RN_BUILD_SLOT:-bench} dotnet build -c Release -nologo -clp:ErrorsOnly bench/bgp-host >/dev/null
    HOST_DLL=$(ls -t .slots/"${RN_BUILD_SLOT:-bench}"/bin/BgpHost/Release/net10.0/RoutedNet.BgpHost.dll 2>/dev/null | head -1)
  fi
  [ -f "$HOST_DLL" ] || { echo "no RoutedNet.BgpHost.dll (set HOST_DLL)" >&2; exit 1; }
  HOST=(dotnet exec "$HOST_DLL")
fi

topology() {
  for ns in $GEN $DUT $SINK; do ip netns add "$ns"; ip -n "$ns" link set lo up; done
  ip -n $GEN link add g0 type veth peer name d0 netns $DUT
  ip -n $DUT link add d1 type veth peer name s0 netns $SINK
  ip -n $GEN addr add 198.18.1.2/24 dev g0; ip -n $GEN link set g0 up
  ip -n $DUT addr add 198.18.1.1/24 dev d0; ip -n $DUT link set d0 up
  ip -n $DUT addr add 198.18.2.1/24 dev d1; ip -n $DUT link set d1 up
  ip -n $SINK addr add 198.18.2.2/24 dev s0; ip -n $SINK link set s0 up
}

birdc_() { birdc -s "$RUN/$1.ctl" "${@:2}"; }
imported() { birdc_ sink show protocols all dut | awk '/Routes:/ {print $2; exit}'; }
now() { date +%s.%N; }
alive() { kill -0 "$DUT_PID" 2>/dev/null || { echo "the DUT died; its log: $RUN/dut.log" >&2; tail -5 "$RUN/dut.log" >&2; exit 1; }; }

start_bird() { # name ns config
  ip netns exec "$2" taskset -c 0 bird -c "$3" -s "$RUN/$1.ctl" -P "$RUN/$1.pid"
}

# The sink (the same in both modes) learns everything the DUT passes on; the generator runs $RUN/gen.conf.
start_gen_and_sink() {
  cat > "$RUN/sink.conf" <<EOC
router id 198.18.2.2;
protocol device {}
protocol bgp dut { local 198.18.2.2 as 65002; neighbor 198.18.2.1 as 65000; connect delay time 1; hold time 90;
  ipv4 { import all; export none; }; }
EOC
  start_bird gen $GEN "$RUN/gen.conf"
  start_bird sink $SINK "$RUN/sink.conf"
}

run_one() { # dut-kind N
  local kind=$1 n=$2
  topology
  python3 - "$n" > "$RUN/routes.conf" <<'PY'
import sys
n = int(sys.argv[1])
base = (100 << 24) | (64 << 16)
out = sys.stdout
for i in range(n):
    a = base + i
    out.write(f"route {a>>24}.{(a>>16)&255}.{(a>>8)&255}.{a&255}/32 blackhole;\n")
PY
  cat > "$RUN/gen.conf" <<EOC
router id 198.18.1.2;
protocol device {}
protocol static bulk { ipv4; disabled;
include "$RUN/routes.conf";
}
protocol bgp dut { local 198.18.1.2 as 65001; neighbor 198.18.1.1 as 65000; connect delay time 1; hold time 90;
  ipv4 { import none; export where proto = "bulk"; }; }
EOC
  start_gen_and_sink
  if [ "$kind" = bird ]; then
    cat > "$RUN/dut.conf" <<EOC
router id 198.18.1.1;
protocol device {}
protocol bgp gen { local 198.18.1.1 as 65000; neighbor 198.18.1.2 as 65001; connect delay time 1; hold time 90; ipv4 { import all; export none; }; }
protocol bgp sink { local 198.18.2.1 as 65000; neighbor 198.18.2.2 as 65002; connect delay time 1; hold time 90; ipv4 { import none; export all; }; }
EOC
    ip netns exec $DUT taskset -c 1 bird -f -c "$RUN/dut.conf" -s "$RUN/dut.ctl" -P "$RUN/dutbird.pid" &
    DUT_PID=$!
  else
    cat > "$RUN/dut.json" <<EOC
{ "asn": 65000, "routerId": "198.18.1.1",
  "peers": [
    { "address": "198.18.1.2", "remoteAs": 65001, "localAddress": "198.18.1.1", "families": ["ipv4"], "allowed": ["100.64.0.0/10 le 32"] },
    { "address": "198.18.2.2", "remoteAs": 65002, "localAddress": "198.18.2.1", "families": ["ipv4"], "exportLearned": true } ] }
EOC
    ip netns exec $DUT taskset -c 1 "${HOST[@]}" "$RUN/dut.json" > "$RUN/dut.log" 2>&1 &
    DUT_PID=$!
  fi
  # Both sessions Established (the sink's and the generator's), then start the clock.
  for _ in $(seq 1 300); do
    if birdc_ sink show protocols dut | grep -q Established && birdc_ gen show protocols dut | grep -q Established; then break; fi
    sleep 0.1
  done
  local t0 t1 t2 t3
  t0=$(now); birdc_ gen enable bulk >/dev/null
  while [ "$(imported)" != "$n" ]; do alive; sleep 0.1; done
  t1=$(now)
  local hwm; hwm=$(awk '/VmHWM/ {print $2}' /proc/$DUT_PID/status)
  local cpu; cpu=$(awk '{print ($14+$15)/100}' /proc/$DUT_PID/stat)
  t2=$(now); birdc_ gen disable bulk >/dev/null
  while [ "$(imported)" != "0" ]; do alive; sleep 0.1; done
  t3=$(now)
  python3 - "$kind" "$n" "$t0" "$t1" "$t2" "$t3" "$hwm" "$cpu" <<'PY'
import sys
kind, n, t0, t1, t2, t3, hwm, cpu = sys.argv[1], int(sys.argv[2]), *map(float, sys.argv[3:7]), int(sys.argv[7]), float(sys.argv[8])
print(f"{kind:6} N={n:>8}  full table {t1-t0:7.2f} s  withdraw-all {t3-t2:7.2f} s  peak RSS {hwm/1024:7.1f} MB  {hwm*1024/n:7.0f} B/route  CPU {cpu:6.2f} s")
PY
  kill "$DUT_PID" 2>/dev/null || true; wait "$DUT_PID" 2>/dev/null || true; DUT_PID=""
  [ "$kind" = ours ] && sed -n 's/^gc: /         gc: /p' "$RUN/dut.log"
  # RN_MEM_REPORT=SECONDS (bench/bgp-host/MemoryReport.cs): the sample with the highest RSS.
  [ "$kind" = ours ] && awk '/^mem: / && $4 + 0 > max { max = $4 + 0; line = $0 } END { if (line) print "         " line }' "$RUN/dut.log"
  for f in "$RUN"/gen.pid "$RUN"/sink.pid; do kill "$(cat "$f")" 2>/dev/null || true; done
  sleep 0.5
  for ns in $GEN $DUT $SINK; do ip netns delete "$ns" 2>/dev/null || true; done
}

mesh_topology() { # P: gen—dut link with one address pair per session, dut—sink as in topology()
  for ns in $GEN $DUT $SINK; do ip netns add "$ns"; ip -n "$ns" link set lo up; done
  ip -n $GEN link add g0 type veth peer name d0 netns $DUT
  ip -n $DUT link add d1 type veth peer name s0 netns $SINK
  for i in $(seq 1 "$1"); do
    ip -n $GEN addr add 198.19.2.$i/16 dev g0
    ip -n $DUT addr add 198.19.1.$i/16 dev d0
  done
  ip -n $GEN link set g0 up; ip -n $DUT link set d0 up
  ip -n $DUT addr add 198.18.2.1/24 dev d1; ip -n $DUT link set d1 up
  ip -n $SINK addr add 198.18.2.2/24 dev s0; ip -n $SINK link set s0 up
}

run_mesh() { # dut-kind P
  local kind=$1 p=$2 i
  [ "$p" -ge 1 ] && [ "$p" -le 250 ] || { echo "sessions=P needs 1 <= P <= 250 (one address octet per session)" >&2; exit 1; }
  mesh_topology "$p"
  { echo "router id 198.19.2.1;"; echo "protocol device {}"
    for i in $(seq 1 "$p"); do
      echo "protocol static s$i { ipv4; route 100.64.$i.0/26 blackhole; }"
      echo "protocol bgp dut$i { local 198.19.2.$i as 65001; neighbor 198.19.1.$i as 65000; connect delay time 1; hold time 90;"
      echo "  ipv4 { import none; export where proto = \"s$i\"; }; }"
    done; } > "$RUN/gen.conf"
  start_gen_and_sink
  local t0; t0=$(now)
  if [ "$kind" = bird ]; then
    { echo "router id 198.19.1.1;"; echo "protocol device {}"
      for i in $(seq 1 "$p"); do
        echo "protocol bgp gen$i { local 198.19.1.$i as 65000; neighbor 198.19.2.$i as 65001; connect delay time 1; hold time 90; ipv4 { import all; export none; }; }"
      done
      echo "protocol bgp sink { local 198.18.2.1 as 65000; neighbor 198.18.2.2 as 65002; connect delay time 1; hold time 90; ipv4 { import none; export all; }; }"
    } > "$RUN/dut.conf"
    ip netns exec $DUT taskset -c 1 bird -f -c "$RUN/dut.conf" -s "$RUN/dut.ctl" -P "$RUN/dutbird.pid" &
    DUT_PID=$!
  else
    { echo '{ "asn": 65000, "routerId": "198.19.1.1", "peers": ['
      for i in $(seq 1 "$p"); do
        echo "{ \"address\": \"198.19.2.$i\", \"remoteAs\": 65001, \"localAddress\": \"198.19.1.$i\", \"families\": [\"ipv4\"], \"allowed\": [\"100.64.0.0/10 le 32\"] },"
      done
      echo '{ "address": "198.18.2.2", "remoteAs": 65002, "localAddress": "198.18.2.1", "families": ["ipv4"], "exportLearned": true } ] }'
    } > "$RUN/dut.json"
    ip netns exec $DUT taskset -c 1 "${HOST[@]}" "$RUN/dut.json" > "$RUN/dut.log" 2>&1 &
    DUT_PID=$!
  fi
  local up=0 t1
  while [ "$up" != "$p" ] || [ "$(imported)" != "$p" ]; do
    alive; sleep 0.1
    up=$(birdc_ gen show protocols | grep -c Established || true)
  done
  t1=$(now)
  local hwm; hwm=$(awk '/VmHWM/ {print $2}' /proc/$DUT_PID/status)
  local cpu; cpu=$(awk '{print ($14+$15)/100}' /proc/$DUT_PID/stat)
  python3 - "$kind" "$p" "$t0" "$t1" "$hwm" "$cpu" <<'PY'
import sys
kind, p, t0, t1, hwm, cpu = sys.argv[1], int(sys.argv[2]), *map(float, sys.argv[3:5]), int(sys.argv[5]), float(sys.argv[6])
print(f"{kind:6} P={p:>4} sessions  all Established + all prefixes at sink {t1-t0:6.2f} s (from DUT start)  peak RSS {hwm/1024:6.1f} MB  CPU {cpu:5.2f} s")
PY
  kill "$DUT_PID" 2>/dev/null || true; wait "$DUT_PID" 2>/dev/null || true; DUT_PID=""
  [ "$kind" = ours ] && sed -n 's/^gc: /         gc: /p' "$RUN/dut.log"
  for f in "$RUN"/gen.pid "$RUN"/sink.pid; do kill "$(cat "$f")" 2>/dev/null || true; done
  sleep 0.5
  for ns in $GEN $DUT $SINK; do ip netns delete "$ns" 2>/dev/null || true; done
}

echo "# bench/bgp-transit.sh on $(nproc) CPUs, $(bird --version 2>&1 | head -1), dotnet $(dotnet --version), ours: ${HOST[*]}, load $(cut -d' ' -f1-3 /proc/loadavg)"
for n in "${COUNTS[@]}"; do
  case $n in
    sessions=*) run_mesh bird "${n#sessions=}"; run_mesh ours "${n#sessions=}" ;;
    *) run_one bird "$n"; run_one ours "$n" ;;
  esac
done
