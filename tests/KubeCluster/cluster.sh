#!/usr/bin/env bash
# tests/KubeCluster/cluster.sh up [--nodes N] [--image ARCHIVE] [--dir DIR]
# Brings up the kubelet-player harness by hand (README "Testing"): the stand-in API server and N
# node namespaces on a bridge, a kubelet per node and the DaemonSet controller, with the image
# archive (default out/image/routednet.tar) loaded; prints the helm and kubectl commands to use,
# stays in the foreground, and takes everything down on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/../.."
die() { echo "cluster: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "run as root: it creates network namespaces and runs podman"
[ -x out/test/routednet-test-apiserver ] || die "out/test/routednet-test-apiserver is missing: run ./build.sh"
dotnet build tests/KubeCluster -c Release -nologo -clp:ErrorsOnly -o out/test/cluster >/dev/null ||
  die "building tests/KubeCluster failed: dotnet build tests/KubeCluster -c Release"
exec dotnet out/test/cluster/routednet-test-cluster.dll "$@"
