#!/usr/bin/env bash
# Installs what the tests need (Debian packages, only what is missing), builds, and runs every
# tier: unit, integration (root, network namespaces) and interop (real etcd, BIRD, FRR, GoBGP,
# containerd, podman, reference CNI plugins). Nothing is skipped: a missing peer is a failure.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if [ "$(id -u)" != 0 ]; then
  echo "test.sh must run as root: the integration tiers create network namespaces" >&2
  exit 1
fi

./scripts/install-deps.sh

./build.sh image   # the binaries, and the image archive the Interop tier loads (tests/Interop/Image)

tier() { # name, projects...
  local name=$1; shift
  echo "=== tier: $name"
  for p in "$@"; do
    dotnet test "$p" -c Release --no-build -nologo --logger "console;verbosity=minimal"
  done
}

tier unit tests/*.Tests/*.Tests.csproj
tier integration tests/Integration/Integration.csproj
tier interop tests/Interop/Interop.csproj
echo "=== all tiers passed"
