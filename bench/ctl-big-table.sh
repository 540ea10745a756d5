#!/usr/bin/env bash
# routednetctl with a full table (issue 13, item 14): routednet-node learns N unique /32s over BGP
# from a BIRD peer (bench/node-agent-lib.sh's generator) until its kernel holds them; then `bgp rib`
# and `routes` in every -o form, each timed: wall seconds, routednetctl's peak RSS, lines and bytes
# printed, exit code. No reference to compare with: this shows that the answer streams (the CLI's
# memory stays flat while the output grows) where before it failed past gRPC's 4 MiB.
# Usage: bench/ctl-big-table.sh [N=1000000]    env: CTL (default out/bin/routednetctl), NODE_DLL, CTL_DLL
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
CTL=${CTL:-out/bin/routednetctl}
[ -x "$CTL" ] || { echo "$CTL is missing: run ./build.sh" >&2; exit 1; }
. bench/node-agent-lib.sh

node_topology 1
start_generator 1 yes
base=$(fib_count)
start_agent_node 1
wait_established 1
wait_generators_loaded
t0=$(now)
while [ "$(fib_count)" -lt $((base + N)) ]; do alive; sleep 0.5; done
echo "# bench/ctl-big-table.sh $N on $(nproc) CPUs, dotnet $(dotnet --version), $($CTL --version); all $N in the node's kernel $(python3 -c "print(f'{$(now)-$t0:.1f}')") s after the first table load; agent RSS $(awk '/VmRSS/ {printf "%.0f MB", $2/1024}' /proc/$NODE_PID/status)"
for command in "bgp rib" "routes"; do
  for format in table wide json yaml; do
    rc=0
    # shellcheck disable=SC2086
    /usr/bin/time -f "%e %M" -o "$RUN/time" "$CTL" $command -o $format --node-socket "$RUN/node.sock" > "$RUN/out" 2> "$RUN/err" || rc=$?
    read -r seconds kb < <(tail -1 "$RUN/time")
    printf '%-8s -o %-5s  exit %s  %6.2f s  peak RSS %5.0f MB  %8s lines  %6.0f MB out  %s\n' \
      "$command" "$format" "$rc" "$seconds" "$((kb / 1024))" "$(wc -l < "$RUN/out")" "$(($(stat -c %s "$RUN/out") / 1048576))" "$(head -c 200 "$RUN/err")"
  done
done
echo "agent RSS after: $(awk '/VmRSS/ {printf "%.0f MB", $2/1024}' /proc/$NODE_PID/status)"
