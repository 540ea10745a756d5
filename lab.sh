#!/usr/bin/env bash
# ./lab.sh up|down — the README's first command.
# Until the node agent lands (issue 5), the lab is one node with two pods wired by the real
# `routednet` CNI binary (IPAM: the reference host-local), pinging each other and the host.
# Everything lives in network namespaces named rnlab-*; `down` removes exactly those.
set -euo pipefail
cd "$(dirname "$0")"
repo=$PWD
state=$repo/.lab
node=rnlab-node tor=rnlab-tor
pods=(pod-a pod-b)

die() { echo "lab: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "run as root: the lab creates network namespaces"

# One CNI call, as a runtime makes it: env per the spec, network config on stdin, run in the node.
cni() { # verb, pod
  CNI_COMMAND=$1 CNI_CONTAINERID=lab-$2 CNI_NETNS=/run/netns/rnlab-$2 CNI_IFNAME=eth0 \
  CNI_PATH=$repo/out/bin:/usr/lib/cni CNI_ARGS="IgnoreUnknown=1;K8S_POD_NAMESPACE=lab;K8S_POD_NAME=$2" \
    ip netns exec $node "$repo/out/bin/routednet" <"$state/net.json"
}

down() {
  if [ -f "$state/net.json" ] && [ -x out/bin/routednet ]; then
    for pod in "${pods[@]}"; do cni DEL "$pod" >/dev/null 2>&1 || true; done
  fi
  for ns in $(ip netns list | awk '/^rnlab-/ {print $1}'); do ip netns delete "$ns"; done
  rm -rf "$state"
}

up() {
  ./scripts/install-deps.sh
  ./build.sh
  down
  mkdir -p "$state/ipam"
  # The node's uplink: proxy ARP for 169.254.1.1 only answers when the node has a route covering
  # it, normally the default route. This kernel has no dummy module, so a veth to a "tor" namespace.
  ip netns add $node; ip netns add $tor
  ip -n $node link set lo up; ip -n $tor link set lo up
  ip link add eth0 netns $node type veth peer name node1 netns $tor
  ip -n $tor addr add 172.18.0.1/16 dev node1; ip -n $tor link set node1 up
  ip -n $node addr add 172.18.0.2/16 dev eth0; ip -n $node link set eth0 up
  ip -n $node route add default via 172.18.0.1
  cat >"$state/net.json" <<JSON
{ "cniVersion": "1.0.0", "name": "lab", "type": "routednet", "mtu": 1500,
  "ipam": { "type": "host-local", "ranges": [[{ "subnet": "10.244.0.0/24" }]], "dataDir": "$state/ipam" } }
JSON
  declare -A ip
  for pod in "${pods[@]}"; do
    ip netns add rnlab-$pod
    result=$(cni ADD "$pod") || die "ADD $pod failed: $result"
    ip[$pod]=$(sed -n 's/.*"address": *"\([0-9.]*\)\/32".*/\1/p' <<<"$result" | head -1)
    echo "$pod: ${ip[$pod]}"
  done
  echo "--- node routes (ip -n $node route)"; ip -n $node route
  echo "--- pod-a routes";                   ip -n rnlab-pod-a route
  echo "--- pod-a -> pod-b";  ip netns exec rnlab-pod-a ping -c 2 -W 2 "${ip[pod-b]}"
  echo "--- pod-a -> node";   ip netns exec rnlab-pod-a ping -c 2 -W 2 172.18.0.2
  echo "lab is up; ./lab.sh down removes it"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  *) die "usage: ./lab.sh up|down" ;;
esac
