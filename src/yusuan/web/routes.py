"""Routes of the web app: pages (with JSON twins), the contract API, downloads.

Handlers stay thin: they read the store, build plain data (:mod:`yusuan.web.views`) and
render it either as a Jinja2 page or, with ``?format=json``, as JSON.
"""

from __future__ import annotations

import json
import time
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from yusuan.model.tables import table_name
from yusuan.web import security
from yusuan.web.app import HERE, Settings
from yusuan.web.views import SEVERITY_ZH, TABLE_ZH, document_view

PAGE_SIZE = 100
CHART_TEMPLATES = frozenset({"analysis.html", "department.html"})
STATIC_TYPES = {"app.css": "text/css; charset=utf-8", "app.js": "text/javascript; charset=utf-8",
                "plotly.min.js": "text/javascript; charset=utf-8"}


@lru_cache(maxsize=1)
def _env() -> Any:
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(HERE / "templates")),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(SEVERITY_ZH=SEVERITY_ZH, TABLE_ZH=TABLE_ZH, table_name=table_name, quote=quote)
    return env


def _settings(request: Request) -> Settings:
    s: Settings = request.app.state.settings
    return s


def _store(request: Request) -> Any:
    return request.app.state.store


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.query_params.get("format") == "json"


def page(request: Request, template: str, data: dict[str, Any], status: int = 200,
         title: str = "") -> Response:
    """The HTML page, or its JSON twin."""
    if wants_json(request):
        return JSONResponse(data, status_code=status)
    html = _env().get_template(template).render(
        data=data, title=title, request=request, csrf=request.state.csrf,
        can_write=_can_write(request), token_needed=_settings(request).token is not None,
        **data)
    resp = HTMLResponse(html, status_code=status)
    if template in CHART_TEMPLATES:  # Plotly adds <style> elements; scripts stay 'self' only
        resp.headers["Content-Security-Policy"] = security.SECURITY_HEADERS["Content-Security-Policy"].replace(
            "style-src 'self'", "style-src 'self' 'unsafe-inline'")
    return resp


def _can_write(request: Request) -> bool:
    host = request.client.host if request.client else None
    return security.may_write(_settings(request).token, host, request.headers, request.cookies)


def require_write(request: Request, form: Any = None) -> None:
    """401 unless the client may write; 403 for a cross-site request or a bad CSRF token."""
    if not _can_write(request):
        raise HTTPException(401, "需要授权：请提供令牌（Authorization: Bearer …）或从本机访问。")
    if security.cross_site(request.headers, request.headers.get("host")):
        raise HTTPException(403, "拒绝跨站请求。")
    if form is not None and not security.csrf_ok(request.cookies.get(security.CSRF_COOKIE),
                                                 str(form.get(security.CSRF_FIELD) or "")):
        raise HTTPException(403, "表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试。")


def _doc_or_404(request: Request, doc_id: str) -> dict[str, Any]:
    d: dict[str, Any] | None = _store(request).document(doc_id)
    if d is None:
        raise HTTPException(404, f"没有编号为 {doc_id} 的文件。")
    return d


async def read_upload(request: Request, up: UploadFile) -> bytes:
    """The upload's bytes, refusing more than the configured size."""
    limit = _settings(request).max_upload_bytes
    chunks, size = [], 0
    while True:
        chunk = await up.read(1024 * 1024)
        if not chunk:
            break
        size += len(chunk)
        if size > limit:
            raise HTTPException(413, f"{up.filename or '上传文件'}：文件超过 {limit // (1024 * 1024)} MB 的上限。")
        chunks.append(chunk)
    return b"".join(chunks)


def _upload_name(up: UploadFile) -> str:
    # Only the last path component, and only as a label: it never reaches the file system.
    name = (up.filename or "upload").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return name[:200] or "upload"


