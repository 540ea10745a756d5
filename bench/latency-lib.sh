# Shared by bench/convergence.sh and bench/service-announce.sh (sourced, not run): latencies taken
# from `ip -ts monitor` lines and reported as median, one upper quantile, min and max.

# The time (epoch seconds) of an `ip -ts monitor` line: "[2026-12-07T12:00:00.123456] ...".
monitor_line_time() {
  date -u -d "$(sed -E 's/^\[([^]]+)\].*/\1/' <<<"$1")" +%s.%N
}

# Appends (AT - SINCE) in milliseconds to FILE: append_ms FILE AT SINCE.
append_ms() {
  awk -v a="$2" -v b="$3" 'BEGIN { printf "%.3f\n", (a - b) * 1000 }' >>"$1"
}

# Prints "WHAT (CONTEXT, N NOUN): median, pQ, min, max" of the milliseconds in FILE:
# latency_report WHAT FILE CONTEXT NOUN QUANTILE (0.9 prints p90, 0.99 p99).
latency_report() {
  sort -n "$2" | awk -v what="$1" -v context="$3" -v noun="$4" -v q="$5" '
    { s[NR] = $1 }
    function rank(q,   k) { k = int(q * NR + 0.999999); return s[k < 1 ? 1 : k] }
    END { printf "%s (%s, %d %s): median %.1f ms, p%d %.1f ms, min %.1f ms, max %.1f ms\n", what, context, NR, noun, rank(0.5), int(q * 100 + 0.5), rank(q), s[1], s[NR] }'
}
