#!/bin/sh
# Sets baocao up on this machine, as the README's first command does: a virtual environment
# in .venv with the package installed in it (pip install -e .), because Debian 12 refuses
# `pip install` outside one (PEP 668: "externally-managed-environment"). Debian's python3,
# python3-venv (a fresh Debian 12 has no ensurepip, so `python3 -m venv` fails without it)
# and git (the pages' "last changed" dates) are installed first with apt-get when missing,
# which needs root or sudo. An existing .venv is reused.
#
#   sh tools/install.sh          # the package
#   sh tools/install.sh test     # the package and its `test` extras (tests/install.sh)
set -e
cd "$(dirname "$0")/.."
missing=""
command -v python3 >/dev/null 2>&1 || missing="python3"
python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || missing="$missing python3-venv"
command -v git >/dev/null 2>&1 || missing="$missing git"
if [ -n "$missing" ]; then
  echo "Cài các gói Debian còn thiếu:$missing"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  # shellcheck disable=SC2086
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
fi
# A .venv left without pip (a `python3 -m venv` that failed half-way) is made again.
[ -x .venv/bin/pip ] || python3 -m venv --clear .venv
.venv/bin/python -m pip install -q -e ".${1:+[$1]}"
echo "Đã cài baocao vào thư mục .venv. Chạy lệnh bằng .venv/bin/baocao (ví dụ .venv/bin/baocao check),"
echo "hoặc gõ một lần '. .venv/bin/activate' trong cửa sổ dòng lệnh rồi dùng baocao ..."
