#!/usr/bin/env python3
"""Checks (or adds) the licence tag `SPDX-License-Identifier: MIT` of every source file the project owns.

usage: check_spdx.py [--root DIR] [--fix]     (ctest: license.spdx_headers)

Owned source files are the tracked C++ files, Python and shell scripts, CMake files and the CI entry point;
single_include/ (generated from include/, with one tag in its banner) and log data are not. The tag sits near the
top: in a header after `#pragma once` and its one-line statement, in other C++ and CMake files after their first
comment line, in a script after the `#!` line. --fix inserts it where it is missing, in that place.
"""
import argparse
import subprocess
import sys
from pathlib import Path

TAG = "SPDX-License-Identifier: MIT"
CXX = (".hpp", ".cpp", ".h")
HASH = (".py", ".sh", ".cmake", ".cmake.in")
EXTRA = ("CMakeLists.txt", ".ci/run")
SKIP = ("single_include/", "tests/data/", "tests/fuzz/corpus/", "examples/logs/")
LOOK = 5  # the tag must be within the first lines


def owned(path: str) -> bool:
    if path.startswith(SKIP):
        return False
    return path.endswith(CXX + HASH) or path in EXTRA or path.endswith("/CMakeLists.txt")


def insert_at(lines: list, path: str) -> int:
    """Where the tag goes in a file that has none."""
    if path.endswith(CXX):
        if lines and lines[0].strip() == "#pragma once":
            return 2 if len(lines) > 1 and lines[1].startswith("//") else 1
        return 1 if lines and lines[0].startswith("//") else 0
    if lines and lines[0].startswith("#!"):
        return 1
    return 1 if lines and lines[0].startswith("#") else 0


def tag_line(path: str) -> str:
    return ("// " if path.endswith(CXX) else "# ") + TAG


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    ap.add_argument("--fix", action="store_true", help="insert the tag where it is missing")
    args = ap.parse_args()
    files = subprocess.run(["git", "-C", str(args.root), "ls-files"], capture_output=True, text=True, check=True)
    missing = []
    for path in files.stdout.splitlines():
        if not owned(path) or not (args.root / path).is_file():
            continue
        text = (args.root / path).read_text(encoding="utf-8")
        lines = text.split("\n")
        if any(TAG in line for line in lines[:LOOK]):
            continue
        if args.fix:
            lines.insert(insert_at(lines, path), tag_line(path))
            (args.root / path).write_text("\n".join(lines), encoding="utf-8")
        else:
            missing.append(path)
    for path in missing:
        print(f"{path}: no `{TAG}` in its first {LOOK} lines; run tools/check_spdx.py --fix", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
