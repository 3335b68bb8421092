"""The local chat, the embedded default (DESIGN §7 ``local``): a page on the bot's own
server where you pick who you are from the plan's people and talk to the bot; pushes
land in the same feed. No credentials: so it is served only on a loopback address unless
config gives ``server.token`` (checked at start-up), which every request then carries.
"""

from __future__ import annotations

import itertools
import uuid
from collections import deque
from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from bot.access import foreign, has_token
from bot.messages import Message, Reply
from bot.platforms import BadRequest, Outgoing, SendResult, parse_json, read_body
from bot.render import ROOT, environment
from bot.runtime import Bot, UnknownPerson
from bot.security_headers import new_nonce, page_policy
from bot.text import clean_message
from bot.web_errors import error_response
from handlers.examples import plan_examples

MAX_TEXT = 2000  # characters; a chat message longer than this is a paste, not a question
MAX_BODY = 64 * 1024
FEED_SIZE = 500


class LocalPlatform:
    """The local chat: ``GET /`` (page), ``POST /api/messages`` {"as", "text"} → {"reply", "refs"},
    ``GET /api/feed?after=N`` (the feed), ``GET /api/people``."""

    name = "local"

    def __init__(self, bot: Bot):
        self.bot = bot
        self.feed: deque[dict] = deque(maxlen=FEED_SIZE)
        self._ids = itertools.count(1)  # feed entries
        self._pages = environment(ROOT / "bot" / "templates")

    def routes(self) -> list[Route]:
        return [
            Route("/", self._guard(self.page), methods=["GET"]),
            Route("/api/messages", self._guard(self.post_message), methods=["POST"]),
            Route("/api/feed", self._guard(self.get_feed), methods=["GET"]),
            Route("/api/people", self._guard(self.get_people), methods=["GET"]),
        ]

    def _guard(self, endpoint: Callable) -> Callable:
        token = self.bot.config.server.token

        async def guarded(request: Request) -> Response:
            if foreign(request, token):
                return error_response(request, 403, "cross_site")
            if not has_token(request, token):
                return error_response(request, 401, "token_required")
            try:
                return await endpoint(request)
            except BadRequest as error:
                return error_response(request, error.status, error.key, **error.values)

        return guarded

    def _post(self, who: str, text: str, from_bot: bool, refs: list[str] | None = None) -> dict:
        entry = {"id": next(self._ids), "at": self.bot.clock.now().isoformat(timespec="seconds"),
                 "who": who, "text": text, "from_bot": from_bot, "refs": refs or []}
        self.feed.append(entry)
        return entry

    async def decode(self, request: Request) -> Message:
        """{"as": name or "", "text": …} → Message. Raises BadRequest (400/413/422)."""
        data = parse_json(await read_body(request, MAX_BODY))
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            raise BadRequest(422, 'expected {"as": name, "text": message}', "expected_message")
        text, who = clean_message(data["text"]), data.get("as") or ""
        if not isinstance(who, str):
            raise BadRequest(422, '"as" must be a name', "as_not_name")
        who = clean_message(who)
        if not text.strip():
            raise BadRequest(422, "text is empty", "text_empty")
        if len(text) > MAX_TEXT:
            raise BadRequest(413, f"text over {MAX_TEXT} characters", "text_too_long", limit=MAX_TEXT,
                             length=len(text))
        try:
            person = self.bot.person(who)
        except UnknownPerson as error:
            raise BadRequest(422, str(error), "unknown_person", name=error.name, known=error.known) from None
        return Message("local", "local", who, person, text, f"local-{uuid.uuid4().hex[:16]}",
                       self.bot.clock.now())

    def encode_reply(self, message: Message, reply: Reply) -> Response:
        entry = self._post(self.bot.config.bot.name, reply.text, True, reply.refs)
        return JSONResponse({"reply": reply.text, "refs": reply.refs, "id": entry["id"]})

    async def send(self, push: Outgoing) -> SendResult:
        """A push lands in the feed, its mentions written as @名字; the local chat never refuses one."""
        text = push.text + ("\n" + " ".join(f"@{name}" for name in push.mentions) if push.mentions else "")
        self._post(self.bot.config.bot.name, text, True, push.refs)
        return SendResult(True)

    async def post_message(self, request: Request) -> Response:
        message = await self.decode(request)
        self._post(message.sender_id or "", message.text, False)
        reply = await self.bot.offload(self.bot.answer, message)
        return self.encode_reply(message, reply)

    async def get_feed(self, request: Request) -> Response:
        try:
            after = int(request.query_params.get("after", "0"))
        except ValueError:
            raise BadRequest(400, "after must be a whole number", "after_not_number") from None
        return JSONResponse([entry for entry in self.feed if entry["id"] > after])

    async def get_people(self, request: Request) -> Response:
        return JSONResponse(await self.bot.offload(self.bot.people))

    async def page(self, request: Request) -> Response:
        people = await self.bot.offload(self.bot.people)
        plan = await self.bot.offload(self.bot.store.active_plan, self.bot.clock.today())
        tasks = await self.bot.offload(self.bot.store.tasks, plan.id) if plan else []
        nonce = new_nonce()
        # The examples on the page are the imported plan's own: a person who owns tasks, a ref.
        examples = {"person": plan_examples(tasks)["person"], "ref": tasks[0].ref if tasks else ""}
        html = self._pages.get_template("local_chat.html").render(
            bot_name=self.bot.config.bot.name, people=people, plan=plan, examples=examples,
            today=self.bot.clock.today(), token=request.query_params.get("token", ""),
            archived=plan.archived_on(self.bot.clock.today()) if plan else False, csp_nonce=nonce)
        return HTMLResponse(html, headers={"content-security-policy": page_policy(nonce)})
