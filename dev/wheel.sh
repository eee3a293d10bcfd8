#!/usr/bin/env bash
# Build the addon as a wheel (odoo-addon-account_dunning, with whool, the
# OCA's build backend, from pyproject.toml) and check that it installs into a
# fresh virtualenv as odoo/addons/account_dunning. whool names the wheel after
# the addon's folder: the files git knows (committed or not, ignored ones
# left out) are copied into a folder named account_dunning first, whatever
# this clone's folder is called. The wheel is left in $WHEEL_DIR (dist/).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/env.sh"
out=${WHEEL_DIR:-$REPO/dist}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src/account_dunning" "$out"
# the bridge addons at the root are wheels of their own
(cd "$REPO" && git ls-files -z --cached --others --exclude-standard -- . ':(exclude,glob)account_dunning_*/**') |
    (cd "$REPO" && tar --null -T - -cf -) | tar -x -C "$work/src/account_dunning"
rm -f "$out"/odoo_addon_account_dunning*.whl
python3 -m venv "$work/build"
"$work/build/bin/pip" install -q --upgrade pip 2>/dev/null || true
"$work/build/bin/pip" wheel -q --no-deps -w "$out" "$work/src/account_dunning"
wheel=$(ls "$out"/odoo_addon_account_dunning-*.whl)
echo "[wheel] built $(basename "$wheel")"
for bridge in "$REPO"/account_dunning_*/; do
    name=$(basename "$bridge")
    # copied as the addon is: a bridge git does not track yet builds too
    (cd "$REPO" && git ls-files -z --cached --others --exclude-standard -- "$name") |
        (cd "$REPO" && tar --null -T - -cf -) | tar -x -C "$work/src"
    "$work/build/bin/pip" wheel -q --no-deps -w "$out" "$work/src/$name"
    echo "[wheel] built $(basename "$(ls "$out"/odoo_addon_"$name"-*.whl)")"
done
python3 -m venv "$work/check"
# without its dependencies (Odoo itself): the addon's files land in place
"$work/check/bin/pip" install -q --no-deps "$out"/odoo_addon_account_dunning*.whl
installed=$("$work/check/bin/python" -c \
    "import sysconfig; print(sysconfig.get_paths()['purelib'])")/odoo/addons/account_dunning
"$work/check/bin/python" - "$installed" <<'PY'
import ast, pathlib, sys
addon = pathlib.Path(sys.argv[1])
manifest = ast.literal_eval((addon / "__manifest__.py").read_text())
for path in manifest["data"] + manifest.get("demo", []):
    assert (addon / path).is_file(), f"{path} is missing from the wheel"
assert not list(addon.glob("account_dunning_*")), "a bridge inside the addon's wheel"
print(f"[wheel] installs as odoo/addons/account_dunning {manifest['version']}, "
      f"{len(manifest['data'])} data files present")
PY
for bridge in "$REPO"/account_dunning_*/; do
    name=$(basename "$bridge")
    [ -f "$installed/../$name/__manifest__.py" ] || { echo "[wheel] $name did not install"; exit 1; }
    echo "[wheel] installs as odoo/addons/$name"
done
