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
        message = first_line(result.findtext(path))
        if message:
            return message
    return "(no message)"


def parse(path):
    try:
        return ET.parse(path).getroot()
    except ET.ParseError as error:
        print(f"unreadable {path}: {error}")
        return None


def main(results_dir, dotnet_exit_code):
    root_dir = pathlib.Path(results_dir)
    passed, failed, skipped, run_errors = 0, [], [], []
    reported = set()  # names of the tests that have a result
    for trx in sorted(root_dir.rglob("*.trx")):
        root = parse(trx)
        if root is None:
            run_errors.append(f"RUN ERROR {trx.name}: unreadable TRX")
            continue
        for info in root.iter(f"{NS}RunInfo"):
            if info.get("outcome") == "Error":
                run_errors.append(f"RUN ERROR {trx.name}: {first_line(info.findtext(f'{NS}Text'))}")
        for result in root.iter(f"{NS}UnitTestResult"):
            name = result.get("testName", "?")
            outcome = result.get("outcome", "?")
            reported.add(name)
            if outcome == "Passed":
                passed += 1
            elif outcome in SKIPPED:
                skipped.append(f"SKIPPED {name}: {message_of(result)}")
            else:
                failed.append(f"FAILED {name} ({outcome}): {message_of(result)}")

    # A test host that crashed or hung (killed by --blame-hang-timeout) reports no result for the test it was
    # running; the blame collector's sequence files name it (Completed="False").
    for sequence in sorted(root_dir.rglob("Sequence_*.xml")):
        root = parse(sequence)
        for test in root.iter("Test") if root is not None else []:
            name = test.get("DisplayName") or test.get("Name") or "?"
            if test.get("Completed") == "False" and name not in reported:
                reported.add(name)
                failed.append(f"FAILED {name}: its test host crashed or hung while it ran (dump in {sequence.parent})")

    for line in [*failed, *skipped, *run_errors]:
        print(line)
    status = 1 if failed or run_errors else 0
    if skipped:
        print("skipped tests are failures here: a server was missing?")
        status = 1
    if not passed and not failed and not skipped:
        print(f"no test ran (no results in {results_dir}): does the filter match anything?")
        status = 1
    if dotnet_exit_code != 0:
        if not failed and not run_errors:
            print(f"dotnet test exited with {dotnet_exit_code} although no test failed (see its output above)")
        status = 1
    print(f"{passed} passed, {len(failed)} failed, {len(skipped)} skipped")
    return status


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], int(sys.argv[2])))
