#!/bin/sh
# Refreshes the browser files of the web form in overrides/admin/ from the npm registry:
# Decap CMS (decap-cms, MIT) and the YAML library its file format uses (yaml, ISC).
# Usage: sh tools/cms/refresh-admin.sh [DECAP_VERSION] [YAML_VERSION]
# Then review `git diff --stat`, run the tests, and commit with the new SHA256SUMS.
set -eu
DECAP=${1:-3.16.3}
YAML=${2:-2.9.1}
cd "$(dirname "$0")/../.."
admin=overrides/admin
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm init -y >/dev/null && \
  npm install --no-audit --no-fund --ignore-scripts --omit=optional "decap-cms@$DECAP" "yaml@$YAML" >/dev/null)
dist="$work/node_modules/decap-cms/dist"
rm -rf "$admin/decap" "$admin/yaml"
mkdir -p "$admin/decap" "$admin/yaml"
# The main bundle only. Not its source maps (50 MB), nor its lazily loaded chunks and wasm
# files: the form never loads them (tests/test_cms.py lists what it requests), and Decap
# would look for them beside index.html, not in decap/.
cp "$dist/decap-cms.js" "$dist/decap-cms.js.LICENSE.txt" "$admin/decap/"
cp tools/cms/LICENSE-decap-cms.txt "$admin/decap/LICENSE.txt"
cp -R "$work/node_modules/yaml/browser/dist/." "$admin/yaml/"
cp "$work/node_modules/yaml/LICENSE" "$admin/yaml/LICENSE.txt"
printf 'decap-cms %s\nyaml %s\n' "$DECAP" "$YAML" > tools/cms/VERSIONS
(cd "$admin" && find decap yaml -type f | LC_ALL=C sort | xargs sha256sum) > tools/cms/SHA256SUMS
du -sh "$admin/decap" "$admin/yaml"
echo "Updated $admin/decap and $admin/yaml (decap-cms $DECAP, yaml $YAML); see tools/cms/SHA256SUMS."
