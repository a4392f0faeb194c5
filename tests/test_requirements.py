"""Production installs the app's requirements only; the test tools come with development's."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEST_TOOLS = {"pytest", "pytest-django", "pytest-playwright", "pytest-xdist", "playwright", "ruff"}


def pinned(name: str) -> set[str]:
    lines = (ROOT / name).read_text().splitlines()
    return {
        line.split("==")[0].lower() for line in lines if line and not line.startswith(("#", "-r"))
    }


def test_production_requirements_hold_no_test_tool():
    assert pinned("requirements.txt").isdisjoint(TEST_TOOLS)


def test_development_requirements_add_the_test_tools_to_production_ones():
    assert pinned("requirements-dev.txt") >= TEST_TOOLS
    assert "-r requirements.txt" in (ROOT / "requirements-dev.txt").read_text().splitlines()
