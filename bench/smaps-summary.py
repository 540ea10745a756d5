#!/usr/bin/env python3
"""What holds a process's RSS, from a copy of its /proc/PID/smaps (bench/agent-idle.sh SMAPS=<dir>):
resident kB per kind of mapping (the executable's own pages by permission, other files, the heap,
anonymous mappings by size class), clean and dirty, referenced (touched since the referenced bits
were last cleared: bench/agent-idle.sh clears them when the idle window starts), then the largest
anonymous mappings."""
import re, sys

rows = []  # (start, end, perms, path, fields)
for line in open(sys.argv[1]):
    m = re.match(r"([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)", line)
    if m:
        rows.append([int(m[1], 16), int(m[2], 16), m[3], m[4].strip(), {}])
    elif ":" in line and rows:
        key, value = line.split(":", 1)
        if value.strip().endswith("kB"):
            rows[-1][4][key] = int(value.split()[0])

exe = max((r for r in rows if r[3].startswith("/")), key=lambda r: r[1] - r[0])[3] if rows else ""

exe_ends = {r[1] for r in rows if r[3] == exe}

def kind(start, end, perms, path):
    if path == exe:
        return f"executable {perms}"
    if path.startswith("/"):
        return "other files"
    if path:
        return path  # [heap], [stack], [vdso]...
    if start in exe_ends:
        return "executable's .bss (NativeAOT: the rehydrated type data)"
    size = end - start
    # Anonymous: thread stacks are 8 MB-ish rw- mappings (with a guard below); the GC reserves
    # its regions in one large range and commits within it.
    if size >= 256 << 20:
        return "anonymous, reservations >= 256 MB (GC range)"
    if perms.startswith("rw") and (7 << 20) <= size <= (9 << 20):
        return "anonymous, 8 MB rw (thread stacks)"
    return f"anonymous, other {perms}"

total = {}
for start, end, perms, path, f in rows:
    k = kind(start, end, perms, path)
    t = total.setdefault(k, [0, 0, 0, 0, 0])
    t[0] += f.get("Rss", 0)
    t[1] += f.get("Shared_Clean", 0) + f.get("Private_Clean", 0)
    t[2] += f.get("Shared_Dirty", 0) + f.get("Private_Dirty", 0)
    t[3] += 1
    t[4] += f.get("Referenced", 0)
print(f"  {'resident kB':>11} {'clean':>7} {'dirty':>7} {'touched':>7} {'maps':>5}  kind")
for k, (rss, clean, dirty, n, referenced) in sorted(total.items(), key=lambda kv: -kv[1][0]):
    if rss:
        print(f"  {rss:11} {clean:7} {dirty:7} {referenced:7} {n:5}  {k}")
print(f"  {sum(t[0] for t in total.values()):11} {'':15} {sum(t[4] for t in total.values()):7} in all")
anon = sorted((r for r in rows if not r[3]), key=lambda r: -r[4].get("Rss", 0))[:8]
print("  largest anonymous: " + ", ".join(f"{r[4].get('Rss', 0)} kB of {(r[1] - r[0]) >> 10} kB {r[2]}" for r in anon))
