"""duban 督办助手: a group-chat bot that turns an office's annual work plan into a living task list."""

__version__ = "0.1.0"
