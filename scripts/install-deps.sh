#!/usr/bin/env bash
# Installs the Debian 12 packages taeval builds, tests and benchmarks with.
# Idempotent: installs only what is missing. Uses sudo when not root and waits
# for the dpkg lock, so it is safe to run from `make` on a shared machine.
set -euo pipefail

packages=(
  build-essential cmake make pkg-config
  libeigen3-dev             # linear algebra (models/)
  libboost-graph-dev        # impact graph (engine/)
  libboost-math-dev         # distributions (models/)
  libsqlitecpp-dev libsqlite3-dev sqlite3   # storage; sqlite3 shell for the import benchmark
  libcli11-dev              # command line
  catch2                    # tests (v2.13)
  liblbfgspp-dev            # optimiser for maximum likelihood
  libcsv-dev                # RFC 4180 CSV parser (streaming)
  libutfcpp-dev             # UTF-8 validation of imported text
  libssl-dev                # SHA-256 of imported files (OpenSSL libcrypto)
  nlohmann-json3-dev        # JSON in and out
  libpugixml-dev            # XML (IATI)
  libbenchmark-dev          # benchmarks
  libfmt-dev                # formatting
  libtbb-dev                # thread pool for evaluate
  graphviz                  # renders the impact graph in a test (dot -Tsvg)
  time                      # /usr/bin/time: peak memory in the benchmarks
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi

echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# apt-get's own lock timeout waits for another dpkg run instead of failing.
apt_opts=(-o DPkg::Lock::Timeout=600 -y -q --no-install-recommends)
# An empty or stale package list makes apt-get install fail to find packages.
if ! $sudo apt-get "${apt_opts[@]}" install "${missing[@]}"; then
  $sudo apt-get -o DPkg::Lock::Timeout=600 -q update
  $sudo apt-get "${apt_opts[@]}" install "${missing[@]}"
fi
