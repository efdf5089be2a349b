#!/usr/bin/env bash
# Debian/Ubuntu libraries QtWebEngine needs (found with ldd on PySide6's Qt).
# Installs what is missing when run as root; otherwise prints the exact line.
set -eu
command -v dpkg >/dev/null 2>&1 || { echo "system-deps: not a Debian/Ubuntu system; skipping"; exit 0; }

pkgs="libnss3 libnspr4 libegl1 libgl1 libgbm1 libdrm2 libfontconfig1 libglib2.0-0 libdbus-1-3
 libxkbcommon0 libxkbcommon-x11-0 libxkbfile1 libxcomposite1 libxdamage1 libxrandr2 libxtst6
 libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
 libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxcb-xinerama0 libpcsclite1
 libwayland-client0 libwayland-server0 fonts-dejavu-core xvfb xauth"

missing=""
for p in $pkgs; do
  dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
# ALSA's runtime was renamed in newer releases (time_t transition).
if ! dpkg -s libasound2 >/dev/null 2>&1 && ! dpkg -s libasound2t64 >/dev/null 2>&1; then
  missing="$missing ALSA"
fi
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "system-deps: QtWebEngine needs these packages; please run:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ${missing/ALSA/libasound2}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
if [[ "$missing" == *ALSA* ]]; then
  if apt-cache show libasound2t64 >/dev/null 2>&1; then alsa=libasound2t64; else alsa=libasound2; fi
  missing="${missing/ALSA/$alsa}"
fi
echo "system-deps: installing$missing"
apt-get install -y -qq --no-install-recommends $missing >/dev/null
