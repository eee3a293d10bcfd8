#!/usr/bin/env bash
# ruff (style, imports, bugbear), pylint-odoo's mandatory checks, and the
# XML and CSV files well formed. The pre-commit hook runs this same script.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/env.sh"
cd "$REPO" || exit 1
status=0
echo "[lint] ruff"
"$ODOO_VENV/bin/ruff" check . || status=1
"$ODOO_VENV/bin/ruff" format --check . || status=1
echo "[lint] pylint-odoo"
"$ODOO_VENV/bin/pylint" --rcfile="$REPO/.pylintrc-mandatory" --score=n \
    "$ADDONS_LINK_DIR/account_dunning" || status=1
echo "[lint] XML and CSV"
"$ODOO_VENV/bin/python" "$here/check_files.py" "$REPO" || status=1
[ $status -eq 0 ] && echo "[lint] clean" || echo "[lint] FAILED"
exit $status
