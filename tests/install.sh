#!/bin/sh
# Installs everything the test suite needs: the package with its test extras, the Debian
# packages the browser and print tests drive (chromium, poppler-utils), and the web form's
# local backend (decap-server from npm, pinned by tools/decap-server/package-lock.json;
# Node.js 20 or later, Debian's nodejs + npm when missing).
set -e
cd "$(dirname "$0")/.."
python3 -m pip install -q -e '.[test]'
missing=""
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
command -v pdftoppm >/dev/null 2>&1 || missing="$missing poppler-utils"
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"
if [ -n "$missing" ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  # shellcheck disable=SC2086
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
fi
# The only network use beyond PyPI and apt: the npm registry, for the exact versions locked.
npm ci --prefix tools/decap-server --no-audit --no-fund --ignore-scripts --loglevel=error
