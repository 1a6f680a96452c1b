#!/bin/sh
# Installs everything the test suite needs: the package with its test extras, and the
# Debian packages the browser, print and serving tests drive (chromium, poppler-utils,
# nginx: test_serving.py starts Debian's real nginx on 127.0.0.1), LibreOffice
# (libreoffice-writer-nogui), which the Word tests use to turn .docx into PDF and .doc, and
# fonts-liberation: the print tests check that a fresh Debian machine's Liberation Serif 1.07,
# which has no Vietnamese, is never used; and the web form's local backend (decap-server
# from npm, pinned by tools/decap-server/package-lock.json; Node.js 20 or later, Debian's
# nodejs + npm when missing); axe-core from npm for the accessibility tests, pinned by
# tools/axe-core/package-lock.json.
set -e
cd "$(dirname "$0")/.."
python3 -m pip install -q -e '.[test]'
missing=""
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
command -v pdftoppm >/dev/null 2>&1 || missing="$missing poppler-utils"
command -v soffice >/dev/null 2>&1 || missing="$missing libreoffice-writer-nogui"
[ -f /usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf ] || missing="$missing fonts-liberation"
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || missing="$missing nginx"
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
npm ci --prefix tools/axe-core --no-audit --no-fund --ignore-scripts --loglevel=error
