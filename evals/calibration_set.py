"""The critic calibration set: labelled messages, good ones and ones with one known defect.

Files under `evals/calibration/` hold lists of cases. Each case borrows the lead, facts and
campaign of a golden lead, so "supported by a fact" means the same thing as in the eval.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from graphs.analysis import Hook
from graphs.drafts import Tone
from graphs.lead import Channel

CALIBRATION_DIR = Path(__file__).resolve().parent / "calibration"

Defect = Literal[
    "none",
    "hallucinated_hook",
    "wrong_name",
    "no_cta",
    "spammy",
    "too_long",
    "placeholder_leak",
    "over_channel_limit",
    "tone_mismatch",
    "copied_instructions",
]
DEFECTS: tuple[Defect, ...] = Defect.__args__  # type: ignore[attr-defined]


class CalibrationSetError(Exception):
    """A calibration file is malformed; the message names the file and the case."""


class CalibrationCase(BaseModel):
    """One labelled message."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    golden: str
    """Id of the golden lead whose lead, facts and campaign this message was written for."""
    channel: Channel | None = None
    """Overrides the golden lead's channel."""
    tone: Tone
    subject: str | None = None
    body: str
    hooks: list[Hook] = Field(default_factory=list)
    defect: Defect
    """"none" for a good message that a strict editor should pass."""
    note: str = ""
    """What exactly is wrong (or right), for a human reading the report."""

    @property
    def should_pass(self) -> bool:
        """Return the expected verdict."""
        return self.defect == "none"


def load_calibration(root: Path = CALIBRATION_DIR) -> list[CalibrationCase]:
    """Load every case; ids must be unique across files."""
    cases: list[CalibrationCase] = []
    for path in sorted(root.glob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        if not isinstance(raw, list):
            raise CalibrationSetError(f"{path.name}: expected a list of cases")
        for index, item in enumerate(raw):
            try:
                cases.append(CalibrationCase.model_validate(item))
            except ValidationError as exc:
                first = exc.errors()[0]
                where = ".".join(str(part) for part in first["loc"])
                raise CalibrationSetError(
                    f"{path.name}: case {index + 1}: {where}: {first['msg']}"
                ) from None
    ids = [case.id for case in cases]
    duplicates = sorted({case_id for case_id in ids if ids.count(case_id) > 1})
    if duplicates:
        raise CalibrationSetError(f"duplicate case ids: {', '.join(duplicates)}")
    return cases
