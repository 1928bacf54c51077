#!/usr/bin/env bash
# Make sure the EDA tools and node_modules are present. Called by `npm start` and `npm test`.
# Fast no-op (prints nothing) when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

# command (or, for a package without a command, a file it installs) -> Debian package
OSU018_LIB=/usr/share/qflow/tech/osu018/osu018_stdcells.lib
declare -A PKG=(
  [verilator]=verilator
  [iverilog]=iverilog
  [yosys]=yosys
  [nextpnr-ice40]=nextpnr-ice40
  [icepack]=fpga-icestorm
  [ccache]=ccache
  [sta]=opensta
  [qflow]=qflow
  [$OSU018_LIB]=qflow-tech-osu018
)
TOOLS=(verilator iverilog yosys nextpnr-ice40 icepack ccache sta qflow "$OSU018_LIB")

# A command on PATH; a file (absolute path) present, or at least its package installed
# (dcgen asks dpkg -L where the package put it).
present() {
  if [[ $1 == /* ]]; then
    [[ -f $1 ]] || dpkg-query -W -f='${Status}' "${PKG[$1]}" 2>/dev/null | grep -q 'ok installed'
  else
    command -v "$1" >/dev/null 2>&1
  fi
}

missing=()
for cmd in "${TOOLS[@]}"; do
  present "$cmd" || missing+=("$cmd")
done

if ((${#missing[@]} > 0)); then
  # qflow (graywolf, qrouter): dcgen synth --target asic --place.
  pkgs=(verilator iverilog yosys nextpnr-ice40 fpga-icestorm ccache opensta qflow qflow-tech-osu018)
  # Verilator needs a C++ compiler and make at build time; normally already present.
  command -v g++ >/dev/null 2>&1 || pkgs+=(g++)
  command -v make >/dev/null 2>&1 || pkgs+=(make)

  if [[ $(id -u) -eq 0 ]]; then
    as_root=()
  elif command -v sudo >/dev/null 2>&1; then
    # Without a terminal sudo must not wait for a password prompt.
    if [[ -t 0 ]]; then as_root=(sudo); else as_root=(sudo -n); fi
  else
    echo "bootstrap: missing ${missing[*]}; need root (or sudo) to run:" >&2
    echo "  apt-get install ${pkgs[*]}" >&2
    exit 2
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "bootstrap: missing ${missing[*]} and no apt-get here; install the Debian packages: ${pkgs[*]}" >&2
    exit 2
  fi

  echo "bootstrap: missing ${missing[*]}; apt-get install ${pkgs[*]}"
  "${as_root[@]}" apt-get update -qq
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null

  still=()
  for cmd in "${missing[@]}"; do
    present "$cmd" || still+=("$cmd (package ${PKG[$cmd]})")
  done
  if ((${#still[@]} > 0)); then
    echo "bootstrap: still missing after apt-get install: ${still[*]}" >&2
    exit 2
  fi
fi

if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "bootstrap: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
