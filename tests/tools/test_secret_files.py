"""The data directory's signing secret is made once, whole: processes starting together all
read the same full secret, and a secret cut short by hand is refused with what to do."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest
from pydantic import ValidationError

from agent.settings import Settings
from tools.secret_files import WeakSecret, stored_secret


def _read(path: str) -> bytes:
    return stored_secret(Path(path))


def test_processes_starting_together_read_one_whole_secret(tmp_path: Path) -> None:
    path = tmp_path / "data" / "console.secret"
    with multiprocessing.get_context("spawn").Pool(6) as pool:
        read = pool.map(_read, [str(path)] * 24)
    assert len(set(read)) == 1 and len(read[0]) == 64
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert [p.name for p in path.parent.iterdir()] == ["console.secret"]  # no drafts left


def test_a_secret_cut_short_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "console.secret"
    path.write_text("short\n")
    with pytest.raises(WeakSecret, match=r"console\.secret holds a secret of 5 characters"):
        stored_secret(path)


def test_a_short_console_secret_setting_is_refused() -> None:
    with pytest.raises(ValidationError, match="console_secret"):
        Settings(console_secret="too-short", _env_file=None)  # type: ignore[call-arg,arg-type]
