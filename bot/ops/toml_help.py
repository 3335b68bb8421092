"""A TOML syntax error explained (issue 15): the line, what is wrong, the likely fix. The parser says
"Invalid value (at line 2, column 11)"; an office admin typing in a Chinese input method has usually
written “中文引号”, a full-width ＝ or ，, a key twice, or a value without quotes.
"""

from __future__ import annotations

import re
from pathlib import Path

from bot.ops.words import phrase

_AT = re.compile(r"\(at line (\d+), column (\d+)\)")
_CURLY = "“”‘’＂＇"
_FULL_WIDTH = {"，": ",", "：": ":", "【": "[", "】": "]", "［": "[", "］": "]", "｛": "{", "｝": "}", "；": ";"}


def _slip(message: str, line: str) -> tuple[str, dict]:
    """(the ``toml_*`` macro of ops.j2, its data) for the error ``message`` on source ``line``."""
    if any(q in line for q in _CURLY):
        return "toml_curly_quotes", {"found": "".join(dict.fromkeys(q for q in line if q in _CURLY))}
    if "＝" in line:
        return "toml_full_width_equals", {}
    if message.startswith("Cannot overwrite a value"):
        return "toml_duplicate_key", {"key": line.split("=", 1)[0].strip()}
    if message.startswith("Cannot declare"):
        return "toml_duplicate_table", {"table": line.strip()}
    full = [c for c in dict.fromkeys(line) if c in _FULL_WIDTH]
    if full:
        return "toml_full_width", {"found": full, "fixed": [_FULL_WIDTH[c] for c in full]}
    if message.startswith(("Illegal character '\\n'", "Unterminated string")):
        return "toml_unclosed_string", {}
    value = line.split("=", 1)[1].split("#", 1)[0].strip() if "=" in line else ""
    core = value.strip("[] ,")
    if core and not core.startswith(('"', "'", "{", "true", "false")) and not re.fullmatch(r"[-+]?[\d_.eE]+", core):
        key = line.split("=", 1)[0].strip()
        items = ", ".join(f'"{item.strip()}"' for item in core.split(","))
        return "toml_unquoted", {"value": core, "fixed": f"{key} = [{items}]" if value.startswith("[") else
                                 f'{key} = "{core}"'}
    if message.startswith("Expected '=' after a key") and ":" in line:
        return "toml_colon", {"key": line.split(":", 1)[0].strip()}
    if message.startswith("Unclosed array") or message.startswith("Unclosed inline table"):
        return "toml_unclosed_array", {}
    return "toml_other", {}


def explain(path: Path, text: str, error: Exception) -> str:
    """The Chinese explanation of the TOML ``error`` raised reading ``text`` (the file at ``path``):
    where (line and column), the line itself, what is wrong and what to write; the parser's own
    English message last."""
    message = str(error)
    found = _AT.search(message)
    number = int(found.group(1)) if found else None
    column = int(found.group(2)) if found else None
    lines = text.splitlines()
    if number is None and message.endswith("(at end of document)"):
        # The slip is on the last line written (a file whose last line has no newline ends there).
        number = next((i + 1 for i in range(len(lines) - 1, -1, -1) if lines[i].strip()), None)
    line = lines[number - 1] if number and number <= len(lines) else ""
    macro, data = _slip(message, line)
    reason = phrase("ops.j2", macro, **data)
    return phrase("ops.j2", "toml_error", path=path, number=number, column=column, line=line, reason=reason,
                  message=message)
