"""Render a demo PDF module (a title and paragraphs of text) into a real PDF document, so the
training library's ``pdf`` modules can be downloaded and completed like any uploaded file."""

from __future__ import annotations

from fpdf import FPDF

FOOTER = "Acme Analytics - training material for support agents"


class _Document(FPDF):
    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Helvetica", size=8)
        self.set_text_color(110, 110, 110)
        self.cell(0, 10, f"{FOOTER}  |  page {self.page_no()}/{{nb}}", align="C")


def render_pdf(title: str, body: str) -> bytes:
    """A4, the title as a heading, each blank-line-separated paragraph of ``body`` wrapped.

    The core Helvetica font covers Latin-1 only, which is what the demo content uses.
    """
    document = _Document(format="A4")
    document.set_title(title)
    document.set_author("Acme Analytics")
    document.set_margins(20, 20, 20)
    document.add_page()
    document.set_font("Helvetica", style="B", size=16)
    document.multi_cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    document.ln(4)
    document.set_font("Helvetica", size=11)
    for paragraph in body.split("\n\n"):
        document.multi_cell(0, 5.5, paragraph.strip(), new_x="LMARGIN", new_y="NEXT")
        document.ln(3)
    return bytes(document.output())
