"""Stage 2: the people, roles and units a message names, with the slips people make
(DESIGN §4 "find names with slips … never a stranger").

Made once per directory and plan (:class:`NameIndex`), then a scan per message:

1. **Written forms**, longest first: the full name; a role's or unit's name without a
   bracketed part or with some of its bracketed alternatives ("县（市、区）科协主席" →
   县科协主席, 县区科协主席); a unit without its level prefix (市农技协 → 农技协) or by its
   place alone (漳平市科协 → 漳平); a long name's tail (领导班子成员 → 班子成员); a person's
   given name when no one else has it (众能); any of these with an honorific (林丽同志,
   永禄主任); a surname with an honorific (严主任: several people → asked, not guessed).
   An alias that the task contents also use is a name only when every task using the word
   names that unit ("农技协"); otherwise it is a topic word ("科技馆" is in 3.1, 3.6 and 3.7,
   which 市科技馆 does not all cover).
2. **Sound slips**: a person's name with one character that sounds the same (严中能, 徐锦青),
   the surname written right; a role or unit of three or more characters with one such
   character after the first (科普布). Two people who fit → asked.
3. **Character slips**: a person's name with one other character whose pinyin is one letter
   away (严众龙 is not taken: 龙 is "long", 能 "neng").
4. **Abbreviations** of units and roles: the first and last characters kept and the rest a
   subsequence (闽西职院 for 闽西职业技术学院), when only one name fits.
5. **Pinyin** typed for a name (yanzhongneng, "yan zhong neng"), one letter off at most for
   long names.

A stranger (王建国) matches nobody: every rule keeps the surname or the first character.
"""

from __future__ import annotations

import re
from collections import defaultdict

from bot.text import canon
from handlers.understanding.name_forms import (
    _JOINS,
    _PERSON_CUE,
    _TWO_CJK,
    GAP,
    HONORIFICS,
    LEADING_TITLES,
    MAX_SCAN,
    SHORT_TITLES,
    Ambiguous,
    Found,
    Name,
    _bracket_forms,
    _distance,
    _is_subsequence,
    _unit_aliases,
)
from handlers.understanding.sounds import sound_string, spelled


