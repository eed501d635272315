"""Small PDFs built in tests with PDFium's own editing API (no files in the repo): ruled
tables with merged cells, text printed twice, text outside the page, rotated pages,
image-only pages."""

from __future__ import annotations

import ctypes
import io
from collections.abc import Sequence

import pypdfium2 as pdfium
import pypdfium2.raw as pr


class PdfBuilder:
    """Draw ASCII text (Helvetica) and lines on pages, in top-down coordinates."""

    def __init__(self) -> None:
        self.pdf = pdfium.PdfDocument.new()
        self.page: pdfium.PdfPage | None = None
        self.height = 0.0

    def new_page(self, width: float = 500, height: float = 400) -> PdfBuilder:
        self._finish()
        self.page = self.pdf.new_page(width, height)
        self.height = height
        return self

    def text(self, s: str, x: float, top: float, size: float = 10.0) -> PdfBuilder:
        assert self.page is not None
        obj = pr.FPDFPageObj_NewTextObj(self.pdf.raw, b"Helvetica", size)
        buf = ctypes.create_string_buffer((s + "\0").encode("utf-16-le"))
        pr.FPDFText_SetText(obj, ctypes.cast(buf, ctypes.POINTER(pr.FPDF_WCHAR)))
        pr.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, self.height - top - size * 0.8)
        pr.FPDFPage_InsertObject(self.page.raw, obj)
        return self

    def line(self, x0: float, top0: float, x1: float, top1: float, width: float = 0.6) -> PdfBuilder:
        assert self.page is not None
        obj = pr.FPDFPageObj_CreateNewPath(x0, self.height - top0)
        pr.FPDFPath_LineTo(obj, x1, self.height - top1)
        pr.FPDFPath_SetDrawMode(obj, pr.FPDF_FILLMODE_NONE, 1)
        pr.FPDFPageObj_SetStrokeColor(obj, 0, 0, 0, 255)
        pr.FPDFPageObj_SetStrokeWidth(obj, width)
        pr.FPDFPage_InsertObject(self.page.raw, obj)
        return self

    def grid(self, xs: Sequence[float], ys: Sequence[float], skip_v: Sequence[tuple[int, int]] = ()) -> PdfBuilder:
        """Rule a lattice; ``skip_v`` lists (row, column line) pairs left out (merged cells)."""
        for y in ys:
            self.line(xs[0], y, xs[-1], y)
        for j, x in enumerate(xs):
            for i in range(len(ys) - 1):
                if (i, j) not in skip_v:
                    self.line(x, ys[i], x, ys[i + 1])
        return self

    def rotate(self, degrees: int) -> PdfBuilder:
        assert self.page is not None
        self.page.set_rotation(degrees)
        return self

    def _finish(self) -> None:
        if self.page is not None:
            pr.FPDFPage_GenerateContent(self.page.raw)

    def bytes(self) -> bytes:
        self._finish()
        out = io.BytesIO()
        self.pdf.save(out)
        return out.getvalue()


def image_only_pdf() -> bytes:
    """A 'scanned' page: an image and no text."""
    from PIL import Image, ImageDraw

    im = Image.new("RGB", (400, 300), "white")
    ImageDraw.Draw(im).rectangle((50, 50, 350, 250), outline="black")
    out = io.BytesIO()
    im.save(out, format="PDF")
    return out.getvalue()


def encrypted_pdf() -> bytes:
    """A PDF whose standard security handler needs a user password (RC4, R2): the /U
    entry does not match the empty password, so no reader can open it without one."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> /P -44 >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 4 0 R /ID [<" % (len(objs) + 1)
        + b"ab" * 16
        + b"> <"
        + b"ab" * 16
        + b">] >>\nstartxref\n%d\n%%%%EOF\n" % xref
    )
    return out.getvalue()
