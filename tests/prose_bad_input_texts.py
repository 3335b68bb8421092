"""Texts that are no plan, made by the tests (no copyrighted text is needed to be a novel)."""

from __future__ import annotations


def novel(chapters: int, paragraphs: int) -> str:
    """A novel's shape: a title, then chapters "第N章" each over ``paragraphs`` paragraphs of story."""
    lines = ["雾中的小城", ""]
    for chapter in range(1, chapters + 1):
        lines += [f"第{chapter}章　第{chapter}个早晨", ""]
        lines += [f"她在第{chapter}个早晨推开窗，河面上的雾还没有散，远处传来第{n}声汽笛。" for n in range(paragraphs)]
    return "\n".join(lines)
