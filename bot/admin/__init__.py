"""The admin page, ``/admin`` (issue 15): import a plan file (upload → the import's own reading as a
preview → import), the people and their platform ids (config and bound in chat, with unbinding), the
pushes pending or failed (retry, cancel), and the 完成情况表 .xlsx and deadlines .ics to download.

Always behind ``server.token``, on loopback too: it changes the store, and the local chat's "anyone on
this machine" rule is for talking to the bot, not for running it. Without a token in config the page says
how to set one (403); a missing or wrong token gets 401 and changes nothing. Pages are server-rendered
from ``bot/templates/admin*.html`` with no script; every form carries the token in its URL.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from bot.access import has_token
from bot.admin import uploads
from bot.admin.uploads import UploadError
from bot.render import ROOT, environment

if TYPE_CHECKING:
    from bot.runtime import Bot

log = logging.getLogger("duban.admin")
MAX_FORM_BYTES = 64 * 1024  # the forms other than the upload: a name, an id
DOWNLOADS = {"xlsx": ("完成情况表.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
             "ics": ("deadlines.ics", "text/calendar; charset=utf-8")}


def admin_routes(bot: Bot) -> list[Route]:
    """The admin page's routes over ``bot`` (mounted by bot/web.py)."""
    return AdminPage(bot).routes()


