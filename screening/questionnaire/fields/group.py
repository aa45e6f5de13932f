"""A repeatable group of sub-questions; what a row is called comes from the definition."""

from __future__ import annotations

import re
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ..types import Document, Kind, Problem, Question, key_name
from ..words import N_, say
from .base import AnswerRow, AnswerType, Form, Inputs, NestedItem

if TYPE_CHECKING:
    from ..validate import AnswerCheck

MAX_ROWS_READ = 50  # more than any limit, so the checks can say so; never unbounded
ROW_INDEX = re.compile(r"\d{1,3}")


class Group(AnswerType):
    """A list of rows, each an object of the sub-questions' answers.

    Inputs are named `<name>-<row index>-<field key>`; the definition gives the row's name
    (`row_label`, e.g. "Medicine"), how a row is said in one sentence (`row_text`) and the
    word its Add and Remove buttons send (`row_action`).
    """

    kind = Kind.GROUP
    fhir_type = "group"

    def example(self) -> Any:
        return []

    @property
    def empty(self) -> Any:
        return []

    @property
    def add_action(self) -> str:
        """The value the Add button sends: "add-<row_action>", e.g. "add-trial"."""
        return f"add-{self.question.row_action}"

    def remove_action(self, index: int) -> str:
        """The value the Remove button of row `index` (0-based) sends, e.g. "remove-trial-0"."""
        return f"remove-{self.question.row_action}-{index}"

    def removed_row(self, action: str) -> int | None:
        """The row a Remove button asks to remove, or None when `action` is not one."""
        prefix = f"remove-{self.question.row_action}-"
        number = action.removeprefix(prefix)
        # Row numbers as the inputs' names have them: at most three digits.
        return int(number) if action.startswith(prefix) and ROW_INDEX.fullmatch(number) else None

    def row_name(self, index: int) -> str:
        """A row's heading, e.g. "Medicine 2" (index 0-based; translated where a page shows it)."""
        return say(N_("%(row)s %(number)s"), row=self.question.row_label, number=index + 1)

    def read(self, name: str, form: Form, inputs: Inputs) -> Any:
        pattern = re.compile(rf"{re.escape(name)}-({ROW_INDEX.pattern})-(\w+)")
        indexes = sorted({int(m.group(1)) for key in form if (m := pattern.fullmatch(key))})
        fields = self.question.fields
        rows = [
            {sub.key: form.get(f"{name}-{index}-{sub.key}") for sub in fields}
            for index in indexes[:MAX_ROWS_READ]
        ]
        for index, row in enumerate(rows):
            for sub in fields:
                inputs.raw[f"{name}-{index}-{sub.key}"] = row.get(sub.key) or ""
        inputs.rows[name] = len(rows)
        return [
            {sub.key: sub.answer_type.coerce(row.get(sub.key)) for sub in fields} for row in rows
        ]

    def show(self, name: str, value: Any, inputs: Inputs) -> None:
        rows = value or []
        for index, row in enumerate(rows):
            for sub in self.question.fields:
                raw = sub.answer_type.to_raw(row.get(sub.key))
                inputs.raw[f"{name}-{index}-{sub.key}"] = raw
        inputs.rows[name] = len(rows)

    def accepted(self) -> str:
        return f"a list of up to {self.question.max_rows} entries"

    def plain(self) -> str:
        limit = self.question.max_rows
        return say(N_("enter a list of up to %(limit)s entries"), limit=limit)

    @cached_property
    def _field_checks(self) -> tuple[tuple[str, AnswerCheck], ...]:
        """Each field's key and its checks: the rows' answers are checked like any answer."""
        from ..validate import answer_check

        return tuple((field.key, answer_check(field)) for field in self.question.fields)

    @cached_property
    def _field_keys(self) -> frozenset[str]:
        return frozenset(field.key for field in self.question.fields)

    def check(self, path: str, value: Any, doc: Document, as_of: date) -> list[Problem]:
        q = self.question
        if not isinstance(value, list):
            return self.invalid(path)
        if len(value) > q.max_rows:
            plain = say(N_("must have at most %(limit)s entries"), limit=q.max_rows)
            return [Problem(path, f"must have at most {q.max_rows} entries", plain)]
        problems: list[Problem] = []
        names, field_checks = self._field_keys, self._field_checks
        for index, row in enumerate(value):
            row_path = f"{path}[{index}]"
            if not isinstance(row, dict):
                problems.append(Problem(row_path, "must be an object"))
                continue
            if not row.keys() <= names:
                problems.extend(
                    Problem(f"{row_path}.{key_name(key)}", "is not a known key")
                    for key in row
                    if key not in names
                )
            for key, check in field_checks:
                problems += check(f"{row_path}.{key}", row.get(key), doc, as_of)
        return problems

    def words(self, value: Any) -> str:
        return say(N_("%(count)s listed"), count=len(value)) if value else N_("None listed")

    def _field(self, key: str | None) -> Question | None:
        return next((f for f in self.question.fields if f.key == key), None)

    def item_label(self, index: int, field: str | None) -> str:
        sub = self._field(field)
        if sub is None:
            return self.row_name(index)
        return say(N_("%(row)s: %(field)s"), row=self.row_name(index), field=sub.short)

    def item_text(self, index: int, field: str | None, value: Any) -> str:
        sub = self._field(field)
        if sub is not None:
            return sub.answer_type.text(value)
        return self.row_text(value) if isinstance(value, dict) else str(value)

    def row_text(self, row: dict[str, Any]) -> str:
        """One row in a sentence, as the definition says it."""
        assert self.question.row_text is not None, "a group question says how a row reads"
        return self.question.row_text(row)

    def summary_rows(self, value: Any, *, items: bool, brief: bool) -> list[AnswerRow]:
        q = self.question
        if not value:
            return [AnswerRow(q.label, N_("None listed"), q.path)]
        return [
            AnswerRow(self.row_name(i), self.row_text(row), f"{q.path}[{i}]")
            for i, row in enumerate(value)
        ]

    def fhir_details(self, required: bool, nested: NestedItem) -> dict[str, Any]:
        q = self.question
        return {"repeats": True, "item": [nested(f, f"{q.path}.{f.path}") for f in q.fields]}

    def fhir_answered(self, value: Any, link_id: str) -> list[dict[str, Any]]:
        return [
            {
                "linkId": link_id,
                "text": self.question.label,
                "item": [
                    item
                    for field in self.question.fields
                    for item in field.answer_type.fhir_response(
                        row.get(field.path), f"{link_id}.{field.path}"
                    )
                ],
            }
            for row in value
        ]
