"""Headers every response of the bot's own server carries (issue 13: the pages sent no CSP or
X-Frame-Options, so another site could frame the local chat or /status).

A pure ASGI middleware (no per-request task, unlike Starlette's BaseHTTPMiddleware: it must
not cost the callback path): ``X-Frame-Options: DENY``, ``X-Content-Type-Options: nosniff``,
``Referrer-Policy: no-referrer`` and a Content-Security-Policy on every response, unless the
endpoint set its own. A page with a script sets its own with a per-response nonce
(:func:`page_policy`): scripts run only with that nonce, nothing is loaded from elsewhere,
and no other site may frame it.
"""

from __future__ import annotations

import secrets

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# What a response without its own policy may do: inline styles and forms posting back here (JSON,
# plain text, a page without scripts such as /status and /admin); no script, no framing.
DEFAULT_POLICY = ("default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
                  "frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
_FIXED = [(b"x-frame-options", b"DENY"), (b"x-content-type-options", b"nosniff"),
          (b"referrer-policy", b"no-referrer")]


def new_nonce() -> str:
    """A fresh script nonce for one response."""
    return secrets.token_urlsafe(16)


def page_policy(nonce: str) -> str:
    """The policy of a page whose scripts carry ``nonce``: they may call back to this server
    (the local chat's fetches) and nothing else; styles inline; no framing."""
    return (f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'unsafe-inline'; img-src 'self' data:; "
            "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")


class SecurityHeaders:
    """Wraps ``app``; adds the headers above to every HTTP response start."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                headers += [(name, value) for name, value in _FIXED if name not in names]
                if b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", DEFAULT_POLICY.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)
