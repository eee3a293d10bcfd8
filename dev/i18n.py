"""Merge a freshly exported account_dunning.pot into i18n/fr.po.

Keeps every existing translation, adds new terms untranslated, drops
obsolete ones, and lists what is left to translate (exit 1 if anything).
Run through `make i18n`, which exports the .pot first.
"""

import sys

import polib


def main(pot_path, po_path):
    pot = polib.pofile(pot_path)
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
