#!/bin/sh
# Regenerates the messy ASR test spreadsheets with LibreOffice
# (Debian: apt-get install libreoffice-calc-nogui python3). See README.md.
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 asr-messy.py "$tmp/asr-messy.fods"
lo() { soffice -env:UserInstallation="file://$tmp/profile" --headless --norestore "$@" >/dev/null; }
lo --convert-to ods --outdir "$tmp" "$tmp/asr-messy.fods"
lo --convert-to xlsx:"Calc MS Excel 2007 XML" --outdir "$tmp" "$tmp/asr-messy.fods"
# CSV as Swedish Excel writes it: ';' (59), '"' (34), Windows-1252 (1), from row 1,
# cells as shown (so dates and grouped numbers come out formatted).
lo --convert-to 'csv:Text - txt - csv (StarCalc):59,34,1,1,,0,false,true,true' --outdir "$tmp" "$tmp/asr-messy.fods"
cp "$tmp/asr-messy.ods" asr-messy.ods
cp "$tmp/asr-messy.xlsx" asr-messy.xlsx
# Excel ends records with CRLF and keeps a bare LF inside quoted cells; LibreOffice writes LF.
python3 - "$tmp/asr-messy.csv" asr-messy-cp1252.csv <<'PY'
import sys
data, out, quoted = open(sys.argv[1], "rb").read(), bytearray(), False
for b in data:
    if b == 0x22:
        quoted = not quoted
    if b == 0x0A and not quoted:
        out += b"\r"
    out.append(b)
open(sys.argv[2], "wb").write(bytes(out))
PY
