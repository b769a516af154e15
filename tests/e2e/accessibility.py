"""Accessibility checks for the browser tests: axe-core (from npm, never a CDN) run in Chromium.

axe-core is a devDependency: `npm ci` puts it in node_modules, and it is never served by the
site (it is not in STATICFILES_DIRS). The test reads the file and evaluates its source in the
page through the DevTools protocol. `page.add_script_tag(path=...)` would insert an inline
<script>, which the site's Content-Security-Policy (script-src 'self') rightly refuses; an
evaluation from the test driver is not page content, so the CSP does not apply to it and stays
as strict as production. This is safe: only the test, with a file it pins in
package-lock.json, runs code this way, and nothing of it reaches the site's responses.
"""

import json
from pathlib import Path

from .conftest import ARTIFACTS

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0 and 2.1, levels A and AA: what GB/T 37668-2019 asks of web content.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = {"serious", "critical"}
REPORTS = ARTIFACTS / "accessibility"


def run_axe(page, tags=TAGS) -> dict:
    """axe's results for the page as it is now (the whole document)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        if not AXE.exists():
            raise AssertionError(
                f"{AXE} is missing: run `npm ci` (axe-core is a devDependency in package.json)"
            )
        page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate(
        """tags => axe.run(document, {
             runOnly: {type: "tag", values: tags},
             resultTypes: ["violations"],
           })""",
        tags,
    )


def describe(violations: list[dict]) -> str:
    """One paragraph per rule: the rule, its impact and help text, and every node it found."""
    lines = []
    for violation in violations:
        lines.append(
            f"[{violation['impact']}] {violation['id']}: {violation['help']} "
            f"({violation['helpUrl']})"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    {target}\n      {node['html'][:200]}")
            summary = node.get("failureSummary", "").replace("\n", "\n        ")
            if summary:
                lines.append(f"        {summary}")
    return "\n".join(lines)


def check_accessibility(page, name: str) -> list[dict]:
    """Run axe on the page and fail on any serious or critical violation of WCAG 2.x A/AA.

    Every result, lesser ones included, is kept in test-artifacts/accessibility/<name>.json
    for a person to read; the lesser ones are returned so a caller may look at them too.
    """
    page.wait_for_load_state("networkidle")
    results = run_axe(page)
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / f"{name}.json").write_text(
        json.dumps(
            {"url": page.url, "violations": results["violations"]}, ensure_ascii=False, indent=1
        ),
        encoding="utf-8",
    )
    failing = [v for v in results["violations"] if v["impact"] in FAILING_IMPACTS]
    assert not failing, f"accessibility violations on {name} ({page.url}):\n" + describe(failing)
    return results["violations"]
