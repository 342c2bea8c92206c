#!/usr/bin/env python3
"""Every Catch2 test case must be reachable through CTest.

catch_discover_tests hands each name to CTest as a list element, so a name
with ';' is cut there and its filter matches no test: CTest reports it as
passed while nothing ran (26 test cases were silently skipped that way
until 2026-12-07). A name must not contain ';'.
"""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1])
literal = re.compile(r'"((?:[^"\\]|\\.)*)"')
case = re.compile(r'TEST_CASE\(((?:\s*"(?:[^"\\]|\\.)*")+)')
bad = []
for path in sorted(root.rglob("*.cpp")):
    text = path.read_text(encoding="utf-8")
    for match in case.finditer(text):
        name = "".join(literal.findall(match.group(1)))
        if ";" in name:
            line = text.count("\n", 0, match.start()) + 1
            bad.append(f"{path}:{line}: test name has ';', which CTest cuts: {name}")
for line in bad:
    print(line)
print(f"{len(bad)} test names with ';'")
sys.exit(1 if bad else 0)