async def ingest_upload(request: Request, up: UploadFile) -> tuple[int, dict[str, Any]]:
    """Read, audit and store one upload: (status, the contract's JSON)."""
    from yusuan.web import originals

    name = _upload_name(up)
    data = await read_upload(request, up)
    if not data:
        return 422, {"ok": False, "error": f"{name}：文件是空的。", "file": name}
    t0 = time.perf_counter()
    outcome = await request.app.state.worker.run_timed(data, name)
    prepared = outcome.prepared
    store = _store(request)
    if not prepared.ok:
        return 422, {"ok": False, "error": f"{name}：{prepared.reason}", "file": name}

    def write() -> Any:  # DuckDB work off the event loop, so pages keep being served
        result = store.store(prepared)
        if result.status != "failed" and result.id is not None:
            originals.put(store, result.id, data, prepared.document.get("format"))
        return result

    result = await run_in_threadpool(write)
    if result.status == "failed" or result.id is None:
        return 422, {"ok": False, "error": f"{name}：{result.reason}", "file": name}
    doc = {k: result.document.get(k) for k in ("department", "year", "kind", "scope")}
    from yusuan.web import warm

    if result.status != "unchanged" and warm.enabled(request.app):  # render again what it changed
        dept = quote(str(doc["department"])) if doc["department"] else None
        warm.start_background(request.app, [f"/documents/{result.id}", f"/api/documents/{result.id}/audit",
                                             "/", "/documents", "/departments"]
                              + ([f"/departments/{dept}"] if dept else []))
    return 201, {"ok": True, "id": result.id, "file": name, "status": result.status,
                 "document": doc, "summary": result.summary,
                 "seconds": round(time.perf_counter() - t0, 3),
                 "audit_seconds": round(outcome.audit, 3), "queued_seconds": round(outcome.queued, 3)}


def install(app: FastAPI) -> None:
    """Register middleware, error handlers and every route on ``app``."""
    _middleware(app)
    _errors(app)
    _api(app)
    _pages(app)
    _downloads(app)
    _login(app)
    from yusuan.web import analysis, author

    analysis.install(app)
    author.install(app)


def _middleware(app: FastAPI) -> None:
    """Pure ASGI middleware (:mod:`yusuan.web.middleware`): the page cache inside the guard
    (size limit, CSRF cookie, security headers)."""
    from yusuan.web.middleware import Guard, PageCache

    settings: Settings = app.state.settings
    app.add_middleware(PageCache, token=settings.token, max_bytes=settings.cache_mb * 1024 * 1024,
                       store=app.state.store)
    app.add_middleware(Guard, max_body=settings.max_upload_bytes + 64 * 1024)


def _errors(app: FastAPI) -> None:
    from fastapi.exceptions import RequestValidationError
    from starlette.exceptions import HTTPException as StarletteHTTPException

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "请求有误。"
        if exc.status_code == 404 and message == "Not Found":
            message = "页面不存在。"
        if exc.status_code == 405:
            message = "不支持该请求方法。"
        if wants_json(request):
            return JSONResponse({"ok": False, "error": message}, status_code=exc.status_code)
        if not hasattr(request.state, "csrf"):
            request.state.csrf = security.new_csrf()
        return page(request, "error.html", {"ok": False, "error": message}, exc.status_code, "出错了")

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> Response:
        import logging

        logging.getLogger("yusuan.web").exception("internal error on %s", request.url.path)
        return JSONResponse({"ok": False, "error": "服务器内部错误，请稍后重试。"}, status_code=500,
                            headers=security.SECURITY_HEADERS)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        return JSONResponse({"ok": False, "error": "请求参数有误。"}, status_code=422)


