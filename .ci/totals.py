"""Sums the TRX (xunit via dotnet test) and NUnit (Pester) result files and prints 'N passed, N failed[, N skipped]'.

Exits non-zero when anything failed, when .ci/run marked the build as failed (build-failed), or when no result
file was found (nothing ran).
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

pester = root / "pester-summary.json"  # written by pester/Invoke-Pester.ps1 from Pester's own result object
if pester.exists():
    files += 1
    summary = json.loads(pester.read_text(encoding="utf-8-sig"))
    passed += int(summary["passed"])
    failed += int(summary["failed"])
    skipped += int(summary["skipped"])

if (root / "build-failed").exists():
    failed += 1  # some projects did not compile, so their tests are missing from the counts above
    print("The build failed (counted as one failure); the tests of projects that did not compile did not run.")
elif files == 0:
    failed += 1  # nothing ran: the build failed before the tests
line = f"{passed} passed, {failed} failed"
if skipped:
    line += f", {skipped} skipped"
print(line)
sys.exit(1 if failed else 0)
