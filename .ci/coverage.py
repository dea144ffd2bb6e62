#!/usr/bin/env python3
"""Prints AiSwitch.Core's line coverage over every test project's coverlet report (a line counts as covered when any
project's tests ran it), beside the goal. Informational: it never changes the exit status, the tests do."""
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

GOAL = 85.0
PACKAGE = "AiSwitch.Core"


def main(results: Path) -> None:
    reports = sorted(results.rglob("coverage.cobertura.xml"))
    if not reports:
        print(f"Core line coverage: no coverlet report under {results} (coverage was not collected).")
        return
    lines: dict[tuple[str, int], bool] = {}
    for report in reports:
        root = ET.parse(report).getroot()
        for package in root.iter("package"):
            if package.get("name") != PACKAGE:
                continue
            for cls in package.iter("class"):
                source = cls.get("filename", "")
                for line in cls.iter("line"):
                    key = (source, int(line.get("number", "0")))
                    lines[key] = lines.get(key, False) or int(line.get("hits", "0")) > 0
    if not lines:
        print(f"Core line coverage: the {len(reports)} reports hold no line of {PACKAGE}.")
        return
    covered = sum(lines.values())
    percent = 100.0 * covered / len(lines)
    verdict = "meets" if percent >= GOAL else "below"
    print(f"Core line coverage: {percent:.1f} % ({covered} of {len(lines)} lines, merged from {len(reports)} coverlet reports), "
          f"{verdict} the goal of {GOAL:.0f} %")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
