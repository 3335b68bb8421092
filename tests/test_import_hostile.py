"""A hostile tester's plan files: each answered in Chinese, naming the file, row or column, and
what to do; nothing imported that should not be (the import's edges past test_readers_bad_input)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.plan import PlanError, read_plan
from tests.plans import DATA

WEIHAI_TEXT = DATA / "plans" / "03_weihai_swj_2017_zwgk" / "source.txt"  # copy of ../shared/plans/03


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_text_plan_reads_as_its_utf8_copy(tmp_path, encoding):
    text = WEIHAI_TEXT.read_text(encoding="utf-8")
    data = text.encode(encoding)
    if encoding != "utf-16":  # Notepad writes the BOM; a -le/-be copy is given one explicitly
        data = ("\ufeff").encode(encoding) + data
    path = tmp_path / "plan.txt"
    path.write_bytes(data)
    draft, original = read_plan(path), read_plan(WEIHAI_TEXT)
    assert (draft.title, draft.year) == ("威海市商务局 2017 年政务公开重点工作实施方案", 2017)
    assert [t.ref for t in draft.tasks] == [t.ref for t in original.tasks] == ["1", "2", "3"]
    assert [t.content for t in draft.tasks] == [t.content for t in original.tasks]


def test_a_gb18030_text_plan_still_reads(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_bytes(WEIHAI_TEXT.read_text(encoding="utf-8").encode("gb18030"))
    assert [t.ref for t in read_plan(path).tasks] == ["1", "2", "3"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_is_not_a_regular_file(tmp_path):
    fifo = tmp_path / "plan.txt"
    os.mkfifo(fifo)
    with pytest.raises(PlanError) as error:
        read_plan(fifo)  # must not block reading it
    assert error.value.code == "not_regular"
    assert str(error.value).splitlines()[0] == (
        f"{fifo}：不是普通文件（是管道、设备、套接字或指向不存在文件的链接），无法作为计划读取；"
        "请指定 .docx、.xlsx 等计划文件本身。")


def test_a_device_and_a_dangling_link_are_not_regular_files(tmp_path):
    link = tmp_path / "plan.xlsx"
    link.symlink_to(tmp_path / "gone.xlsx")
    for path in (Path("/dev/null"), link):
        with pytest.raises(PlanError) as error:
            read_plan(path)
        assert error.value.code == "not_regular"
    with pytest.raises(PlanError) as error:
        read_plan(tmp_path / "missing.xlsx")
    assert error.value.code == "no_file"
    assert str(error.value).startswith(f"{tmp_path / 'missing.xlsx'}：文件不存在")
