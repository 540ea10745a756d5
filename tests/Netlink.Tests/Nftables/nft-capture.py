#!/usr/bin/env python3
"""Prints the messages `nft -f FILE` sends, one per line: "<nft msg type> <hex of the attributes after nfgenmsg>".

The golden tests in this folder store these lines. Run it as root in a scratch namespace, e.g.
  ip netns add rnnft-cap; ip netns exec rnnft-cap tests/Netlink.Tests/Nftables/nft-capture.py rules.nft
It reads `nft --debug=mnl`, which prints every attribute header (length, N=NLA_F_NESTED, type)
and every 4-byte data word; their concatenation is the message as sent.
"""
import re, subprocess, sys

ansi = re.compile(r"\x1b\[[0-9;]*m")
out = subprocess.run(["nft", "--debug=mnl", "-f", sys.argv[1]], capture_output=True, text=True)
lines = [ansi.sub("", l) for l in (out.stdout + out.stderr).splitlines()]
messages, current, mtype = [], None, None
for line in lines:
    m = re.match(r"\|\s+(\d+)\s+\|\s+[R-]+\s+\|\s+\|\s+type \| flags", line) or re.match(r"\| (\d+) \| [A-Z-]+ \|\s+\|  type \| flags", line)
    if m:
        if current is not None:
            messages.append((mtype, current))
        mtype, current = int(m.group(1)), bytearray()
        continue
    if current is None:
        continue
    m = re.match(r"\|(\d{5})\|([N-])([B-])\|(\d{5})\|\s+\|len \|flags\| type\|", line)
    if m:
        length, nested, byteorder, atype = int(m.group(1)), m.group(2) == "N", m.group(3) == "B", int(m.group(4))
        atype |= (0x8000 if nested else 0) | (0x4000 if byteorder else 0)
        current += length.to_bytes(2, "little") + atype.to_bytes(2, "little")
        continue
    m = re.match(r"\| ([0-9a-f]{2}) ([0-9a-f]{2}) ([0-9a-f]{2}) ([0-9a-f]{2})  \|\s+\|      data      \|", line)
    if m:
        current += bytes(int(g, 16) for g in m.groups())
if current is not None:
    messages.append((mtype, current))
for mtype, body in messages:
    sub = mtype & 0xff
    if mtype >> 8 == 10 and body:
        print(f"{sub} {body.hex()}")
