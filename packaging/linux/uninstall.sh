#!/bin/sh
# Remove Casework Vault's program files, launcher and icons from ~/.local. The vault itself (your
# cases) and the settings are kept: delete them in the app or by hand if you mean to.
set -eu

APP_ID=org.casevault.CaseworkVault
DATA=${XDG_DATA_HOME:-$HOME/.local/share}
BIN_DIR=${CASEVAULT_BIN_DIR:-$HOME/.local/bin}

rm -f "$DATA/applications/$APP_ID.desktop" "$DATA/metainfo/$APP_ID.metainfo.xml"
find "$DATA/icons/hicolor" -name "$APP_ID.*" -type f -exec rm -f {} + 2>/dev/null || true
if [ -L "$BIN_DIR/casevault" ]; then rm -f "$BIN_DIR/casevault"; fi
rm -rf "$DATA/casevault-app"
command -v update-desktop-database >/dev/null 2>&1 \
  && update-desktop-database -q "$DATA/applications" || true
echo "Casework Vault removed. Your vault was not touched."
