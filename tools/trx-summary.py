#!/usr/bin/env python3
"""Sums up the TRX files of one `dotnet test` run for tools/test.sh.

usage: trx-summary.py RESULTS_DIR DOTNET_TEST_EXIT_CODE

Prints one line per failed or skipped test, explanations, and last, alone on its line:
    N passed, N failed, N skipped
Exits 1 when a test failed or was skipped, when no test ran, or when `dotnet test` itself failed.
"""

import pathlib
import sys
import xml.etree.ElementTree as ET

NS = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"
# TRX outcomes that mean "did not run". Every other outcome but Passed (Failed, Error, Timeout, Aborted, ...) fails.
SKIPPED = {"NotExecuted", "Inconclusive", "NotRunnable", "Pending", "Disconnected"}


def first_line(text):
    text = (text or "").strip()
    return text.splitlines()[0].strip() if text else ""


def message_of(result):
    for path in (f"{NS}Output/{NS}ErrorInfo/{NS}Message", f"{NS}Output/{NS}StdOut"):
        element = result.find(path)
        if element is not None and first_line(element.text):
            return first_line(element.text)
    return "(no message)"


def main(results_dir, dotnet_exit_code):
    passed, failed, skipped = 0, [], []
    files = sorted(pathlib.Path(results_dir).rglob("*.trx")) if pathlib.Path(results_dir).is_dir() else []
    for trx in files:
        try:
            root = ET.parse(trx).getroot()
        except ET.ParseError as error:
            failed.append(f"FAILED {trx.name}: unreadable TRX ({error})")
            continue
        for result in root.iter(f"{NS}UnitTestResult"):
            name = result.get("testName", "?")
            outcome = result.get("outcome", "?")
            if outcome == "Passed":
                passed += 1
            elif outcome in SKIPPED:
                skipped.append(f"SKIPPED {name}: {message_of(result)}")
            else:
                failed.append(f"FAILED {name} ({outcome}): {message_of(result)}")

    for line in failed + skipped:
        print(line)
    status = 0
    if failed:
        status = 1
    if skipped:
        print("skipped tests are failures here: a server was missing?")
        status = 1
    if passed + len(failed) + len(skipped) == 0:
        print(f"no test ran (no results in {results_dir}): does the filter match anything?")
        status = 1
    if dotnet_exit_code != 0:
        print(f"dotnet test exited with {dotnet_exit_code} (crash, hang or a test host that did not report)")
        status = 1
    print(f"{passed} passed, {len(failed)} failed, {len(skipped)} skipped")
    return status


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], int(sys.argv[2])))
