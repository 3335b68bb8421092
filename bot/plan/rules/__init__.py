"""The rules every plan interpreter applies to the text it finds (DESIGN §3, §3.1).

Both the table interpreter and the prose interpreter read the same things out of a plan's
words, so the rules live here, apart from any layout:

* :mod:`bot.plan.rules.labels` — what a column header or an annotation label means
  (``label_role("协同配合单位")`` → "cooperating"; ``split_labelled("牵头单位:X;配合单位:Y")``);
* :mod:`bot.plan.rules.names` — names in lists and who leads or helps
  (``split_names``, ``read_parties("X牵头，Y配合")``);
* :mod:`bot.plan.rules.deadlines` — deadline phrases (``parse_deadline``, ``find_schedule``);
* :mod:`bot.plan.rules.milestones` — dates named inside a task's text (``find_milestones``);
* :mod:`bot.plan.rules.numbering` — the numbers before sections and tasks (``read_label``,
  ``task_number``).

Nothing here knows a file format or a plan's layout; every function takes text and returns
values, and none raises on odd text.
"""
