"""The task store (DESIGN §2: only this package speaks SQL)."""

from bot.store.core import Directory, Store, StoreError
from bot.store.plans import ImportResult, apply_plan

__all__ = ["Directory", "ImportResult", "Store", "StoreError", "apply_plan"]
