# Summarises bench/cni-latency.sh samples, sorted by `sort -k1,3 -k4,4n` beforehand. Lines:
# "<mode> <verb> <plugin> <latency µs> <rc>" and "<mode> <verb> <plugin> wall <µs>".
# "<mode> <verb> <plugin> cpu <µs>". Prints per mode and verb: median and p99 (nearest rank) in
# ms, pods/s (execs / summed phase wall time) and CPU ms per exec of ours and of the reference,
# and the ratios ours/reference; then per mode the sum of the ADD and DEL medians and its ratio.
function ms(us) { return sprintf("%.2f", us / 1000) }
function rank(key, q,    k) {
  k = int(q * count[key] + 0.999999)
  return sample[key, k < 1 ? 1 : k]
}
$4 == "wall" { wall[$1 " " $2 " " $3] += $5; next }
$4 == "cpu" { cpu[$1 " " $2 " " $3] += $5; next }
{
  key = $1 " " $2 " " $3
  sample[key, ++count[key]] = $4
  if ($5 != 0) failed[key]++
}
END {
  printf "%-4s %-4s | %-9s %8s %8s %7s %6s | %-9s %8s %8s %7s %6s | %9s %9s %9s\n", "mode", "verb", \
    "ours", "median", "p99", "pods/s", "cpu", "reference", "median", "p99", "pods/s", "cpu", "ratio med", "ratio p99", "ratio cpu"
  split("seq par", modes, " "); split("ADD DEL", verbs, " ")
  for (m = 1; m <= 2; m++) for (v = 1; v <= 2; v++) {
    a = modes[m] " " verbs[v] " " ours; b = modes[m] " " verbs[v] " " ref
    if (!(a in count) || !(b in count)) continue
    am = rank(a, 0.5); ap = rank(a, 0.99); bm = rank(b, 0.5); bp = rank(b, 0.99)
    ac = cpu[a] / count[a]; bc = cpu[b] / count[b]
    printf "%-4s %-4s | %-9s %8s %8s %7.1f %6s | %-9s %8s %8s %7.1f %6s | %9.2f %9.2f %9.2f\n", modes[m], verbs[v], \
      ours, ms(am), ms(ap), count[a] * 1e6 / wall[a], ms(ac), ref, ms(bm), ms(bp), count[b] * 1e6 / wall[b], ms(bc), \
      am / bm, ap / bp, (bc > 0 ? ac / bc : 0)
    if (failed[a] || failed[b]) printf "          FAILED execs: %s %d, %s %d\n", ours, failed[a], ref, failed[b]
    pair[m, "ours"] += am; pair[m, "ref"] += bm; pairs[m]++
  }
  # One pod's whole life as the runtime sees it: median ADD + median DEL.
  for (m = 1; m <= 2; m++) if (pairs[m] == 2) {
    printf "%-4s %-7s | %-9s %8s %8s %7s %6s | %-9s %8s %8s %7s %6s | %9.2f\n", modes[m], "ADD+DEL", \
      ours, ms(pair[m, "ours"]), "", "", "", ref, ms(pair[m, "ref"]), "", "", "", pair[m, "ours"] / pair[m, "ref"]
  }
}
