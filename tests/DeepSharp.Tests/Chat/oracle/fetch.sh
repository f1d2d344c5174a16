#!/usr/bin/env bash
# Fetches the independent reference renderer for the chat-template tests: the npm package
# @huggingface/jinja, which the tests run inside Jint. It lands in oracle/huggingface-jinja/ (git-ignored).
# Safe to re-run: it does nothing when the right version is already there. Needs npm and the npm registry.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
version=0.5.11
dest="$here/huggingface-jinja"

if [ -f "$dest/package/dist/index.js" ] && grep -q "\"version\": \"$version\"" "$dest/package/package.json"; then
    exit 0
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack "@huggingface/jinja@$version" --silent >/dev/null)
rm -rf "$dest"
mkdir -p "$dest"
tar -xzf "$tmp/huggingface-jinja-$version.tgz" -C "$dest"
echo "fetched @huggingface/jinja $version into $dest"
