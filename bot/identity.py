"""Who sent a platform message: sender id → plan person (DESIGN §7 "People map to platform ids").

Config ``[people."严众能"] wecom = "…" dingtalk = "…"`` maps ids to names. An unmapped sender
is None: they can ask questions but change nothing.
"""

from __future__ import annotations

from bot.config import Config


def person_for(config: Config, platform: str, sender_id: str, nick: str | None = None,
               known: list[str] | None = None) -> str | None:
    """The person ``sender_id`` is on ``platform`` ("wecom", "dingtalk"), or None.

    With ``dingtalk.trust_sender_nick`` a DingTalk ``senderNick`` equal to a known person's
    name (``known``: the plan's people) counts, for offices that have not mapped staff ids."""
    if sender_id:
        for name, ids in config.people.items():
            if getattr(ids, platform, "") == sender_id:
                return name
    if platform == "dingtalk" and config.dingtalk.trust_sender_nick and nick and known and nick in known:
        return nick
    return None


def platform_id(config: Config, platform: str, person: str) -> str:
    """The id of ``person`` on ``platform`` from config, or "" when unmapped."""
    ids = config.people.get(person)
    return getattr(ids, platform, "") if ids else ""
