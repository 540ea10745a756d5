#!/usr/bin/env bash
# One timed phase of bench/cni-latency.sh: every pod's ADD (or DEL) of one plugin, run by
# WORKERS concurrent workers, the way a runtime execs a CNI plugin (env + config on stdin).
# Runs inside the bench's node namespace (the caller nsenters), so host veths land there.
# Prints one line per exec: "<latency µs> <exit code> <pod index>", then "wall <µs>" and
# "cpu <µs>" (user+sys of everything the phase ran: plugin, its IPAM, the bash workers; less
# sensitive than wall time to other load on a shared machine).
#   phase.sh <plugin-path> <ADD|DEL> <workers> <pods> <scratch> <netns-prefix>
# Stdin per pod: <scratch>/<plugin>/<ADD|DEL>-<i>.json (DEL files carry the ADD result as
# prevResult, as libcni's cache does); ADD results go to <scratch>/<plugin>/result-<i>.json.
set -uo pipefail
plugin=$1 verb=$2 workers=$3 pods=$4 scratch=$5 prefix=$6
name=$(basename "$plugin")
dir=$scratch/$name

worker() { # worker index: pods w, w+workers, ...
  local i t0 t1 rc out
  for ((i = $1; i < pods; i += workers)); do
    out=/dev/null
    [ "$verb" = ADD ] && out=$dir/result-$i.json
    t0=${EPOCHREALTIME/./}
    CNI_COMMAND=$verb CNI_CONTAINERID=$prefix-c$i CNI_NETNS=/run/netns/$prefix-p$i CNI_IFNAME=eth0 \
      CNI_PATH=$scratch/bin CNI_ARGS="IgnoreUnknown=1;K8S_POD_NAMESPACE=bench;K8S_POD_NAME=pod-$i" \
      "$plugin" <"$dir/$verb-$i.json" >"$out" 2>>"$dir/stderr"
    rc=$?
    t1=${EPOCHREALTIME/./}
    # A failed ADD's stdout is the error JSON: keep it for the report, never as a prevResult.
    [ "$verb" = ADD ] && [ $rc != 0 ] && mv "$out" "$dir/error-$i.json"
    echo "$((t1 - t0)) $rc $i"
  done
}

start=${EPOCHREALTIME/./}
for ((w = 0; w < workers; w++)); do
  worker "$w" >"$dir/lat-$w" &
done
wait
end=${EPOCHREALTIME/./}
# `times` must run in this shell (not a subshell) to see the workers' CPU; line 2 is the children's.
times >"$dir/times"
cat "$dir"/lat-*
rm -f "$dir"/lat-*
echo "wall $((end - start))"
sed -n 2p "$dir/times" | awk '{ cpu = 0; for (f = 1; f <= 2; f++) { split($f, t, /[ms]/); cpu += t[1] * 60 + t[2] } printf "cpu %d\n", cpu * 1e6 }'

