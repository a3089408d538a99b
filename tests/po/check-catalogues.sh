#!/bin/sh
# Every language in po/LINGUAS has a catalogue that msgfmt accepts with
# --check, with nothing untranslated and nothing fuzzy, and is marked as
# needing a native speaker's review.
# Usage: check-catalogues.sh PO_DIR
set -u
po_dir=$1
status=0
count=0
for lang in $(sed 's/#.*//' "$po_dir/LINGUAS"); do
  count=$((count + 1))
  po="$po_dir/$lang.po"
  if [ ! -f "$po" ]; then
    echo "$lang: po/LINGUAS lists it but $po does not exist"; status=1; continue
  fi
  stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$po" 2>&1) || { echo "$lang: $stats"; status=1; continue; }
  echo "$lang: $stats"
  case "$stats" in
    *untranslated*|*fuzzy*) echo "$lang: has untranslated or fuzzy messages"; status=1 ;;
  esac
  grep -q '^# NEEDS REVIEW' "$po" || { echo "$lang: the header does not say it needs a native speaker's review"; status=1; }
  grep -q '^"Plural-Forms: nplurals=' "$po" || { echo "$lang: no Plural-Forms header"; status=1; }
done
if [ "$count" -eq 0 ]; then
  echo "po/LINGUAS lists no language"; status=1
fi
exit $status
