#!/usr/bin/env bash
# Regenerates tests/DeepSharp.Tests/Chat/golden/ from the reference renderer (@huggingface/jinja in Jint).
# Run it after adding a template, a scenario or a snippet; review the diff before committing.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../../.." && pwd)"
bash "$here/fetch.sh"
cd "$repo"
DEEPSHARP_WRITE_GOLDEN=1 dotnet test tests/DeepSharp.Tests -c Release -- --filter-namespace "DeepSharp.Tests.Chat"
