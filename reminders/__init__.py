"""Reminders (DESIGN §5): policy (pure), scheduler (APScheduler), outbox (delivery).

Not built yet: the reminders issue adds them here.
"""