class NameIndex:
    """Every way the plan's names may be written (built once per directory and plan).

    ``people``, ``roles``, ``units`` as stored; ``contents`` the task contents (canonical form:
    :func:`bot.text.canon`) with, for each, the units it names, used to tell an alias from a
    topic word; ``common(word)`` True for a word questions use otherwise (明天), never taken
    for a given name."""

    def __init__(self, people: tuple[str, ...], roles: tuple[str, ...], units: tuple[str, ...],
                 contents: tuple[tuple[str, tuple[str, ...]], ...], common=lambda word: False,
                 leads: frozenset[str] = frozenset()):
        self.people, self.roles, self.units = people, roles, units
        self.leads = leads
        self.kinds = {**{u: "unit" for u in units}, **{r: "role" for r in roles}, **{p: "person" for p in people}}
        texts = [(text, set(named)) for text, named in contents]
        corpus = "\n".join(text for text, _ in texts)
        keys: dict[str, set[tuple[str, str]]] = defaultdict(set)  # written form → {(name, how)}

        def add(form: str, name: str, how: str) -> None:
            if len(form) >= 2:
                keys[canon(form)].add((name, how))

        def alias_is_a_name(alias: str, unit: str) -> bool:
            # A word the contents use names the unit only if every task using it names the unit.
            word = canon(alias)
            if word not in corpus:
                return True
            return all(unit in named for text, named in texts if word in text)

        for kind, names in (("unit", units), ("role", roles)):
            for name in names:
                for form in _bracket_forms(name):
                    add(form, name, "exact")
                for alias in _unit_aliases(name):
                    if kind == "role" or alias_is_a_name(alias, name):
                        add(alias, name, "alias")
        given_count = defaultdict(int)
        for person in people:
            if len(person) >= 3:
                given_count[person[-2:]] += 1
        for person in people:
            add(person, person, "exact")
            for honorific in HONORIFICS:
                add(person + honorific, person, "exact")
                add(person[0] + honorific, person, "alias")
            for title in SHORT_TITLES:
                if canon(person[0] + title) not in corpus:
                    add(person[0] + title, person, "alias")
            given = person[-2:]
            if len(person) >= 3 and given_count[given] == 1 and given not in people:
                for honorific in HONORIFICS:
                    add(given + honorific, person, "alias")
                if canon(given) not in corpus and not common(given):
                    add(given, person, "alias")
        # A full name written out always beats an alias of someone else.
        self.keys = {form: tuple(sorted(found, key=lambda f: (f[1] != "exact", f[0])))
                     for form, found in keys.items()}
        by_first: dict[str, list[str]] = defaultdict(list)
        for form in self.keys:
            by_first[form[0]].append(form)
        self.by_first = {ch: sorted(forms, key=len, reverse=True) for ch, forms in by_first.items()}
        self.corpus = corpus
        self._sounds: dict | None = None
        people_by_first: dict[str, list[str]] = defaultdict(list)
        for person in people:
            people_by_first[person[0]].append(person)
        self.people_by_first = dict(people_by_first)
        forms_by_first: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for name in (*units, *roles):
            for form in _bracket_forms(name):
                if len(canon(form)) >= 4:
                    forms_by_first[canon(form)[0]].append((canon(form), name))
        self.forms_by_first = dict(forms_by_first)

    # -- the scan ---------------------------------------------------------------------------

    def find(self, text: str) -> Found:
        """Every name written out in ``text`` (rule 1), in order of appearance; ``text`` is the
        message in normal form with blanks only between ASCII words."""
        spans: list[tuple[int, int, Name | Ambiguous]] = []
        index = 0
        while index < len(text):
            for form in self.by_first.get(text[index], ()):
                if text.startswith(form, index) and not self._inside_a_word(text, index, index + len(form)):
                    item = self._written(form, index)
                    other = self._other_surname(text, index, item) or self._head_typed(text, index, item, spans)
                    if other is not None:
                        spans[-1:] = [s for s in spans[-1:] if s[1] <= other[0]]
                        spans.append(other)
                    else:
                        spans.append((index, index + len(form), item))
                    index += len(form)
                    break
            else:
                index += 1
        return self._found(text, spans)

    def _other_surname(self, text: str, index: int, item: Name | Ambiguous) -> tuple | None:
        """A given name found after another surname of the plan's people (吴晓红 when the plan
        has 钱晓红 and 吴晓燕): the whole name is a slip, never the given name's owner taken
        silently. (start, end, Name "slip" | Ambiguous) over the whole written name, or None."""
        if not isinstance(item, Name) or item.kind != "person" or item.how != "alias" or index == 0:
            return None
        given = item.name[-2:]
        before = text[index - 1]
        if len(item.name) < 3 or not text.startswith(given, index) or before not in self.people_by_first:
            return None
        written = before + given
        fits = [p for p in self.people if len(p) == len(written)
                and sum(a != b for a, b in zip(p, written, strict=True)) == 1]
        if item.name not in fits:
            return None
        if len(fits) > 1:
            return index - 1, index + len(given), Ambiguous(written, tuple(fits), "person")
        return index - 1, index + len(given), Name(item.name, "person", written, "slip", index - 1,
                                                   index + len(given))

    def _head_typed(self, text: str, index: int, item: Name | Ambiguous, spans: list) -> tuple | None:
        """A unit or role found by its tail with part of its head typed before it (安全监督大队 for
        安全生产监督大队): the head is part of the name, never left as topic words. (start, end,
        Name "abbreviation") over what was typed, or None."""
        if not isinstance(item, Name) or item.kind not in ("unit", "role") or item.how != "alias":
            return None
        full = canon(item.name)
        at = full.rfind(item.written)
        if at <= 0 or at + len(item.written) != len(full):
            return None
        head, floor = full[:at], max([0, *(end for _, end, _ in spans)])
        for length in range(min(len(head), index - floor), 1, -1):
            typed = text[index - length: index]
            if _is_subsequence(typed, head):
                return index - length, index + len(item.written), Name(
                    item.name, item.kind, typed + item.written, "abbreviation", index - length,
                    index + len(item.written))
        return None

    def _inside_a_word(self, text: str, start: int, end: int) -> bool:
        """A short person name that is part of a longer phrase of the plan's contents here
        ("周全" in "考虑周全"): a word, not the person, unless a person word follows."""
        form = text[start:end]
        if len(form) > 2 or _PERSON_CUE.match(text[end:]) or all(
                self.kinds.get(name) != "person" for name, _ in self.keys[form]):
            return False
        before, after = text[max(0, start - 2):start], text[end:end + 2]
        return bool(_TWO_CJK.fullmatch(before) and before + form in self.corpus) or bool(
            _TWO_CJK.fullmatch(after) and form + after in self.corpus)

    def find_slips(self, text: str) -> Found:
        """The names written with slips (rules 2–5) in ``text``: what is left of a message
        once names written out, refs, dates and question words are taken out (GAP marks)."""
        spans: list[tuple[int, int, Name | Ambiguous]] = []
        scanned = text[:MAX_SCAN]
        for match in re.finditer(r"[a-z]+(?: [a-z]+)*", scanned):
            spans += self._pinyin(match[0], match.start())
        for match in re.finditer(r"[^\sa-z\d" + GAP + r"]{2,}", scanned):
            spans += self._sound_slips(match[0], match.start())
        return self._found(text, spans)

    @staticmethod
    def _found(text: str, spans: list[tuple[int, int, Name | Ambiguous]]) -> Found:
        found = Found()
        rest = list(text)
        for start, end, item in sorted(spans, key=lambda s: s[0]):
            rest[start:end] = [GAP] * (end - start)
            if isinstance(item, Ambiguous):
                if item not in found.ambiguous:
                    found.ambiguous.append(item)
            elif all(n.name != item.name for n in found.names):
                found.names.append(Name(item.name, item.kind, item.written, item.how, start, end))
        found.rest = "".join(rest)
        return found

    def _written(self, form: str, start: int) -> Name | Ambiguous:
        matches = self.keys[form]
        exact = [name for name, how in matches if how == "exact"]
        if len(exact) == 1 or len({name for name, _ in matches}) == 1:
            name, how = (exact[0], "exact") if exact else matches[0]
            if how == "alias" and form[1:] in SHORT_TITLES:
                how = "title"  # 孙局: a guess from the surname alone, said
            return Name(name, self.kinds[name], form, how, start, start + len(form))
        names = tuple(dict.fromkeys(name for name, _ in matches))
        if form[1:] in LEADING_TITLES and all(self.kinds[n] == "person" for n in names):
            # 钟局长 with 钟建国 leading and 钟立 owning: the lead is meant, and the reply says so.
            leading = tuple(n for n in names if n in self.leads)
            if len(leading) == 1:
                return Name(leading[0], "person", form, "title", start, start + len(form))
            names = leading or names
        return Ambiguous(form, names, self.kinds[names[0]])

    @property
    def sounds(self) -> dict:
        """Sound strings of the names, made on first need (loads pypinyin)."""
        if self._sounds is None:
            by_sound: dict[str, list[str]] = defaultdict(list)
            for name in (*self.people, *self.roles, *self.units):
                for form in _bracket_forms(name) if self.kinds[name] != "person" else {name}:
                    by_sound[sound_string(canon(form))].append(name)
            spelled_names: dict[str, list[str]] = defaultdict(list)
            for person in self.people:
                spelled_names[spelled(person)].append(person)
            self._sounds = {"by_sound": by_sound, "spelled": spelled_names,
                            "lengths": sorted({len(s) for s in by_sound}, reverse=True)}
        return self._sounds

    def _sound_slips(self, piece: str, offset: int) -> list[tuple[int, int, Name | Ambiguous]]:
        spans: list[tuple[int, int, Name | Ambiguous]] = []
        if not re.search(r"[\u4e00-\u9fff]{2}", piece):
            return spans
        by_sound = self.sounds["by_sound"]
        sounds = sound_string(piece)
        lengths = self.sounds["lengths"]
        index = 0
        while index < len(piece):
            hit = None
            for length in lengths:
                window = piece[index: index + length]
                if len(window) < length or len(window) < 2:
                    continue
                names = [n for n in by_sound.get(sounds[index: index + length], ()) if self._fits(window, n, piece,
                                                                                                 index + length)]
                if not names:
                    names = self._near(window, piece, index + length)
                if names:
                    hit = (length, list(dict.fromkeys(names)))
                    break
            if hit is None:
                abbreviation = self._abbreviation(piece, index)
                if abbreviation:
                    length, name = abbreviation
                    spans.append((offset + index, offset + index + length,
                                  Name(name, self.kinds[name], piece[index: index + length], "abbreviation")))
                    index += length
                    continue
                index += 1
                continue
            length, names = hit
            window = piece[index: index + length]
            if len(names) == 1:
                form = canon(self._form_of(names[0], window))
                how = "sound" if sound_string(window) == sound_string(form) else "slip"
                spans.append((offset + index, offset + index + length,
                               Name(names[0], self.kinds[names[0]], window, how)))
            else:
                spans.append((offset + index, offset + index + length,
                               Ambiguous(window, tuple(names), self.kinds[names[0]])))
            index += length
        return spans

    def _form_of(self, name: str, window: str) -> str:
        forms = _bracket_forms(name) if self.kinds[name] != "person" else {name}
        return next((f for f in forms if len(canon(f)) == len(window)), name)

    def _fits(self, window: str, name: str, piece: str, after: int) -> bool:
        """A sound-alike window is a slip of ``name``: the first character written right, one
        character different at most, not a word of the plan, and a two-character person name
        only when a person word follows or it stands alone between the ends and conjunctions (林立 is
        a word; 林立同志, 林立负责什么 and 林立和周斌 are a name)."""
        form = canon(self._form_of(name, window))
        if window[0] != form[0] or sum(a != b for a, b in zip(window, form, strict=False)) > 1:
            return False
        if window in self.corpus:  # a word of the plan, not a slip
            return False
        if self.kinds[name] == "person" and len(window) < 3:
            # A person word follows, or the window stands alone: the question words around it
            # (负责什么, 的任务) were taken out before slips are looked for.
            start = after - len(window)
            return bool(_PERSON_CUE.match(piece[after:])) or (
                (start == 0 or piece[start - 1] in _JOINS) and (after == len(piece) or piece[after] in _JOINS))
        return self.kinds[name] == "person" or len(window) >= 3

    def _near(self, window: str, piece: str, after: int) -> list[str]:
        """People whose name differs from ``window`` in one character after the surname, that
        character's pinyin one letter away (钟晓朋 ↔ 钟晓鹏 is a sound slip; 严众龙 is nobody)."""
        if len(window) < 3:
            return []
        near = []
        for person in self.people_by_first.get(window[0], ()):
            if len(person) != len(window) or window in self.corpus:
                continue
            diff = [(a, b) for a, b in zip(window, person, strict=True) if a != b]
            if len(diff) == 1 and _distance(spelled(diff[0][0]), spelled(diff[0][1])) <= 1:
                near.append(person)
        return near

    def _abbreviation(self, piece: str, index: int) -> tuple[int, str] | None:
        """(length, name) of the unit or role ``piece[index:]`` abbreviates: first and last
        characters kept, the rest in order (闽西职院), three characters at least, one name only."""
        best: dict[int, set[str]] = defaultdict(set)
        for form, name in self.forms_by_first.get(piece[index], ()):
            position = 0
            for length in range(1, min(len(form), len(piece) - index) + 1):
                ch = piece[index + length - 1]
                position = form.find(ch, position) + 1
                if position == 0:
                    break
                if length >= 3 and position == len(form) and length < len(form):
                    best[length].add(name)
        for length in sorted(best, reverse=True):
            if len(best[length]) == 1 and piece[index: index + length] not in self.corpus:
                return length, next(iter(best[length]))
        return None

    def _pinyin(self, run: str, offset: int) -> list[tuple[int, int, Name | Ambiguous]]:
        """A person's name typed in pinyin inside a run of ASCII words: one word or up to four
        in a row ("yanzhongneng", "yan zhong neng"), one letter off at most for long names."""
        spans: list[tuple[int, int, Name | Ambiguous]] = []
        if len(run) < 5 or not self.people:
            return spans
        spelled_names = self.sounds["spelled"]
        words = [(m.start(), m.end()) for m in re.finditer(r"[a-z]+", run)][:40]
        index = 0
        while index < len(words):
            for count in range(min(4, len(words) - index), 0, -1):
                start, end = words[index][0], words[index + count - 1][1]
                letters = run[start:end].replace(" ", "")
                if len(letters) < 5:
                    continue
                names = spelled_names.get(letters, [])
                if not names and len(letters) >= 8:
                    names = [p for s, ps in spelled_names.items() for p in ps
                             if abs(len(s) - len(letters)) <= 1 and _distance(s, letters) <= 1]
                if names:
                    item: Name | Ambiguous = (Name(names[0], "person", run[start:end], "pinyin") if len(names) == 1
                                              else Ambiguous(run[start:end], tuple(names), "person"))
                    spans.append((offset + start, offset + end, item))
                    index += count
                    break
            else:
                index += 1
        return spans
