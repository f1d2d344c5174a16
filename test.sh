#!/usr/bin/env bash
# Runs the whole test suite: restore, build, and every test project.
set -euo pipefail
cd "$(dirname "$0")"
dotnet test DeepSharp.sln -c Release "$@"
