"""The clinic's thresholds (FLAGS.md "Definitions used below"): the one place of their defaults.

config.py passes only what the environment sets; everything else is the default here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Any

from ..questionnaire.catalogue import MEDICATIONS


def _catalogue_targets() -> Mapping[str, float]:
    targets = {k: m.ocd_target_mg for k, m in MEDICATIONS.items() if m.ocd_target_mg is not None}
    return MappingProxyType(targets)


def _thresholds_from(values: dict[str, Any]) -> Thresholds:
    return Thresholds(
        **{**values, "ocd_target_doses": MappingProxyType(values["ocd_target_doses"])}
    )


@dataclass(frozen=True)
class Thresholds:
    """The clinic's thresholds (FLAGS.md "Definitions used below"); defaults as in the spec."""

    adequate_sri_weeks: int = 8
    adequate_antidepressant_weeks: int = 6
    adequate_erp_sessions: int = 12
    pcl5_cutoff: int = 33
    bp_review: tuple[int, int] = (140, 90)
    bp_high: tuple[int, int] = (180, 110)
    served_regions: tuple[str, ...] = ()  # empty: every region is served
    ocd_target_doses: Mapping[str, float] = field(default_factory=_catalogue_targets, hash=False)

    def __reduce__(self) -> tuple[Any, ...]:
        # Picklable (evaluate --jsonl hands thresholds to worker processes): the read-only
        # mapping travels as a dict and is wrapped again on arrival.
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values["ocd_target_doses"] = dict(self.ocd_target_doses)
        return (_thresholds_from, (values,))

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Thresholds:
        """Thresholds from a Flask config (any mapping); a missing or None key keeps its default.

        OCD_TARGET_DOSES overrides the catalogue per medication; a None dose removes the target.
        """
        base = cls()

        def setting(key: str, default: Any) -> Any:
            value = config.get(key)
            return default if value is None else value

        targets = dict(base.ocd_target_doses)
        for key, dose in setting("OCD_TARGET_DOSES", {}).items():
            if dose is None:
                targets.pop(key, None)
            else:
                targets[key] = float(dose)
        regions = setting("SERVED_REGIONS", ())
        if isinstance(regions, str):
            regions = [part.strip() for part in regions.split(",") if part.strip()]
        review, high = setting("BP_REVIEW", base.bp_review), setting("BP_HIGH", base.bp_high)
        antidepressant_weeks = setting(
            "ADEQUATE_ANTIDEPRESSANT_WEEKS", base.adequate_antidepressant_weeks
        )
        return cls(
            adequate_sri_weeks=int(setting("ADEQUATE_SRI_WEEKS", base.adequate_sri_weeks)),
            adequate_antidepressant_weeks=int(antidepressant_weeks),
            adequate_erp_sessions=int(setting("ADEQUATE_ERP_SESSIONS", base.adequate_erp_sessions)),
            pcl5_cutoff=int(setting("PCL5_CUTOFF", base.pcl5_cutoff)),
            bp_review=(int(review[0]), int(review[1])),
            bp_high=(int(high[0]), int(high[1])),
            served_regions=tuple(regions),
            ocd_target_doses=MappingProxyType(targets),
        )
