#!/usr/bin/env bash
# Builds the solution and publishes every binary into out/bin (DESIGN.md "Contracts").
# The CNI binary is NativeAOT: runtimes exec it per pod, so it must start in ~2 ms.
# `./build.sh image` then also builds the OCI image archive out/image/routednet.tar (podman).
set -euo pipefail
cd "$(dirname "$0")"
case "${1:-}" in
  "" | image) ;;
  *) echo "usage: ./build.sh [image]" >&2; exit 2 ;;
esac
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
mkdir -p out/bin

dotnet build RoutedNet.sln -c Release -nologo -clp:ErrorsOnly

publish_aot() { # project, binary name
  dotnet publish "src/$1/$1.csproj" -c Release -r linux-x64 -nologo -clp:ErrorsOnly \
    -o "out/publish/$1"
  install -m 0755 "out/publish/$1/$2" "out/bin/$2"
}

publish_aot CniPlugin routednet
# The IPAM plugin is the same file under another name: the binary picks its role from argv[0].
ln -f out/bin/routednet out/bin/routednet-ipam
# The node agent (ASP.NET Core: gRPC, health) is NativeAOT too, and routednetctl is the same file
# under another name (multi-call: argv[0] picks the program, src/Ctl/CtlProgram.cs), so the image
# stores their shared code once.
publish_aot Felix routednet-node
ln -f out/bin/routednet-node out/bin/routednetctl
# The stand-in API server, for tests only (README "Testing"): never shipped, so out/test, not out/bin.
mkdir -p out/test
dotnet publish tests/KubeApiServer/KubeApiServer.csproj -c Release -r linux-x64 --self-contained false -p:PublishSingleFile=true \
  -nologo -clp:ErrorsOnly -o out/publish/KubeApiServer
install -m 0755 out/publish/KubeApiServer/routednet-test-apiserver out/test/routednet-test-apiserver
echo "built: $(ls out/bin | tr '\n' ' ')"
if [ "${1:-}" = image ]; then
  scripts/build-image.sh
fi