def _api(app: FastAPI) -> None:
    @app.get("/healthz", tags=["系统"])
    def healthz() -> dict[str, bool]:
        """服务可用时返回 ``{"ok": true}``。"""
        return {"ok": True}

    @app.post("/api/documents", status_code=201, tags=["文件"])
    async def api_upload(request: Request) -> Response:
        """上传一个公开文件（multipart 字段 ``file``），读取、审核并存入数据库。"""
        require_write(request)
        form = await request.form(max_files=1)
        up = form.get("file")
        if not isinstance(up, UploadFile):
            raise HTTPException(422, "缺少上传文件（multipart 字段 file）。")
        status, body = await ingest_upload(request, up)
        return JSONResponse(body, status_code=status)

    @app.get("/api/documents", tags=["文件"])
    def api_documents(request: Request, department: str | None = None, year: int | None = None,
                      limit: int = 100) -> Response:
        """已存文件列表。"""
        docs = _store(request).documents(department=department, year=year, limit=max(1, min(limit, 1000)))
        return JSONResponse({"documents": [_brief(d) for d in docs]})

    @app.get("/api/documents/{doc_id}", tags=["文件"])
    def api_document(request: Request, doc_id: str) -> Response:
        """一个文件的元数据与审核摘要。"""
        d = _doc_or_404(request, doc_id)
        return JSONResponse({"ok": True, **_brief(d)})

    @app.get("/api/documents/{doc_id}/audit", tags=["文件"])
    def api_audit(request: Request, doc_id: str) -> Response:
        """与 ``yusuan audit --format json`` 相同的审核结果。"""
        _doc_or_404(request, doc_id)
        return JSONResponse(_store(request).audit_object(doc_id))

    @app.get("/api/documents/{doc_id}/facts.csv", tags=["文件"])
    def api_facts(request: Request, doc_id: str) -> Response:
        """与 ``yusuan parse --format csv`` 相同的数据。"""
        _doc_or_404(request, doc_id)
        return Response(_store(request).facts_csv(doc_id), media_type="text/csv; charset=utf-8")

    @app.get("/api/documents/{doc_id}/checksheet.xlsx", tags=["文件"])
    def api_checksheet(request: Request, doc_id: str) -> Response:
        """与 ``yusuan audit --format checksheet`` 相同的检查表（Excel）。"""
        _doc_or_404(request, doc_id)
        from yusuan.audit.checksheet import Entry, workbook

        store = _store(request)
        data = workbook([Entry(store.audit_object(doc_id), store.disclosure(doc_id))])
        return Response(data, headers=_attachment(f"{doc_id}-checksheet.xlsx"),
                        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

    @app.delete("/api/documents/{doc_id}", tags=["文件"])
    def api_delete(request: Request, doc_id: str) -> Response:
        """删除一个文件（需要授权）。"""
        require_write(request)
        _doc_or_404(request, doc_id)
        _store(request).delete(doc_id)
        from yusuan.web import originals

        originals.delete(_store(request), doc_id)
        return JSONResponse({"ok": True, "id": doc_id})


def _brief(d: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "source", "format", "department", "region", "year", "kind", "scope", "title",
            "pages", "n_tables", "n_facts", "audited")
    out = {k: d.get(k) for k in keys}
    out["summary"] = {"error": int(d.get("errors") or 0), "warning": int(d.get("warnings") or 0),
                      "info": int(d.get("infos") or 0)}
    return out


def _pages(app: FastAPI) -> None:
    @app.get("/", response_class=HTMLResponse, tags=["页面"])
    def home(request: Request) -> Response:
        """首页：上传文件并查看最近的文件。"""
        store = _store(request)
        docs = [_brief(d) for d in store.documents(limit=20)]
        data = {"documents": docs, "count": store.count("documents"),
                "limits": {"max_mb": _settings(request).max_upload_bytes // (1024 * 1024),
                           "max_pages": _settings(request).max_pages}}
        return page(request, "home.html", data, title="审核公开文件")

    @app.post("/upload", tags=["页面"])
    async def upload(request: Request) -> Response:
        """网页表单上传（可多个文件，需要 CSRF 令牌）。"""
        form = await request.form(max_files=_settings(request).max_files)
        require_write(request, form)
        files = [f for f in form.getlist("file") if isinstance(f, UploadFile) and f.filename]
        if not files:
            raise HTTPException(422, "请选择要上传的文件。")
        results = []
        for up in files:
            try:
                status, body = await ingest_upload(request, up)
            except HTTPException as e:
                status, body = e.status_code, {"ok": False, "error": str(e.detail), "file": _upload_name(up)}
            results.append({"status": status, **body})
        if len(results) == 1 and results[0]["ok"] and not wants_json(request):
            return RedirectResponse(f"/documents/{results[0]['id']}", status_code=303)
        status = 201 if any(r["ok"] for r in results) else 422
        return page(request, "uploaded.html", {"results": results}, status, "上传结果")

    @app.get("/documents", response_class=HTMLResponse, tags=["页面"])
    def documents(request: Request, department: str | None = None, year: int | None = None,
                  number: int = Query(1, alias="page")) -> Response:
        """文件列表，可按部门、年度筛选（每页 100 份）。"""
        number = max(1, number)
        found = _store(request).documents(department=department, year=year, limit=number * PAGE_SIZE + 1)
        docs = [_brief(d) for d in found[(number - 1) * PAGE_SIZE:number * PAGE_SIZE]]
        data = {"documents": docs, "department": department, "year": year, "page": number,
                "more": len(found) > number * PAGE_SIZE}
        return page(request, "documents.html", data, title="全部文件")

    @app.get("/documents/{doc_id}", response_class=HTMLResponse, tags=["页面"])
    def document(request: Request, doc_id: str, finding: int | None = None) -> Response:
        """一个文件：审核结果（按表和严重程度分组）、各表原样呈现并高亮相关单元格、情况说明。"""
        meta = _doc_or_404(request, doc_id)
        store = _store(request)
        from yusuan.web import modelcache, originals

        view = document_view(meta, modelcache.disclosure(store, doc_id), store.findings(doc_id), finding)

        view["has_pages"] = meta.get("format") == "pdf" and originals.available(store, doc_id, meta)
        if view["has_pages"] and view["selected"]:
            for p in view["selected"]["pages"]:
                p["size"] = originals.page_size(store, doc_id, meta, p["page"])
        return page(request, "document.html", view, title=meta.get("department") or meta.get("source") or doc_id)

    @app.post("/documents/{doc_id}/delete", tags=["页面"])
    async def delete(request: Request, doc_id: str) -> Response:
        """删除文件（表单，需要授权和 CSRF 令牌）。"""
        form = await request.form()
        require_write(request, form)
        _doc_or_404(request, doc_id)
        _store(request).delete(doc_id)
        from yusuan.web import originals

        originals.delete(_store(request), doc_id)
        return RedirectResponse("/", status_code=303)

    @app.get("/departments", response_class=HTMLResponse, tags=["页面"])
    def departments(request: Request) -> Response:
        """部门与年度一览。"""
        cols, rows = _store(request).query(
            "SELECT coalesce(department, '（未识别部门）') AS department, list(DISTINCT year ORDER BY year) "
            "AS years, count(*) AS documents, sum(errors) AS errors FROM documents GROUP BY 1 ORDER BY 1")
        deps = [dict(zip(cols, r, strict=True)) for r in rows]
        cols, rows = _store(request).query(
            "SELECT year, count(*) AS documents FROM documents GROUP BY 1 ORDER BY 1 DESC NULLS LAST")
        years = [dict(zip(cols, r, strict=True)) for r in rows]
        return page(request, "departments.html", {"departments": deps, "years": years}, title="部门与年度")

    @app.get("/departments/{name}", response_class=HTMLResponse, tags=["页面"])
    def department(request: Request, name: str) -> Response:
        """一个部门历年的文件与主要数字。"""
        store = _store(request)
        docs = [_brief(d) for d in store.documents(department=name)]
        if not docs:
            raise HTTPException(404, f"没有部门“{name}”的文件。")
        cols, rows = store.query("SELECT * FROM department_years WHERE department = ? ORDER BY year, kind, scope",
                                 [name])
        history = [{k: _num(v) for k, v in zip(cols, r, strict=True)} for r in rows]
        from yusuan.web.analysis import history_chart

        data = {"department": name, "documents": docs, "history": history,
                "chart": history_chart(history)}
        return page(request, "department.html", data, title=name)


def _login(app: FastAPI) -> None:
    @app.get("/login", response_class=HTMLResponse, include_in_schema=False)
    def login_form(request: Request) -> Response:
        return page(request, "login.html", {"error": None}, title="输入令牌")

    @app.post("/login", include_in_schema=False)
    async def login(request: Request) -> Response:
        form = await request.form()
        if not security.csrf_ok(request.cookies.get(security.CSRF_COOKIE), str(form.get(security.CSRF_FIELD) or "")):
            raise HTTPException(403, "表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试。")
        token = _settings(request).token
        given = str(form.get("token") or "")
        if token is None or not security.same_secret(given, token):
            return page(request, "login.html", {"error": "令牌不正确。"}, 401, "输入令牌")
        resp = RedirectResponse("/", status_code=303)
        resp.set_cookie(security.TOKEN_COOKIE, given, httponly=True, samesite="strict", path="/")
        return resp


def _num(v: Any) -> Any:
    from decimal import Decimal

    return float(v) if isinstance(v, Decimal) else v


def _downloads(app: FastAPI) -> None:
    @app.get("/documents/{doc_id}/report.json", tags=["下载"])
    def report_json(request: Request, doc_id: str) -> Response:
        """审核报告（JSON）。"""
        _doc_or_404(request, doc_id)
        body = json.dumps(_store(request).audit_object(doc_id), ensure_ascii=False, indent=2)
        return Response(body, media_type="application/json", headers=_attachment(f"{doc_id}-audit.json"))

    @app.get("/documents/{doc_id}/report.html", tags=["下载"])
    def report_html(request: Request, doc_id: str) -> Response:
        """审核报告（HTML，可离线打开）。"""
        _doc_or_404(request, doc_id)
        obj = _store(request).audit_object(doc_id)
        css = (HERE / "static" / "app.css").read_text(encoding="utf-8")
        html = _env().get_template("report.html").render(report=obj, css=css)
        return HTMLResponse(html, headers=_attachment(f"{doc_id}-audit.html"))

    @app.get("/documents/{doc_id}/facts.csv", tags=["下载"])
    def facts_csv(request: Request, doc_id: str) -> Response:
        """数据（CSV，与命令行相同）。"""
        _doc_or_404(request, doc_id)
        return Response(_store(request).facts_csv(doc_id), media_type="text/csv; charset=utf-8",
                        headers=_attachment(f"{doc_id}-facts.csv"))

    @app.get("/documents/{doc_id}/facts.xlsx", tags=["下载"])
    def facts_xlsx(request: Request, doc_id: str) -> Response:
        """数据（Excel；以 = + - @ 开头的文字已中和，防止公式注入）。"""
        _doc_or_404(request, doc_id)
        from yusuan.web.exports import facts_workbook

        data = facts_workbook(_store(request).facts(doc_id))
        return Response(data, headers=_attachment(f"{doc_id}-facts.xlsx"),
                        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

    @app.get("/documents/{doc_id}/pages/{number}.png", tags=["下载"])
    def page_image(request: Request, doc_id: str, number: int) -> Response:
        """PDF 某页的图像。"""
        meta = _doc_or_404(request, doc_id)
        from yusuan.web import originals

        png = originals.page_png(_store(request), doc_id, meta, number)
        if png is None:
            raise HTTPException(404, "没有该页的图像。")
        return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})

    @app.get("/documents/{doc_id}/pages/{number}.json", tags=["下载"])
    def page_size(request: Request, doc_id: str, number: int) -> Response:
        """PDF 某页的尺寸（磅）。"""
        meta = _doc_or_404(request, doc_id)
        from yusuan.web import originals

        size = originals.page_size(_store(request), doc_id, meta, number)
        if size is None:
            raise HTTPException(404, "没有该页。")
        return JSONResponse({"page": number, "width": size[0], "height": size[1]})

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        if name not in STATIC_TYPES:  # a fixed list: the name never reaches the file system
            raise HTTPException(404, "页面不存在。")
        return Response(_static_bytes(name), media_type=STATIC_TYPES[name],
                        headers={"Cache-Control": "public, max-age=3600"})

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def api_docs(request: Request) -> Response:
        spec = request.app.openapi()
        paths = [{"path": p, "method": m.upper(), "summary": (op.get("description") or op.get("summary") or ""),
                  "tags": op.get("tags", [])} for p, ops in spec["paths"].items() for m, op in ops.items()]
        return page(request, "apidocs.html", {"paths": paths}, title="接口文档")


@lru_cache(maxsize=8)
def _static_bytes(name: str) -> bytes:
    if name == "plotly.min.js":
        import plotly

        return (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_bytes()
    return (HERE / "static" / name).read_bytes()


def _attachment(filename: str) -> dict[str, str]:
    return {"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"}
