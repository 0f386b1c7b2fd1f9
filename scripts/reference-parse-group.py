#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Runs the reference design's own parse and group stages on one log, for scripts/bench-ratio.sh.

usage: reference-parse-group.py DESIGN.md LOG

DESIGN.md is the reference design (the Python modules of the original log analyser, as Markdown code blocks
headed `## Код: types.py`, `parser.py`, `normalizer.py`); it is not part of this repository, so the path is
given. Its modules are written into a temporary package and imported unchanged. The run is what its `main()`
does with a compose log before any LLM call: `LogParser.parse_airflow_logs` (its parser of `service | time
message` lines) over the whole file, then `LogNormalizer.group_by_component_and_severity` and
`create_log_groups`. It prints the entries and groups it made. Needs python3 and pydantic (Debian's
python3-pydantic), as the design does.
"""
import importlib
import re
import sys
import tempfile
from pathlib import Path


def extract(design: str, module: str) -> str:
    m = re.search(r"^## Код: " + re.escape(module) + r"[^\n]*\n+```python\n(.*?)\n```", design, re.S | re.M)
    if not m:
        sys.exit(f"reference-parse-group: no `## Код: {module}` Python block in the design")
    return m.group(1)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    design = Path(sys.argv[1]).read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        pkg = Path(tmp) / "log_analysis"
        pkg.mkdir()
        (pkg / "__init__.py").write_text("")
        for module in ("types.py", "parser.py", "normalizer.py"):
            (pkg / module).write_text(extract(design, module), encoding="utf-8")
        sys.path.insert(0, tmp)
        parser = importlib.import_module("log_analysis.parser")
        normalizer = importlib.import_module("log_analysis.normalizer")
        with open(sys.argv[2], "r", encoding="utf-8", errors="replace") as f:
            entries = parser.LogParser.parse_airflow_logs(f.read())
        grouped = normalizer.LogNormalizer.group_by_component_and_severity(entries)
        groups = normalizer.LogNormalizer.create_log_groups(grouped)
    print(f"{len(entries)} entries, {len(groups)} groups")


if __name__ == "__main__":
    main()
