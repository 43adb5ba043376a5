"""What every page must pass in a real browser: axe-core (WCAG 2.1 A/AA) with no serious or
critical violation, and no sideways scroll at the viewport's width.

axe-core comes bundled in ``axe-playwright-python`` (no download at test time).
"""

from __future__ import annotations

from functools import cache

#: The rule tags we hold every page to (WCAG 2.0/2.1, levels A and AA).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: axe impacts that fail a page; "minor" and "moderate" are reported but do not fail.
FAILING_IMPACTS = {"serious", "critical"}


@cache
def _axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def axe_violations(page) -> list[dict]:
    """The serious or critical WCAG 2.1 A/AA violations axe-core finds on the page as it is."""
    results = _axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    return [v for v in results.response["violations"] if v.get("impact") in FAILING_IMPACTS]


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        targets = [", ".join(node["target"]) for node in violation["nodes"][:5]]
        lines.append(f"{violation['impact']}: {violation['id']} ({violation['help']}) at {targets}")
    return "\n".join(lines)


def assert_axe_clean(page) -> None:
    """Fail with a readable list when axe-core finds a serious or critical violation."""
    violations = axe_violations(page)
    assert not violations, f"{page.url}:\n{describe_violations(violations)}"


def no_horizontal_scroll(page) -> bool:
    """True when the page is no wider than the viewport (nothing to scroll sideways)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
