"""The texts of running duban (CLI results and errors, doctor lines, start-up warnings, outage logs):
macros of ``bot/templates/ops.j2`` and ``bot/templates/doctor.j2``; the code passes data."""

from __future__ import annotations

import functools

from bot.render import ROOT, environment


@functools.cache
def _module(template: str):
    return environment(ROOT / "bot" / "templates").get_template(template).module


def phrase(template: str, macro: str, /, **data: object) -> str:
    """The macro ``macro`` of ``bot/templates/<template>`` rendered with ``data``, stripped."""
    return str(getattr(_module(template), macro)(**data)).strip()


def word(macro: str, /, **data: object) -> str:
    """The macro ``macro`` of ``ops.j2`` rendered with ``data`` (keyword arguments), stripped."""
    return phrase("ops.j2", macro, **data)


class OpsError(ValueError):
    """A command of running duban (backup, restore, people --remove) that cannot be done; the message
    says why and what to do. Nothing was changed."""
