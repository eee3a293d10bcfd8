#!/usr/bin/env bash
# Screenshots of the running demo (see dev/screenshot.py). Playwright lives in
# a virtualenv of its own: its greenlet conflicts with the one Odoo pins.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tools=${TOOLS_VENV:-$HOME/.venvs/account_dunning-tools}
if [ ! -x "$tools/bin/python" ] || ! "$tools/bin/python" -c "import playwright" 2>/dev/null; then
    python3 -m venv "$tools"
    "$tools/bin/pip" install -q "playwright==1.65.2"
fi
exec "$tools/bin/python" "$here/screenshot.py" "$@"
