"""The tree stays navigable: README's Layout names every room of agent/, and no module is a heap."""

from __future__ import annotations

from tests.conftest import ROOT

MAX_MODULE_LINES = 400


def layout_section() -> str:
    readme = (ROOT / "README.md").read_text()
    return readme.split("## Layout\n", 1)[1].split("\n## ", 1)[0]


def test_the_readme_layout_names_every_room_and_module_of_agent() -> None:
    layout = layout_section()
    agent = ROOT / "agent"
    rooms = sorted(p.name for p in agent.iterdir() if (p / "__init__.py").exists())
    modules = sorted(p.name for p in agent.glob("*.py") if p.name != "__init__.py")
    assert rooms and modules
    missing = [f"{room}/" for room in rooms if f"`{room}/`" not in layout]
    missing += [module for module in modules if f"`{module}`" not in layout]
    assert not missing, f"README's Layout does not mention: {', '.join(missing)}"


def test_no_module_of_agent_is_over_the_size_limit() -> None:
    sizes = {
        str(path.relative_to(ROOT)): len(path.read_text().splitlines())
        for path in (ROOT / "agent").rglob("*.py")
    }
    too_long = {name: lines for name, lines in sizes.items() if lines > MAX_MODULE_LINES}
    assert not too_long, f"split by concern: {too_long}"
