"""Authoring in the browser: upload a filled budget workbook (XLSX) or YAML, see its
validation errors by cell, preview the generated disclosure, download it.

The upload is written to a private temporary file whose name and suffix the server
chooses (from the content, never from the request), read with ``render.load_budget`` and
removed. Drafts live in memory (a bounded LRU) under a random id.
"""

from __future__ import annotations

import importlib.util
import secrets
import tempfile
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

FORMATS: dict[str, tuple[str, str]] = {
    "pdf": ("application/pdf", "pdf"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "html": ("text/html; charset=utf-8", "html"),
    "md": ("text/markdown; charset=utf-8", "md"),
}
MAX_DRAFTS = 32


@dataclass(frozen=True, slots=True)
class Draft:
    name: str
    profile: str | None
    document: Any  # Disclosure


_drafts: OrderedDict[str, Draft] = OrderedDict()
_lock = threading.Lock()


def available_formats() -> list[str]:
    from yusuan.render import WRITERS

    return [f for f in FORMATS if f in WRITERS and importlib.util.find_spec(f"yusuan.render.{WRITERS[f]}")]


def _suffix(data: bytes) -> str:
    return ".xlsx" if data.startswith(b"PK\x03\x04") else ".yaml"


def load(data: bytes, name: str) -> tuple[Any | None, list[dict[str, str]]]:
    """The budget, or the list of its problems (``place``, ``message``)."""
    from yusuan.render.budget import InvalidBudget, check, load_budget

    with tempfile.TemporaryDirectory(prefix="yusuan-author-") as tmp:
        path = Path(tmp) / f"budget{_suffix(data)}"
        path.write_bytes(data)
        try:
            budget = load_budget(path)
        except InvalidBudget as e:
            return None, [{"place": err.place, "message": err.message} for err in e.errors]
        except ImportError:
            return None, [{"place": "（文件）", "message": "暂不支持读取 Excel 工作簿，请上传 YAML。"}]
        except Exception as e:  # a reader bug: one sentence, no traceback
            return None, [{"place": "（文件）", "message": f"无法读取（{type(e).__name__}）。"}]
    problems = check(budget)
    if problems:
        return None, [{"place": p.place, "message": p.message} for p in problems]
    return budget, []


def _remember(draft: Draft) -> str:
    key = secrets.token_urlsafe(12)
    with _lock:
        _drafts[key] = draft
        while len(_drafts) > MAX_DRAFTS:
            _drafts.popitem(last=False)
    return key


def _draft(key: str) -> Draft:
    with _lock:
        d = _drafts.get(key)
    if d is None:
        raise HTTPException(404, "草稿不存在或已过期，请重新上传预算工作簿。")
    return d


def install(app: FastAPI) -> None:
    from yusuan.web.routes import _attachment, page, read_upload, require_write
    from yusuan.web.views import document_view

    @app.get("/author", response_class=HTMLResponse, tags=["编制"])
    def author(request: Request) -> Response:
        """编制：上传填好的预算工作簿（XLSX）或 YAML。"""
        return page(request, "author.html", {"errors": [], "formats": available_formats()}, title="编制公开文件")

    @app.post("/author", tags=["编制"])
    async def author_upload(request: Request) -> Response:
        """上传预算工作簿：返回按单元格列出的问题，或生成草稿并跳转到预览。"""
        form = await request.form(max_files=1)
        require_write(request, form)
        up = form.get("file")
        chosen = str(form.get("profile") or "")
        profile = chosen if chosen in {"hebei", "shanghai"} else None
        if not isinstance(up, UploadFile) or not up.filename:
            raise HTTPException(422, "请选择预算工作簿。")
        data = await read_upload(request, up)
        budget, errors = load(data, up.filename)
        if budget is None:
            body = {"ok": False, "file": up.filename, "errors": errors, "formats": available_formats(),
                    "error": f"{up.filename}：预算填报内容有 {len(errors)} 处问题。"}
            return page(request, "author.html", body, 422, "编制公开文件")
        from yusuan.render import derive

        doc = derive(budget, profile)
        key = _remember(Draft(Path(up.filename).stem[:80] or "budget", profile, doc))
        return RedirectResponse(f"/author/{key}", status_code=303)

    @app.get("/author/{key}", response_class=HTMLResponse, tags=["编制"])
    def preview(request: Request, key: str) -> Response:
        """草稿预览：生成的各表与情况说明，以及下载链接。"""
        d = _draft(key)
        doc = d.document
        meta = {"department": doc.department, "year": doc.year, "kind": doc.kind, "scope": doc.scope,
                "title": doc.title}
        view = document_view(meta, doc, [])
        view.update({"key": key, "formats": available_formats(), "name": d.name, "profile": d.profile})
        return page(request, "preview.html", view, title="预览")

    @app.get("/author/{key}/download.{fmt}", tags=["编制"])
    def download(request: Request, key: str, fmt: str) -> Response:
        """下载生成的公开文件（pdf、docx、xlsx、html、md）。"""
        d = _draft(key)
        if fmt not in FORMATS or fmt not in available_formats():
            raise HTTPException(404, "不支持该格式。")
        from yusuan.render import render

        data = render(d.document, fmt, d.profile)
        media, ext = FORMATS[fmt]
        return Response(data, media_type=media, headers=_attachment(f"{d.name}.{ext}"))
