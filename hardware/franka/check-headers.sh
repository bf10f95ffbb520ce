#!/usr/bin/env bash
# Checks tether_franka_bridge.cpp against libfranka's real headers without libfranka installed:
# a C++17 syntax and type check (-fsyntax-only -Wall -Wextra -Werror), no linking.
#
#   hardware/franka/check-headers.sh <libfranka checkout> <libfranka-common checkout> [panda]
#
# The two checkouts are frankaemika/libfranka at the version to check (its include/) and
# frankaemika/libfranka-common (include/research_interface/, libfranka's `common` submodule).
# `panda` checks the Panda build (libfranka 0.9.x and earlier; CMakeLists.txt sets it by version).
set -euo pipefail
if [[ $# -lt 2 ]]; then
  echo "usage: $0 <libfranka checkout> <libfranka-common checkout> [panda]" >&2
  exit 2
fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
for dir in "$1/include/franka" "$2/include/research_interface"; do
  [[ -d "$dir" ]] || { echo "$0: no $dir" >&2; exit 2; }
done
defines=()
[[ "${3:-}" == panda ]] && defines+=(-DTETHER_FRANKA_PANDA=1)
"${CXX:-g++}" -std=c++17 -fsyntax-only -Wall -Wextra -Werror "${defines[@]}" \
  -I"$1/include" -I"$2/include" -I"$here/../firmware" "$here/tether_franka_bridge.cpp"
echo "tether_franka_bridge.cpp: no errors or warnings against $1/include"
