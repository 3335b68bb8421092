"""钉钉 private pushes: a 1:1 message from the app's robot to one person (outbox platform
"dingtalk_otm", DESIGN §5 ``reminders.private``, §7).

The app access token (PROTOCOLS §3.3): ``POST {api_base}/v1.0/oauth2/accessToken``
``{"appKey", "appSecret"}`` → ``{"accessToken", "expireIn"}`` (seconds), cached until five
minutes before it expires. The message: ``POST {api_base}/v1.0/robot/oToMessages/batchSend``
with header ``x-acs-dingtalk-access-token`` and ``{"robotCode": app_key, "userIds": [staffId],
"msgKey": "sampleText", "msgParam": "{\\"content\\": …}"}`` (msgParam is a JSON string, like the
group send of PROTOCOLS §3.5).

Answers are read, never assumed: HTTP 200 ``{"processQueryKey", "invalidStaffIdList",
"flowControlledStaffIdList"}`` confirms the message only for a userId in neither list; a
flow-controlled one is retried a few minutes later, an invalid one (the staffId in config is
wrong) is a failure. HTTP 4xx/5xx answer ``{"code", "message"}``: 401/403 or a code about the
token gets a fresh token and one more try; 429, 5xx and no answer are retryable; any other
is a failure naming the code and message.
"""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import httpx

from bot.config import Config
from bot.identity import platform_id
from bot.platforms import Outgoing, SendResult, TokenCache

log = logging.getLogger("duban.dingtalk")

FLOW_CONTROL_HOLD = timedelta(minutes=5)  # "flowControlledStaffIdList": try again after this
SEND_PATH = "/v1.0/robot/oToMessages/batchSend"
TOKEN_PATH = "/v1.0/oauth2/accessToken"


class TokenRefused(Exception):
    """The access token could not be had; ``result`` says why and whether to try again."""

    def __init__(self, result: SendResult):
        super().__init__(result.detail)
        self.result = result


def _failure(response: httpx.Response, what: str) -> SendResult:
    """A non-200 answer as a SendResult: ``code`` is the HTTP status, ``detail`` DingTalk's
    ``code`` and ``message``; 429 and 5xx are retryable."""
    try:
        answer = response.json()
    except ValueError:
        answer = None
    if isinstance(answer, dict):
        detail = f"{answer.get('code', '')} {answer.get('message', '')}".strip()
    else:
        detail = response.text[:100]
    retryable = response.status_code == 429 or response.status_code >= 500
    return SendResult(False, response.status_code, f"{what}: {detail}"[:200], retryable=retryable)


def _token_refused(response: httpx.Response) -> bool:
    """DingTalk says the token is missing, wrong or expired: 401/403, or an error code about it
    ("InvalidAuthentication", "Forbidden.AccessDenied.AccessTokenInvalid", …)."""
    if response.status_code in (401, 403):
        return True
    try:
        code = str(response.json().get("code", ""))
    except (ValueError, AttributeError):
        return False
    return "token" in code.lower() or "authentication" in code.lower()


class OtoClient:
    """The DingTalk app's robot sending 1:1 messages (config ``dingtalk.app_key``,
    ``dingtalk.app_secret``, ``dingtalk.api_base``; the app_key is the robotCode). ``clock``
    dates the token's expiry and the flow-control hold; ``http`` is closed by its owner."""

    def __init__(self, config: Config, clock, http: httpx.AsyncClient | None = None):
        self.config = config
        self.clock = clock
        self.http = http or httpx.AsyncClient(timeout=10)
        self._token = TokenCache()

    def _url(self, path: str) -> str:
        return self.config.dingtalk.api_base.rstrip("/") + path

    async def token(self, fresh: bool = False) -> str:
        """The app access token, fetched when none is cached, it is within five minutes of
        expiring, or ``fresh``. Raises :class:`TokenRefused` (retryable for no answer, 429, 5xx)."""
        now = self.clock.instant()  # a token lives in real seconds, whatever --today says
        if not fresh and (cached := self._token.get(now)):
            return cached
        settings = self.config.dingtalk
        try:
            response = await self.http.post(self._url(TOKEN_PATH),
                                            json={"appKey": settings.app_key, "appSecret": settings.app_secret})
        except httpx.HTTPError as error:
            raise TokenRefused(SendResult(False, -1, f"accessToken: {type(error).__name__}: {error}"[:200],
                                          retryable=True)) from None
        if response.status_code != 200:
            raise TokenRefused(_failure(response, "accessToken"))
        try:
            answer = response.json()
            token, expire_in = str(answer["accessToken"]), int(answer.get("expireIn", 7200))
        except (ValueError, KeyError, TypeError, AttributeError):
            raise TokenRefused(SendResult(False, 200, f"accessToken: unexpected answer {response.text[:100]}")
                               ) from None
        return self._token.put(token, expire_in, now)

    async def send(self, push: Outgoing) -> SendResult:
        """A private reminder: ``push.text`` as a sampleText 1:1 message to the people in
        ``push.mentions`` (one, for a private push), by their ``[people]`` dingtalk staffId.
        ``ok`` only when DingTalk took it for every one of them; ``code`` is the HTTP status
        (-1 for no answer or nobody to send to)."""
        users = [staff for person in push.mentions if (staff := platform_id(self.config, "dingtalk", person))]
        if not users:
            names = ", ".join(push.mentions) or "?"
            return SendResult(False, -1, f"no DingTalk staffId in config [people] for {names}")
        body = {"robotCode": self.config.dingtalk.app_key, "userIds": users, "msgKey": "sampleText",
                "msgParam": json.dumps({"content": push.text}, ensure_ascii=False)}
        for attempt in range(2):
            try:
                token = await self.token(fresh=attempt > 0)
                response = await self.http.post(self._url(SEND_PATH), json=body,
                                                headers={"x-acs-dingtalk-access-token": token})
            except TokenRefused as refused:
                return refused.result
            except httpx.HTTPError as error:
                return SendResult(False, -1, f"{type(error).__name__}: {error}"[:200], retryable=True)
            if response.status_code == 200:
                return self._read(response, users)
            if not _token_refused(response):
                return _failure(response, "batchSend")
            self._token.clear()  # refused: the next try (and the next push) fetches a new one
        return _failure(response, "batchSend, access token refused twice")

    def _read(self, response: httpx.Response, users: list[str]) -> SendResult:
        """An HTTP 200 answer: confirmed unless a userId is in one of its lists."""
        try:
            answer = response.json()
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            return SendResult(False, 200, f"unexpected answer {response.text[:100]}")
        invalid = [u for u in answer.get("invalidStaffIdList") or [] if u in users]
        if invalid:
            log.error("dingtalk 1:1 message refused: invalid staffId %s (check [people] dingtalk in config)",
                      ", ".join(invalid))
            return SendResult(False, 200, f"invalidStaffIdList: {', '.join(invalid)}")
        held = [u for u in answer.get("flowControlledStaffIdList") or [] if u in users]
        if held:
            return SendResult(False, 200, f"flowControlledStaffIdList: {', '.join(held)}", True,
                              self.clock.now() + FLOW_CONTROL_HOLD)
        if not answer.get("processQueryKey"):
            return SendResult(False, 200, f"no processQueryKey in {response.text[:100]}")
        return SendResult(True)
