#!/usr/bin/env bash
# `./build.sh image`: the OCI archive out/image/routednet.tar holding the image
# routednet/routednet:<tag> (DESIGN.md "Contracts": the image), from the binaries in out/bin (build.sh
# publishes them first). No docker engine, no registry, no network: podman builds FROM scratch
# with --network=none and saves an oci-archive, which `podman load` and `ctr images import` read.
#   ROUTEDNET_IMAGE_TAG  the tag; default: the version the binaries print, without "+commit"
set -euo pipefail
cd "$(dirname "$0")/.."
command -v podman >/dev/null || { echo "build-image: podman not found: apt-get install -y podman" >&2; exit 1; }
for b in routednet routednet-ipam routednet-node routednetctl; do
  [ -x "out/bin/$b" ] || { echo "build-image: out/bin/$b missing: run ./build.sh first" >&2; exit 1; }
done

version=$(out/bin/routednet-node --version)
tag=${ROUTEDNET_IMAGE_TAG:-${version%%+*}}
# Fully qualified: kubelet and containerd read "routednet/routednet:TAG" as docker.io/..., and
# podman would otherwise file a short name under localhost/.
ref=docker.io/routednet/routednet:$tag

context=out/image/context
rootfs=$context/rootfs
rm -rf "$context"
mkdir -p "$rootfs/usr/bin" "$rootfs/opt/cni/bin" "$rootfs/usr/lib/x86_64-linux-gnu" "$rootfs/lib64" "$rootfs/tmp"
chmod 1777 "$rootfs/tmp"
install -m 0755 out/bin/routednet-node "$rootfs/usr/bin/routednet-node"
# routednetctl is routednet-node under another name (argv[0] picks the program): a hard link too.
if [ out/bin/routednetctl -ef out/bin/routednet-node ]; then
  ln "$rootfs/usr/bin/routednet-node" "$rootfs/usr/bin/routednetctl"
else
  install -m 0755 out/bin/routednetctl "$rootfs/usr/bin/routednetctl"
fi
install -m 0755 out/bin/routednet "$rootfs/opt/cni/bin/routednet"
# The IPAM plugin is the same file (the binary picks its role from argv[0]): a hard link, stored once.
ln "$rootfs/opt/cni/bin/routednet" "$rootfs/opt/cni/bin/routednet-ipam"

# Shared libraries: what the binaries link (ldd), plus what .NET dlopens on demand. NativeAOT links
# its own native parts (System.Native, the OpenSSL shim, zlib-ng) into each binary; the OpenSSL shim
# dlopens libssl.so.3 (and so libcrypto.so.3) for TLS to the API server and etcd. Not included:
# ICU (InvariantGlobalization), libgssapi_krb5 (Negotiate auth, unused), libsqlite3 (the sqlite
# datastore is for one-host labs, not a cluster). glibc 2.34+ has the files/dns NSS modules built in.
libraries() {
  local ssl
  ssl=$(ldconfig -p | awk '$1 == "libssl.so.3" && /x86-64/ { print $NF; exit }')
  [ -n "$ssl" ] || { echo "build-image: libssl.so.3 not found on this host: apt-get install -y libssl3" >&2; exit 1; }
  { echo "$ssl"; ldd "$rootfs"/usr/bin/* "$rootfs"/opt/cni/bin/routednet "$ssl" \
    | awk '/^\t/ && $2 == "=>" && $3 ~ /^\// { print $3 } /^\t\// { print $1 }'; } | sort -u
}
libs=$(libraries)
for lib in $libs; do
  case "$lib" in
    */ld-linux-x86-64.so.2) install -m 0755 "$(readlink -f "$lib")" "$rootfs/lib64/ld-linux-x86-64.so.2" ;;
    *) install -m 0644 "$(readlink -f "$lib")" "$rootfs/usr/lib/x86_64-linux-gnu/$(basename "$lib")" ;;
  esac
done
# The Debian packages they came from (merged /usr: dpkg may know a file under /lib or /usr/lib).
package_of() {
  local real=$1 alt
  alt=${real#/usr}; [ "$alt" != "$real" ] || alt=/usr$real
  { dpkg -S "$real" 2>/dev/null || dpkg -S "$alt" 2>/dev/null || echo "unknown: $real"; } | head -1 | cut -d: -f1
}
for lib in $libs; do package_of "$(readlink -f "$lib")"; done | sort -u \
  | while read -r p; do dpkg-query -W -f='${Package} ${Version}\n' "$p" 2>/dev/null || echo "$p"; done > out/image/packages.txt
cp Containerfile "$context/Containerfile"

# A rebuild moves the tag: the image it leaves untagged is removed (by id, only that one).
previous=$(podman image inspect --format '{{.Id}}' "$ref" 2>/dev/null || true)
podman build --network=none --pull=never --layers=false -q -f "$context/Containerfile" --build-arg "VERSION=$version" -t "$ref" "$context" >/dev/null
if [ -n "$previous" ] && [ "$previous" != "$(podman image inspect --format '{{.Id}}' "$ref")" ] \
  && [ "$(podman image inspect --format '{{len .RepoTags}}' "$previous" 2>/dev/null)" = 0 ]; then
  podman rmi "$previous" >/dev/null || true
fi
rm -f out/image/routednet.tar
podman save -q --format oci-archive -o out/image/routednet.tar "$ref"
size=$(podman image inspect --format '{{.Size}}' "$ref")
echo "image $ref: $((size / 1000)) kB uncompressed, archive out/image/routednet.tar $(( $(stat -c %s out/image/routednet.tar) / 1000 )) kB"
# Issue 15's size goal: said loudly when crossed (docs/BENCHMARKS.md "Image size" lists what is left to cut).
if [ "$size" -gt 40000000 ]; then
  echo "warning: the image is over its 40 MB goal ($size bytes); see docs/BENCHMARKS.md \"Image size\"" >&2
fi
