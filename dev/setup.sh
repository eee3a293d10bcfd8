#!/usr/bin/env bash
# Set up everything account_dunning needs to run and test on this machine.
# Idempotent: a second run checks and returns within a few seconds.
#
#   ODOO_SRC   an Odoo 18.0 Community source tree (default /opt/odoo-18.0)
#   ODOO_VENV  the virtualenv Odoo is installed into (default ~/.venvs/odoo-18.0)
#   PYTHON     the interpreter for that virtualenv (default python3.11, else python3)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=dev/env.sh
source "$here/env.sh"

say() { printf '[setup] %s\n' "$*" >&2; }
die() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }

# --- 1. Debian packages -----------------------------------------------------
deb_packages=(postgresql wkhtmltopdf chromium poppler-utils libldap2-dev libsasl2-dev
              libpq-dev libxml2-dev libxslt1-dev libjpeg-dev fonts-dejavu-core)
missing=()
for p in "${deb_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    if [ "$(id -u)" = 0 ]; then
        say "installing Debian packages: ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -q >/dev/null
        apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
    else
        die "missing Debian packages: ${missing[*]}
  install them with: sudo apt-get install ${missing[*]}"
    fi
fi

# --- 2. PostgreSQL running, with a role for this user -----------------------
if ! pg_isready -q 2>/dev/null && ! pg_isready -q -h 127.0.0.1 2>/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v pg_lsclusters >/dev/null; then
        ver=$(pg_lsclusters -h | awk 'NR==1 {print $1}')
        say "starting PostgreSQL $ver"
        pg_ctlcluster --skip-systemctl-redirect "$ver" main start
    else
        die "PostgreSQL is not running: start it (e.g. sudo pg_ctlcluster 15 main start)"
    fi
fi
me=$(id -un)
if ! psql -d postgres -tAc "select 1" >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
        say "creating PostgreSQL role $me"
        su postgres -c "psql -q -c \"CREATE ROLE \\\"$me\\\" LOGIN SUPERUSER\"" >/dev/null
    else
        die "no PostgreSQL role for $me: sudo -u postgres createuser -s $me"
    fi
fi

# --- 3. The Odoo source tree -------------------------------------------------
if [ ! -f "$ODOO_SRC/odoo-bin" ] || [ ! -d "$ODOO_SRC/addons/account" ]; then
    say "no Odoo 18.0 source tree at $ODOO_SRC; trying Odoo's official archive"
    tmp=$(mktemp -d)
    if curl -fsSL --max-time 600 -o "$tmp/odoo.tgz" "$ODOO_ARCHIVE_URL" 2>/dev/null \
            && mkdir -p "$ODOO_SRC" && tar -xzf "$tmp/odoo.tgz" -C "$ODOO_SRC" --strip-components=1; then
        say "Odoo source unpacked into $ODOO_SRC"
    else
        rm -rf "$tmp"
        die "no Odoo 18.0 source tree found.
  Put an Odoo 18.0 Community source tree (the folder holding odoo-bin,
  odoo/ and addons/) at $ODOO_SRC, or point ODOO_SRC to one:
      git clone --depth 1 -b 18.0 https://github.com/odoo/odoo.git $ODOO_SRC
  or unpack $ODOO_ARCHIVE_URL there."
    fi
    rm -rf "$tmp"
fi
grep -q "version_info = (18, 0" "$ODOO_SRC/odoo/release.py" \
    || die "$ODOO_SRC is not Odoo 18.0 (see $ODOO_SRC/odoo/release.py)"

# --- 4. The virtualenv --------------------------------------------------------
stamp_src=$(cat "$ODOO_SRC/requirements.txt" "$here/requirements-dev.txt"; echo "$ODOO_SRC")
stamp=$(printf '%s' "$stamp_src" | sha1sum | cut -c1-16)
if [ ! -f "$ODOO_VENV/.account_dunning-$stamp" ]; then
    py=${PYTHON:-$(command -v python3.11 || command -v python3)}
    say "building the virtualenv $ODOO_VENV with $py (a few minutes the first time)"
    [ -x "$ODOO_VENV/bin/python" ] || "$py" -m venv "$ODOO_VENV"
    cons=$(mktemp)
    # cbor2 5.4.2 builds from source and needs setuptools < 80 to do so
    echo "setuptools<80" > "$cons"
    PIP_CONSTRAINT="$cons" "$ODOO_VENV/bin/pip" install -q --upgrade "pip<25" wheel "setuptools<80"
    PIP_CONSTRAINT="$cons" "$ODOO_VENV/bin/pip" install -q -r "$ODOO_SRC/requirements.txt"
    PIP_CONSTRAINT="$cons" "$ODOO_VENV/bin/pip" install -q -r "$here/requirements-dev.txt"
    PIP_CONSTRAINT="$cons" "$ODOO_VENV/bin/pip" install -q --no-deps -e "$ODOO_SRC"
    rm -f "$cons" "$ODOO_VENV"/.account_dunning-*
    touch "$ODOO_VENV/.account_dunning-$stamp"
fi

# --- 5. An addons folder holding this repository as account_dunning --------
mkdir -p "$ADDONS_LINK_DIR"
if [ "$(readlink "$ADDONS_LINK_DIR/account_dunning" 2>/dev/null)" != "$REPO" ]; then
    ln -sfn "$REPO" "$ADDONS_LINK_DIR/account_dunning"
fi
# --- 6. OCA's queue_job, for the bridge account_dunning_queue ---------------
# Its wheel requires odoo==18.0.*, which PyPI does not have (Odoo runs from its
# source tree): installed without its dependencies, then its own (requests).
if [ "$("$ODOO_VENV/bin/pip" show odoo-addon-queue_job 2>/dev/null | sed -n 's/^Version: //p')" \
        != "$QUEUE_JOB_VERSION" ]; then
    say "installing OCA's queue_job $QUEUE_JOB_VERSION from PyPI"
    "$ODOO_VENV/bin/pip" install -q --no-deps "odoo-addon-queue_job==$QUEUE_JOB_VERSION"
    "$ODOO_VENV/bin/pip" install -q requests
fi
# The wheel lands in site-packages/odoo/addons, which Odoo's odoo.addons
# namespace takes in; where it does not (another way of installing Odoo), a
# copy in a cache folder that dev/env.sh puts on the addons path.
if ! "$ODOO_VENV/bin/python" - <<'PY'
import os
import sys

import odoo.addons

found = any(os.path.isfile(os.path.join(p, "queue_job", "__manifest__.py")) for p in odoo.addons.__path__)
sys.exit(0 if found else 1)
PY
then
    if [ ! -f "$QUEUE_JOB_ADDONS_DIR/queue_job/__manifest__.py" ]; then
        purelib=$("$ODOO_VENV/bin/python" -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")
        say "Odoo does not see $purelib/odoo/addons: copying queue_job to $QUEUE_JOB_ADDONS_DIR"
        mkdir -p "$QUEUE_JOB_ADDONS_DIR"
        cp -r "$purelib/odoo/addons/queue_job" "$QUEUE_JOB_ADDONS_DIR/"
    fi
fi

say "ready: Odoo $ODOO_SRC, virtualenv $ODOO_VENV, queue_job $QUEUE_JOB_VERSION"
