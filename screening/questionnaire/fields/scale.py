"""A validated instrument (PHQ-9, GAD-7, PCL-5): one score per item, never reworded."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from ..codes import LOINC, scale_coding
from ..instruments import Instrument
from ..types import Document, Kind, Problem
from ..words import N_, Verbatim, say
from .base import AnswerRow, AnswerType, Form, Inputs, NestedItem, is_int

SCALE_TEXT = re.compile(r"[0-9]")


class Scale(AnswerType):
    """A list of item scores; inputs are named `<name>-<item index>`."""

    kind = Kind.SCALE
    fhir_type = "group"

    def example(self) -> Any:
        return [0] * len(self.instrument.items)

    @property
    def instrument(self) -> Instrument:
        instrument = self.question.instrument
        assert instrument is not None, "a scale question names its instrument"
        return instrument

    def read(self, name: str, form: Form, inputs: Inputs) -> Any:
        items = [form.get(f"{name}-{i}") for i in range(len(self.instrument.items))]
        for i, item in enumerate(items):
            inputs.raw[f"{name}-{i}"] = item or ""
        return [
            int(item) if item and SCALE_TEXT.fullmatch(item) else (item or None) for item in items
        ]

    def show(self, name: str, value: Any, inputs: Inputs) -> None:
        for i in range(len(self.instrument.items)):
            item = value[i] if isinstance(value, list) and i < len(value) else None
            inputs.raw[f"{name}-{i}"] = "" if item is None else str(item)

    def accepted(self) -> str:
        inst = self.instrument
        return f"an answer to each of the {len(inst.items)} questions, from 0 to {inst.max_item}"

    def plain(self) -> str:
        return N_("choose one answer for each question")

    def check(self, path: str, value: Any, doc: Document, as_of: date) -> list[Problem]:
        inst = self.instrument
        if not isinstance(value, list) or len(value) != len(inst.items):
            return self.invalid(path)
        top = inst.max_item
        if all(type(item) is int and 0 <= item <= top for item in value):
            return []  # the usual answer, every item scored: nothing more to look at
        if all(item is None for item in value) and not self.question.is_required(doc):
            return []  # an optional scale left unanswered (the PCL-5 in Spanish)
        problems = []
        for index, item in enumerate(value):
            if item is None:
                message = f"is required: choose 0 to {inst.max_item}"
                problems.append(Problem(f"{path}[{index}]", message, N_("choose one answer")))
            elif not is_int(item) or not 0 <= item <= inst.max_item:
                message = f"must be a whole number from 0 to {inst.max_item}"
                problems.append(Problem(f"{path}[{index}]", message, N_("choose one answer")))
        return problems

    def words(self, value: Any) -> str:
        maximum = self.instrument.max_total
        return say(N_("Total %(total)s of %(maximum)s"), total=sum(value), maximum=maximum)

    def item_label(self, index: int, field: str | None) -> str:
        return say(N_("%(scale)s question %(number)s"), scale=self.question.short, number=index + 1)

    def item_text(self, index: int, field: str | None, value: Any) -> str:
        if is_int(value):
            return f"{value} ({self.instrument.option_label(value)})"
        return self.question.choice_label(value)

    def summary_rows(self, value: Any, *, items: bool, brief: bool) -> list[AnswerRow]:
        q, inst = self.question, self.instrument
        if not items or value is None:
            return [AnswerRow(say(N_("%(scale)s total"), scale=q.short), self.text(value), q.path)]
        rows = [
            self._item_row(i, text, v)
            for i, (text, v) in enumerate(zip(inst.items, value, strict=True))
        ]
        return [
            *rows,
            AnswerRow(say(N_("%(scale)s total"), scale=inst.name), self.text(value), q.path),
        ]

    def _item_row(self, index: int, text: str, value: Any) -> AnswerRow:
        """One item and its answer; a scale without a confirmed translation stays verbatim."""
        inst, path = self.instrument, f"{self.question.path}[{index}]"
        if not inst.translated:
            label = f"{inst.name} {index + 1}. {text}"
            return AnswerRow(Verbatim(label), Verbatim(inst.option_label(value)), path)
        label = say(
            N_("%(scale)s %(number)s. %(item)s"), scale=inst.name, number=index + 1, item=text
        )
        return AnswerRow(label, inst.option_label(value), path)

    def fhir_details(self, required: bool, nested: NestedItem) -> dict[str, Any]:
        path, inst = self.question.path, self.instrument
        items: list[dict[str, Any]] = []
        if inst.stem:
            items.append({"linkId": f"{path}.stem", "type": "display", "text": inst.stem})
        for index, text in enumerate(inst.items):
            item: dict[str, Any] = {"linkId": f"{path}[{index}]", "text": text}
            if inst.loinc_items:
                item["code"] = [{"system": LOINC, "code": inst.loinc_items[index]}]
            item["type"] = "choice"
            item["required"] = required
            item["answerOption"] = [
                {"valueCoding": scale_coding(inst, score)} for score, _ in inst.options
            ]
            items.append(item)
        items.append({"linkId": f"{path}.credit", "type": "display", "text": inst.credit})
        return {"item": items}

    def fhir_answered(self, value: Any, link_id: str) -> list[dict[str, Any]]:
        inst = self.instrument
        items = [
            {
                "linkId": f"{link_id}[{index}]",
                "text": text,
                "answer": [{"valueCoding": scale_coding(inst, score)}],
            }
            for index, (text, score) in enumerate(zip(inst.items, value, strict=True))
        ]
        return [{"linkId": link_id, "text": self.question.label, "item": items}]
