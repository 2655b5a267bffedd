"""The quarterly report as a PDF download (issue 12 item 10): the text layout of
``quarterly_text`` set in a monospaced font on A4, so the PDF reads exactly as the page and the
text export do.

fpdf2's core Courier covers Latin-1 only: the layout's few arrows and marks are spelled out, and
any other character outside Latin-1 (in a name) prints as "?" rather than failing the download.
"""

from __future__ import annotations

from fpdf import FPDF

_SPELLED = {
    "↑": "up",
    "↓": "down",
    "→": "same",
    "⚠": "(!)",
    "✓": "(ok)",
    "✗": "(x)",
    "—": "-",
    "–": "-",
    "…": "...",
    "“": '"',
    "”": '"',
    "‘": "'",
    "’": "'",
    "•": "*",
    "×": "x",
}


def latin1(text: str) -> str:
    for char, words in _SPELLED.items():
        text = text.replace(char, words)
    return text.encode("latin-1", errors="replace").decode("latin-1")


def render_quarterly_pdf(title: str, text: str) -> bytes:
    document = FPDF(format="A4")
    document.set_title(latin1(title))
    document.set_creator("Refairn")
    document.set_margins(15, 15, 15)
    document.set_auto_page_break(auto=True, margin=15)
    document.add_page()
    document.set_font("Courier", size=8.5)
    for line in text.splitlines():
        document.multi_cell(0, 4, latin1(line) or " ", new_x="LMARGIN", new_y="NEXT")
    return bytes(document.output())
