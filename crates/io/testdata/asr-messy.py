#!/usr/bin/env python3
"""Writes asr-messy.fods: the source of the messy ASR test spreadsheets.

A flat OpenDocument spreadsheet, typed by hand like a clerk would: a title row,
a blank row, the ASR appendix's hyphenated and line-broken headers, real dates,
text dates, numbers formatted with Swedish grouping, "ca 350", Ja/Nej in any
case, people with titles and two people in one cell, a duplicate row and a
row full of errors. LibreOffice turns it into .xlsx, .ods and a Windows-1252
CSV (see README.md).
"""
import sys
from xml.sax.saxutils import escape

HEAD = [
    "Kontor", "Avdel-\nning", "IT-syste-\nmets\nnamn", "Beskriv-\nning",
    "System-\nägare", "System-\nförvaltare", "Antal\nanvända-\nre",
    "Verksam-\nhetskri-\ntiskt\n(Ja/Nej)", "Driftsätt-\nningsda-\ntum",
    "Drift-\nform", "Status", "Osv…",
]

# Cell kinds: plain str = text; ("n", value, style) = number; ("d", iso) = date;
# ("b", bool) = boolean; None = empty.
EXCHANGE = ["KLK", "IT-enheten", "Microsoft Exchange 2003",
            "Kommunens gemensamma e-postsystem", "IT-chef, Jonas Knutson",
            "Jens Lind", ("n", 1900, None), "Ja", ("d", "2004-04-01"),
            "Egen drift", "I drift", None]
ROWS = [
    ["Applikationssamordningsregister (ASR) – utdrag 2024-03-01"],
    [],
    HEAD,
    EXCHANGE,
    ["SBK", "Bygglovsavdelningen", "ByggR", "Ärendehantering för bygglov",
     "Stadsbyggnadsdirektör, Eva Ek", "Anna Berg\nPer Ek", "ca 350", "JA",
     "1/5 2004", "SaaS", "i drift", "Avtal t.o.m. 2026"],
    ["SOC", "Äldreomsorg", "Treserva", "Verksamhetssystem för socialtjänsten",
     "Kim Holm <Kim.Holm@sodertalje.se>", "Lena Ås och Olle Berg", "1 250",
     "ja", "2004", "Extern drift", "Avvecklas", None],
    [],
    ["UBF", "Skola", "Skolplattform", "Lärplattform för grundskolan",
     "Förvaltningschef, Maria Lund", "ola.ny@sodertalje.se",
     ("n", 2300, "grp"), "nej", "2019-08", "Molntjänst", "Planerad", None],
    list(EXCHANGE),
    ["KSF", "HR", "Personec P", "Lönesystem", "HR-chef, Ulla Svensson",
     "Bo Ek / Siv Öst", ("n", 12.5, "dec"), "x", "2004-05-01 00:00",
     "Internt", "Upphandling", None],
    ["KLK", "Ekonomi", None, "Budgetverktyg", "Ekonomichef, Per Ström", "-",
     "cirka 40", "Kanske", "snart", "Hemma", "Okänd", "Fel i raden"],
    ["SBK", "Miljö", "Ecos2", "Miljö- och hälsoskyddsärenden",
     "Anna-Karin Lindqvist-Berg, miljöchef", "Sara Ek; Tom Al", "~120", "NEJ",
     ("d", "2011-10-03"), "extern drift", "Avvecklad", None],
    ["KSF", "Kommunikation", "Sitevision", "Webbpublicering", "Kommunikationschef, Li Ng",
     "Webbredaktör, Eva Nord", "350+", ("b", True), "ungefär 2015", "SaaS", "I drift", None],
    ["Osv…"],
]

STYLE = {None: "", "grp": ' table:style-name="ce_grp"', "dec": ' table:style-name="ce_dec"'}


def paras(text):
    return "".join(f"<text:p>{escape(p)}</text:p>" for p in text.split("\n"))


def cell(c, head=False):
    if c is None:
        return "<table:table-cell/>"
    if isinstance(c, str):
        style = ' table:style-name="ce_head"' if head else ""
        return f'<table:table-cell office:value-type="string"{style}>{paras(c)}</table:table-cell>'
    kind = c[0]
    if kind == "n":
        shown = f"{c[1]}"
        return (f'<table:table-cell office:value-type="float" office:value="{c[1]}"{STYLE[c[2]]}>'
                f"<text:p>{shown}</text:p></table:table-cell>")
    if kind == "d":
        return (f'<table:table-cell office:value-type="date" office:date-value="{c[1]}" '
                f'table:style-name="ce_date"><text:p>{c[1]}</text:p></table:table-cell>')
    if kind == "b":
        v = "true" if c[1] else "false"
        return (f'<table:table-cell office:value-type="boolean" office:boolean-value="{v}">'
                f"<text:p>{v.upper()}</text:p></table:table-cell>")
    raise ValueError(c)


def main():
    rows = []
    for i, r in enumerate(ROWS):
        rows.append("<table:table-row>" + "".join(cell(c, head=(i == 2)) for c in r)
                    + "</table:table-row>")
    doc = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
<office:automatic-styles>
<number:date-style style:name="N_ISO"><number:year number:style="long"/><number:text>-</number:text><number:month number:style="long"/><number:text>-</number:text><number:day number:style="long"/></number:date-style>
<number:number-style style:name="N_GRP" number:language="sv" number:country="SE"><number:number number:decimal-places="0" number:min-integer-digits="1" number:grouping="true"/></number:number-style>
<number:number-style style:name="N_DEC" number:language="sv" number:country="SE"><number:number number:decimal-places="1" number:min-integer-digits="1"/></number:number-style>
<style:style style:name="ce_date" style:family="table-cell" style:parent-style-name="Default" style:data-style-name="N_ISO"/>
<style:style style:name="ce_grp" style:family="table-cell" style:parent-style-name="Default" style:data-style-name="N_GRP"/>
<style:style style:name="ce_dec" style:family="table-cell" style:parent-style-name="Default" style:data-style-name="N_DEC"/>
<style:style style:name="ce_head" style:family="table-cell" style:parent-style-name="Default"><style:table-cell-properties fo:wrap-option="wrap"/><style:text-properties fo:font-weight="bold"/></style:style>
</office:automatic-styles>
<office:body><office:spreadsheet>
<table:table table:name="ASR">
<table:table-column table:number-columns-repeated="12"/>
{chr(10).join(rows)}
</table:table>
<table:table table:name="Instruktioner">
<table:table-column/>
<table:table-row><table:table-cell office:value-type="string"><text:p>Fyll i ett system per rad.</text:p></table:table-cell></table:table-row>
</table:table>
</office:spreadsheet></office:body></office:document>
"""
    out = sys.argv[1] if len(sys.argv) > 1 else "asr-messy.fods"
    with open(out, "w", encoding="utf-8") as f:
        f.write(doc)


if __name__ == "__main__":
    main()
