#!/usr/bin/env bash
# Install the launcher and icon for the current user (freedesktop.org paths).
set -eu
here="$(cd "$(dirname "$0")/.." && pwd)"
apps="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
icons="${XDG_DATA_HOME:-$HOME/.local/share}/icons/hicolor/scalable/apps"
mkdir -p "$apps" "$icons"
install -m 644 "$here/resources/mapviewer.svg" "$icons/mapviewer.svg"
exe="$(command -v mapviewer || echo "$here/.venv/bin/mapviewer")"
sed "s|^Exec=mapviewer|Exec=$exe|" "$here/resources/mapviewer.desktop" > "$apps/mapviewer.desktop"
chmod 644 "$apps/mapviewer.desktop"
command -v update-desktop-database >/dev/null && update-desktop-database "$apps" || true
echo "installed $apps/mapviewer.desktop and $icons/mapviewer.svg"
