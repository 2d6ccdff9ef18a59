"""Spreadsheet import in the browser: upload, a dry-run preview, then a confirm step that
imports exactly what was previewed (``services.registries.import_preview``).

The preview page carries the file itself (base64, in the confirm form) with an HMAC, under the
session's CSRF token, of its digest, its kind and the preview's fingerprint: the confirm step
imports those bytes only, for that session only, and only if they still do what the preview
showed. Nothing is kept on the server between the two steps.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from typing import Annotated, Any

from fastapi import Depends
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile

from kuznia.errors import Conflict, Forbidden, InvalidInput
from kuznia.services.kernel.actors import Role
from kuznia.services.registries.import_preview import (
    WORKBOOK,
    Preview,
    import_previewed,
    preview_import,
)
from kuznia.spreadsheets.problems import SpreadsheetInvalid
from kuznia.spreadsheets.tables import KINDS
from kuznia.web.fields import FIELD_LABELS, REGISTRY_TITLES
from kuznia.web.navigation import N_
from kuznia.web.page import Page, WebRoute, page
from kuznia.web.routing import PathIndexedRouter
from kuznia.web.security import check_csrf, csrf_token

router = PathIndexedRouter(route_class=WebRoute, include_in_schema=False)
CurrentPage = Annotated[Page, Depends(page)]
IMPORTERS = (Role.COORDINATOR,)
"""Who may import (``spreadsheet_import.authorize_import`` decides; the page only asks first)."""
MAX_UPLOAD = 20 * 1024 * 1024
KIND_LABELS = {WORKBOOK: N_("A whole workbook (every sheet)"), **REGISTRY_TITLES}


def _kinds(current: Page) -> list[tuple[str, str]]:
    return [(k, current._(KIND_LABELS.get(k, k))) for k in (WORKBOOK, *KINDS)]


def _render(current: Page, status: int = 200, **context: Any) -> HTMLResponse:
    defaults: dict[str, Any] = {"problems": [], "general": None, "preview": None, "kind": WORKBOOK,
                                "done": None, "notice": None}  # fmt: skip
    return current.render(
        "import.html",
        status_code=status,
        title=current._("Import a spreadsheet"),
        kinds=_kinds(current),
        labels={k: current._(v) for k, v in FIELD_LABELS.items()},
        titles={k: current._(v) for k, v in REGISTRY_TITLES.items()},
        **{**defaults, **context},
    )


@router.get("/registries/import", response_class=HTMLResponse)
def import_form(current: CurrentPage) -> HTMLResponse:
    current.require(*IMPORTERS)
    return _render(current)


def _signature(current: Page, kind: str, filename: str, data: bytes, print_: str) -> str:
    key = csrf_token(current.request).encode()
    message = f"{kind}\n{filename}\n{hashlib.sha256(data).hexdigest()}\n{print_}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _preview_page(
    current: Page, kind: str, filename: str, data: bytes, preview: Preview, status: int = 200,
    notice: str | None = None,
) -> HTMLResponse:  # fmt: skip
    confirm = {
        "kind": kind,
        "filename": filename,
        "payload": base64.b64encode(data).decode(),
        "fingerprint": preview.fingerprint,
        "signature": _signature(current, kind, filename, data, preview.fingerprint),
    }
    return _render(current, status, preview=preview, confirm=confirm, kind=kind, notice=notice)


def _refusal(current: Page, exc: Exception, kind: str) -> HTMLResponse:
    if isinstance(exc, SpreadsheetInvalid):
        summary = exc.message.split("\n", 1)[0].removesuffix(":")  # the table lists each one
        return _render(current, 422, problems=exc.row_problems, general=summary, kind=kind)
    message = exc.message if isinstance(exc, InvalidInput | Conflict) else str(exc)
    return _render(current, 422, general=message, kind=kind)


@router.post("/registries/import", response_class=HTMLResponse)
async def upload(current: CurrentPage) -> Response:
    actor = current.require(*IMPORTERS)
    form = await current.request.form(max_part_size=MAX_UPLOAD * 2)
    await check_csrf(current.request)
    kind = str(form.get("kind") or WORKBOOK)
    kind = kind if kind in (WORKBOOK, *KINDS) else WORKBOOK
    file = form.get("file")
    named = isinstance(file, UploadFile) and bool(file.filename)
    data = await file.read(MAX_UPLOAD + 1) if isinstance(file, UploadFile) and named else b""
    filename = file.filename[-200:] if isinstance(file, UploadFile) and file.filename else ""
    await form.close()  # the upload's temporary file: the bytes are all that is needed
    if not named:
        return _render(current, 422, general=current._("Choose a file to import."), kind=kind)
    if len(data) > MAX_UPLOAD:
        return _render(current, 422, general=current._("The file is larger than 20 MB."))
    try:
        with current.web.database.unit_of_work(actor) as uow:
            preview = preview_import(uow, kind, filename, data)
    except InvalidInput as exc:
        return _refusal(current, exc, kind)
    return _preview_page(current, kind, filename, data, preview)


def _confirmed_file(current: Page, form: Any) -> tuple[str, str, bytes, str]:
    """The kind, name, bytes and fingerprint the preview signed; Forbidden if altered."""
    kind, filename = str(form.get("kind", "")), str(form.get("filename", ""))
    print_ = str(form.get("fingerprint", ""))
    try:
        data = base64.b64decode(str(form.get("payload", "")), validate=True)
    except (binascii.Error, ValueError):
        data = b""
    expected = _signature(current, kind, filename, data, print_)
    if not data or not hmac.compare_digest(expected, str(form.get("signature", ""))):
        raise Forbidden(current._("This preview was altered or is from another session."))
    return kind, filename, data, print_


@router.post("/registries/import/confirm", response_class=HTMLResponse)
async def confirm(current: CurrentPage) -> Response:
    actor = current.require(*IMPORTERS)
    form = await current.request.form(max_part_size=MAX_UPLOAD * 2)
    await check_csrf(current.request)
    kind, filename, data, print_ = _confirmed_file(current, form)
    try:
        with current.web.database.unit_of_work(actor) as uow:
            done = import_previewed(uow, kind, filename, data, print_)
    except Conflict as exc:
        with current.web.database.unit_of_work(actor) as uow:
            fresh = preview_import(uow, kind, filename, data)
        return _preview_page(current, kind, filename, data, fresh, 409, notice=exc.message)
    except InvalidInput as exc:
        return _refusal(current, exc, kind)
    return _render(current, done=done, kind=kind)
