#!/bin/sh
# Install Casework Vault for the current user: the bundle, a menu launcher, the icon and the
# AppStream metadata, all under ~/.local (XDG_DATA_HOME). No administrator rights, no network.
# Run it from the unpacked tarball. Re-running it upgrades in place; the vault is never touched.
set -eu

APP_ID=org.casevault.CaseworkVault
HERE=$(cd "$(dirname "$0")" && pwd)
DATA=${XDG_DATA_HOME:-$HOME/.local/share}
BIN_DIR=${CASEVAULT_BIN_DIR:-$HOME/.local/bin}
APP_DIR=$DATA/casevault-app  # beside, never inside, the default vault folder ($DATA/casevault)

if [ ! -x "$HERE/casevault-bundle/casevault" ]; then
  echo "install.sh: run me from the unpacked Casework Vault folder" >&2
  exit 1
fi

echo "Installing Casework Vault into $APP_DIR"
mkdir -p "$DATA/applications" "$DATA/metainfo" "$BIN_DIR"
rm -rf "$APP_DIR.new"
mkdir -p "$APP_DIR.new"
cp -R "$HERE/casevault-bundle" "$APP_DIR.new/"
cp "$HERE/uninstall.sh" "$APP_DIR.new/"
rm -rf "$APP_DIR"
mv "$APP_DIR.new" "$APP_DIR"

# The launcher points at the installed executable by its full path, so the menu entry works
# whether or not ~/.local/bin is on PATH.
sed "s|^Exec=casevault\$|Exec=\"$APP_DIR/casevault-bundle/casevault\"|" \
  "$HERE/$APP_ID.desktop" > "$DATA/applications/$APP_ID.desktop"
cp "$HERE/$APP_ID.metainfo.xml" "$DATA/metainfo/"
(cd "$HERE/icons" && find hicolor -type f) | while read -r icon; do
  mkdir -p "$DATA/icons/$(dirname "$icon")"
  cp "$HERE/icons/$icon" "$DATA/icons/$icon"
done
ln -sf "$APP_DIR/casevault-bundle/casevault" "$BIN_DIR/casevault"

# Let the menu and the icon theme notice now rather than at the next login (best effort).
command -v update-desktop-database >/dev/null 2>&1 \
  && update-desktop-database -q "$DATA/applications" || true
command -v gtk-update-icon-cache >/dev/null 2>&1 \
  && gtk-update-icon-cache -q -t "$DATA/icons/hicolor" || true

# Does the installed bundle start on this machine? Say now, not at the first click. (It carries
# the xcb libraries Qt needs; if the desktop lacks another one, the app names it at start.)
"$APP_DIR/casevault-bundle/casevault" --version >/dev/null
echo "Done. Open \"Casework Vault\" from your applications menu."
case ":$PATH:" in
  *":$BIN_DIR:"*) ;;
  *) echo "(The casevault command is in $BIN_DIR, which is not on your PATH.)" ;;
esac