class AdminPage:
    """The handlers of ``/admin``; ``folder`` (the store's) holds ``uploads/`` and imported ``plans/``."""

    def __init__(self, bot: Bot):
        self.bot = bot
        self.folder = Path(bot.config.bot.database).parent
        self.pages = environment(ROOT / "bot" / "templates")
        uploads.sweep(self.folder, bot.clock.now())  # what a previous run left unimported

    def routes(self) -> list[Route]:
        return [
            Route("/admin", self._guard(self.home), methods=["GET"]),
            Route("/admin/upload", self._guard(self.upload), methods=["POST"]),
            Route("/admin/import", self._guard(self.import_), methods=["POST"]),
            Route("/admin/unbind", self._guard(self.unbind), methods=["POST"]),
            Route("/admin/outbox", self._guard(self.outbox), methods=["POST"]),
            Route("/admin/export.{kind:str}", self._guard(self.download), methods=["GET"]),
        ]

    # -- the frame -----------------------------------------------------------------------

    def _render(self, template: str, request: Request | None, status: int = 200, **data: object) -> HTMLResponse:
        token = self.bot.config.server.token
        html = self.pages.get_template(template).render(bot_name=self.bot.config.bot.name, token=token, **data)
        return HTMLResponse(html, status_code=status)

    def _message(self, code: str, status: int, **data: object) -> HTMLResponse:
        return self._render("admin_result.html", None, status, code=code, data=data)

    def _guard(self, endpoint):
        async def guarded(request: Request) -> Response:
            token = self.bot.config.server.token
            if not token:
                return self._message("needs_token", 403)
            if not has_token(request, token):
                return self._message("wrong_token", 401)
            try:
                return await endpoint(request)
            except UploadError as error:
                return self._message(error.code, error.status, **error.data)

        return guarded

    async def _form(self, request: Request):
        uploads.check_size(request.headers.get("content-length"))
        if int(request.headers["content-length"]) > MAX_FORM_BYTES and request.url.path != "/admin/upload":
            raise UploadError("form_too_big", 413)
        try:
            return await request.form(max_files=1, max_fields=8)
        except Exception as error:  # a malformed or truncated form: Starlette's parser says why
            log.info("admin form refused: %s", error)
            raise UploadError("bad_form") from None

    # -- pages -----------------------------------------------------------------------------

    async def home(self, request: Request) -> Response:
        return self._render("admin.html", request, **await self.bot.offload(self._overview))

    def _overview(self) -> dict:
        from bot.plan.readers import KNOWN
        from bot.store import outbox
        from bot.store.completion import bindings

        store = self.bot.store
        plans = [(plan, len(store.tasks(plan.id))) for plan in reversed(store.plans())]
        bound = bindings(store)
        people = []
        for name in self.bot.people():
            ids = self.bot.config.people.get(name)
            row = {"name": name, "bound": [b for b in bound if b["person"] == name]}
            for platform in ("wecom", "dingtalk"):
                row[platform] = getattr(ids, platform, "") if ids else ""
            people.append(row)
        default = store.active_plan(self.bot.clock.today())
        return {"plans": plans, "people": people, "pushes": outbox.rows(store, ("pending", "failed")), "kinds": KNOWN,
                "today": self.bot.clock.today(), "default_id": default.id if default else None}

    async def upload(self, request: Request) -> Response:
        from bot.plan import PlanError, read_plan
        from bot.store.outlook import outlook

        form = await self._form(request)
        file = form.get("plan")
        if not isinstance(file, UploadFile):
            raise UploadError("no_file")
        name = uploads.check_name(file.filename)
        data = await file.read(uploads.MAX_UPLOAD_BYTES + 1)
        if len(data) > uploads.MAX_PLAN_BYTES:
            raise UploadError("too_big", 413, megabytes=round(len(data) / 1024 / 1024),
                              limit=uploads.MAX_PLAN_BYTES // 1024 // 1024)
        year = _year(form.get("year"))
        now = self.bot.clock.now()
        await self.bot.offload(uploads.sweep, self.folder, now)
        upload = await self.bot.offload(uploads.keep, self.folder, name, data, now)
        try:
            draft = await self.bot.offload(read_plan, upload.path, year, name)
        except PlanError as error:
            uploads.discard(upload)
            return self._message("not_a_plan", 400, name=name, error=str(error).replace(str(upload.path), name))
        # The same identity the import will use (bot.store.plans.same_plan), on the same name.
        ahead = await self.bot.offload(outlook, self.bot.store, draft)
        return self._render("admin_preview.html", request, draft=draft, upload=upload, name=name, year=year,
                            outlook=ahead)

    async def import_(self, request: Request) -> Response:
        from bot.plan import PlanError

        form = await self._form(request)
        upload = uploads.find(self.folder, str(form.get("upload", "")))
        year = _year(form.get("year"))
        name = upload.path.name  # as uploaded: the kept copy may be renamed (plan-2.csv), the plan is not
        kept = await self.bot.offload(uploads.archive, self.folder, upload)
        try:
            imported = await self.bot.offload(self.bot.import_plan, kept, year, "admin", name)
        except PlanError as error:
            kept.unlink(missing_ok=True)
            return self._message("not_a_plan", 400, name=kept.name, error=str(error))
        log.info("admin: imported %s from %s", imported.draft.title, kept)
        return self._message("imported", 200, report=imported.report)

    async def unbind(self, request: Request) -> Response:
        from bot.store.maintenance import remove_bindings
        from bot.text import clean_name

        form = await self._form(request)
        name = clean_name(str(form.get("name", "")))
        removed = await self.bot.offload(lambda: remove_bindings(self.bot.store, name, actor="admin",
                                                                 at=self.bot.clock.now().isoformat()))
        return self._message("unbound" if removed else "nothing_bound", 200 if removed else 404, name=name,
                             rows=removed)

    async def outbox(self, request: Request) -> Response:
        from bot.store.maintenance import cancel_push, retry_push

        form = await self._form(request)
        row_id, action = str(form.get("id", "")), form.get("action")
        # An id SQLite cannot hold (over 2^63) is no row: refused as a bad form, not a 500.
        if not row_id.isdigit() or len(row_id) > 18 or action not in ("retry", "cancel"):
            raise UploadError("bad_form")
        change = retry_push if action == "retry" else cancel_push
        done = await self.bot.offload(lambda: change(self.bot.store, int(row_id), actor="admin",
                                                     at=self.bot.clock.now().isoformat()))
        return self._message(f"push_{action}" if done else "push_gone", 200 if done else 404, id=row_id)

    async def download(self, request: Request) -> Response:
        from bot.export import ExportError, export

        kind = request.path_params["kind"]
        if kind not in DOWNLOADS:
            return self._message("no_such_download", 404, kind=kind)
        name, media = DOWNLOADS[kind]

        def make() -> bytes:
            with tempfile.TemporaryDirectory() as folder:
                return export(self.bot, Path(folder) / name).read_bytes()

        try:
            data = await self.bot.offload(make)
        except ExportError as error:
            return self._message("export_failed", 409, error=str(error))
        return Response(data, media_type=media, headers={
            "content-disposition": f"attachment; filename=\"duban.{kind}\"; filename*=UTF-8''{quote(name)}"})


def _year(value) -> int | None:
    """The form's optional plan year: None when empty; :class:`UploadError` for anything not a year."""
    text = str(value or "").strip()
    if not text:
        return None
    if not text.isdigit() or not 1900 < int(text) < 2200:
        raise UploadError("bad_year", year=text[:10])
    return int(text)
