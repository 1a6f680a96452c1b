#!/bin/sh
# Installs everything the test suite needs: the package with its test extras (in .venv), and the
# Debian packages the browser, print and serving tests drive (chromium, poppler-utils,
# nginx: test_serving.py starts Debian's real nginx on 127.0.0.1), LibreOffice
# (libreoffice-writer-nogui), which the Word tests use to turn .docx into PDF and .doc, and
# its spreadsheet (libreoffice-calc-nogui), which recalculates the statistics workbooks, and
# fonts-liberation: the print tests check that a fresh Debian machine's Liberation Serif 1.07,
# which has no Vietnamese, is never used; and the web form's local backend (decap-server
# from npm, pinned by tools/decap-server/package-lock.json; Node.js 20 or later, Debian's
# nodejs + npm when missing); softhsm2, the PKCS#11 token the signing tests sign with
# (baocao sign --pkcs11-lib), and poppler-utils' pdfsig, which judges every signature.
# axe-core from npm for the accessibility tests, pinned by
# tools/axe-core/package-lock.json.
set -e
cd "$(dirname "$0")/.."
# the package and its test extras in .venv (tools/install.sh: Debian 12 refuses pip outside one)
sh tools/install.sh test
missing=""
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
command -v pdftoppm >/dev/null 2>&1 || missing="$missing poppler-utils"
command -v soffice >/dev/null 2>&1 || missing="$missing libreoffice-writer-nogui"
[ -e /usr/lib/libreoffice/program/libsclo.so ] || missing="$missing libreoffice-calc-nogui"
[ -f /usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf ] || missing="$missing fonts-liberation"
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || missing="$missing nginx"
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"
[ -f /usr/lib/softhsm/libsofthsm2.so ] && command -v softhsm2-util >/dev/null 2>&1 || missing="$missing softhsm2"
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
