"""Sums the TRX (xunit via dotnet test) and pester-summary.json (Pester, via pester/Invoke-Pester.ps1) result files
and prints 'N passed, N failed[, N skipped]' as the last line.

Each <step>.failed file that .ci/run wrote (pwsh or Pester not installed, the build broken) counts as one failure and
its text is printed. Exits non-zero when anything failed, or when no result file was found (nothing ran).
"""
import json
import pathlib
import sys
import xml.etree.ElementTree as ET

root = pathlib.Path(sys.argv[1])
passed = failed = skipped = 0
files = 0

for trx in root.rglob("*.trx"):
    files += 1
    ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
    counters = ET.parse(trx).getroot().find("t:ResultSummary/t:Counters", ns)
    if counters is None:
        continue
    a = counters.attrib
    passed += int(a.get("passed", 0))
    failed += int(a.get("failed", 0)) + int(a.get("error", 0)) + int(a.get("timeout", 0)) + int(a.get("aborted", 0))
    skipped += int(a.get("notExecuted", 0))

pester = root / "pester-summary.json"
if pester.exists():
    files += 1
    summary = json.loads(pester.read_text(encoding="utf-8-sig"))
    passed += int(summary["passed"])
    failed += int(summary["failed"])
    skipped += int(summary["skipped"])

for step in sorted(root.glob("*.failed")):
    failed += 1
    print(step.read_text(encoding="utf-8").strip() + " (counted as one failure)")

if files == 0 and failed == 0:
    failed += 1  # nothing ran at all
    print("No test result file was written (counted as one failure).")
line = f"{passed} passed, {failed} failed"
if skipped:
    line += f", {skipped} skipped"
print(line)
sys.exit(1 if failed else 0)
