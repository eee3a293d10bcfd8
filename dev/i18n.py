"""Merge a freshly exported account_dunning.pot into i18n/fr.po.

Keeps every existing translation, adds new terms untranslated, drops
obsolete ones, and lists what is left to translate (exit 1 if anything).
Run through `make i18n`, which exports the .pot first.
"""

import re
import sys

import polib

# The bridge addons live in folders of the repository root, which is the
# addon's own folder too: Odoo's export of account_dunning also reads their
# code. Their terms belong to their own .po files.
BRIDGE_PATH = re.compile(r"^(code:)?addons/[^/]+/account_dunning_[^/]+/")


def drop_bridge_terms(pot):
    """Remove from ``pot`` what only the bridges' files say."""
    for entry in list(pot):
        kept = [(path, line) for path, line in entry.occurrences if not BRIDGE_PATH.match(path)]
        if entry.occurrences and not kept:
            pot.remove(entry)
        elif len(kept) < len(entry.occurrences):
            entry.occurrences = kept
            if not any(path.startswith("code:") for path, _line in kept):
                # no longer a term of the addon's code
                entry.comment = "\n".join(
                    line for line in entry.comment.split("\n") if line != "odoo-python"
                )


def main(pot_path, po_path):
    pot = polib.pofile(pot_path)
    drop_bridge_terms(pot)
    pot.save(pot_path)
    try:
        old = polib.pofile(po_path)
    except OSError:
        old = polib.POFile()
    known = {(e.msgctxt, e.msgid): e.msgstr for e in old if e.msgstr}
    known_by_id = {e.msgid: e.msgstr for e in old if e.msgstr}
    po = polib.POFile(wrapwidth=78)
    po.metadata = dict(pot.metadata)
    po.metadata.update({"Language": "fr", "Plural-Forms": "nplurals=2; plural=(n > 1);"})
    po.header = pot.header
    missing = []
    for entry in pot:
        entry.msgstr = known.get((entry.msgctxt, entry.msgid)) or known_by_id.get(entry.msgid, "")
        if not entry.msgstr:
            missing.append(entry.msgid)
        po.append(entry)
    po.save(po_path)
    for msgid in missing:
        sys.stdout.write(f"untranslated: {msgid!r}\n")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
