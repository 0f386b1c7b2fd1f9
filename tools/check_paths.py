#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Fails when a file of the repository refers to a path outside it, so a fresh clone needs nothing beside it.

usage: check_paths.py [--root DIR]     (ctest: paths.inside_repository)

The rule, applied to every tracked file (`git ls-files`; every file but .git/ and build*/ when the tree is no
git checkout) that is text:

1. Climbing out. A path whose `..` segments climb above the repository root, resolved from the folder the path
   is relative to. A bare relative path is relative to the file's own folder in code and CMake
   (`#include "../support/x.hpp"`) and in a Markdown link target (`[x](../README.md)`), but to the repository
   root in Markdown prose, plain text and shell scripts: docs name paths as seen from the root, and the scripts
   `cd` there first. `${CMAKE_CURRENT_SOURCE_DIR}`, `${CMAKE_CURRENT_LIST_DIR}` and a script's `$(dirname "$0")`
   are the file's folder; `${PROJECT_SOURCE_DIR}`, `${CMAKE_SOURCE_DIR}` and `${loglens_SOURCE_DIR}` the root.
   A path that starts at any other variable (a build or install folder) is not a source path and is not judged.
2. Absolute paths into a workplace. An absolute path under the folder that holds this checkout (a sibling
   checkout, a data folder next to the clone), or under the fixed roots of the machines the project is built
   on: the `/work` workplace, `/home/<user>` outside container paths, `/root`, `/Users`, `/mnt`, `/media`.
   System locations (`/usr/bin`, `/etc`, `/var/lib/docker`, `/tmp`, `/opt/...`, `/dev/null`) are no reference
   to a checkout and pass; URLs (`scheme://host/path`) are no file paths and pass.
3. Symbolic links whose target lies outside the repository.

Data is exempt: files under tests/data/, tests/fuzz/corpus/ and examples/logs/ other than Markdown are log
input, and the paths in them (`/home/airflow/.local/...`, `../../etc/passwd` in an attack log) name places
inside the systems that wrote them. So is `/home/airflow`, the Airflow image's home, wherever it appears: logs
quoted in tests and docs carry it. This file is exempt too, since it names the patterns it looks for.
"""
import argparse
import os
import re
import subprocess
import sys
from pathlib import Path, PurePosixPath

DATA_DIRS = ("tests/data/", "tests/fuzz/corpus/", "examples/logs/")
SELF = "tools/check_paths.py"

ROOT_ANCHORS = {"PROJECT_SOURCE_DIR", "CMAKE_SOURCE_DIR", "loglens_SOURCE_DIR"}
FILE_ANCHORS = {"CMAKE_CURRENT_SOURCE_DIR", "CMAKE_CURRENT_LIST_DIR", "SCRIPT_DIR"}

# A script's own folder, written the usual ways, becomes ${SCRIPT_DIR} before tokenising.
SCRIPT_DIR = re.compile(r'\$\(\s*dirname\s+"?\$(?:0|\{BASH_SOURCE(?:\[0\])?\}|BASH_SOURCE)"?\s*\)')
# A path-like token: runs of the characters paths are made of, with ${VAR} anchors.
TOKEN = re.compile(r"(?:\$\{\w+\}|[\w.+~@%-]|/)+")
URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://\S*")

ROOT_RELATIVE = (".md", ".txt", ".sh")

FIXED_ROOTS = ("/work", "/root", "/Users", "/mnt", "/media")
HOME = re.compile(r"^/home/(?!airflow(?:/|$))[^/]+")


def tracked_files(root: Path):
    try:
        out = subprocess.run(["git", "-C", str(root), "ls-files", "-z", "-s"], capture_output=True, check=True)
        for entry in out.stdout.decode("utf-8", "surrogateescape").split("\0"):
            if entry:
                meta, path = entry.split("\t", 1)
                yield path, meta.split()[0] == "120000"
        return
    except (OSError, subprocess.CalledProcessError):
        pass
    for dirpath, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d != ".git" and not d.startswith("build")]
        for f in files:
            p = Path(dirpath, f)
            yield p.relative_to(root).as_posix(), p.is_symlink()


def climbs_out(token: str, file_dir: PurePosixPath, bare_dir: PurePosixPath):
    """The depth below the root a relative token ends at, or None when it stays inside (or is not judged)."""
    m = re.match(r"\$\{(\w+)\}", token)
    if m:
        if m.group(1) in ROOT_ANCHORS:
            depth = 0
        elif m.group(1) in FILE_ANCHORS:
            depth = len(file_dir.parts)
        else:
            return None
        token = token[m.end():]
    elif token.startswith(("/", "~", "$")):
        return None
    else:
        depth = len(bare_dir.parts)
    lowest = depth
    for seg in token.split("/"):
        if seg == "..":
            depth -= 1
            lowest = min(lowest, depth)
        elif seg and seg != ".":
            depth += 1
    return lowest if lowest < 0 else None


def outside_absolute(token: str, checkout_parent: str):
    if not token.startswith("/") or token.startswith("//"):
        return False
    if checkout_parent not in ("", "/") and (token + "/").startswith(checkout_parent.rstrip("/") + "/"):
        return True
    if HOME.match(token):
        return True
    return any(token == r or token.startswith(r + "/") for r in FIXED_ROOTS)


def problems_in_text(text: str, rel: str, checkout_parent: str):
    file_dir = PurePosixPath(rel).parent
    if str(file_dir) == ".":
        file_dir = PurePosixPath()
    root_relative = rel.endswith(ROOT_RELATIVE) and not rel.endswith("CMakeLists.txt")
    for n, line in enumerate(text.splitlines(), 1):
        line = URL.sub(" ", SCRIPT_DIR.sub("${SCRIPT_DIR}", line))
        for m in TOKEN.finditer(line):
            tok = m.group(0)
            if ".." in tok.split("/"):
                link = rel.endswith(".md") and line[:m.start()].endswith("](")
                bare_dir = PurePosixPath() if root_relative and not link else file_dir
                if climbs_out(tok, file_dir, bare_dir) is not None:
                    yield f"{rel}:{n}: `{tok}` climbs above the repository root"
                    continue
            if outside_absolute(tok, checkout_parent):
                yield f"{rel}:{n}: `{tok}` is an absolute path outside the repository"


def check_tree(root: Path):
    root = root.resolve()
    checkout_parent = str(root.parent)
    found = []
    for rel, is_link in tracked_files(root):
        path = root / rel
        if is_link:
            target = (path.parent / os.readlink(path)).resolve()
            if root != target and root not in target.parents:
                found.append(f"{rel}: a symbolic link to {os.readlink(path)}, outside the repository")
            continue
        if rel == SELF or (rel.startswith(DATA_DIRS) and not rel.endswith(".md")):
            continue
        try:
            data = path.read_bytes()
        except OSError:
            continue  # listed but absent (a deleted file not yet committed)
        if b"\0" in data[:8192]:
            continue  # binary
        found.extend(problems_in_text(data.decode("utf-8", "replace"), rel, checkout_parent))
    return found


def self_test():
    """The rule on known lines, so a broken pattern cannot pass the tree by finding nothing."""
    parent = "/srv/ci/clones"
    bad = [
        ('set(D "${PROJECT_SOURCE_DIR}/../outside")', "CMakeLists.txt"),
        ('set(D "${CMAKE_CURRENT_SOURCE_DIR}/../../data")', "tests/CMakeLists.txt"),
        ("The figures are from `../outside/data/loghub-2k/README.md`.", "README.md"),
        ('#include "../../../outside.hpp"', "tests/unit/x.cpp"),
        ('cd "$(dirname "$0")/../.."', "scripts/x.sh"),
        ("root = '/work/outside/data'", "benchmarks/x.py"),
        ("see /home/alice/notes.txt", "docs/x.md"),
        ("The peers' figures are from `../outside/data/loghub-2k/README.md`.", "docs/grouping.md"),
        ("grep -c x ../outside/notes.txt", "scripts/x.sh"),
        ("see ../../outside.md", "docs/notes.txt"),
        ("a sibling /srv/ci/clones/other/file", "docs/x.md"),
    ]
    good = [
        ('#include "../support/loghub.hpp"', "tests/unit/x.cpp"),
        ('cd "$(dirname "$0")/.."', "scripts/x.sh"),
        ("see [the CLI reference](../docs/cli.md)", "docs/x.md"),
        ('add_subdirectory(../project)', "tests/cmake/CMakeLists.txt"),
        ('set(D "${PROJECT_SOURCE_DIR}/tests/data/loghub-2k")', "benchmarks/CMakeLists.txt"),
        ('COMMAND ${CMAKE_COMMAND} --install "${PROJECT_BINARY_DIR}/../prefix"', "tests/CMakeLists.txt"),
        ("install to /usr/bin or /usr/local/lib; docker keeps data in /var/lib/docker", "README.md"),
        ('File "/home/airflow/.local/lib/python3.12/site-packages/airflow/models/dagbag.py"', "tests/unit/x.cpp"),
        ("/opt/airflow/dags/etl.py and /tmp/x and /dev/null", "docs/x.md"),
        ("https://github.com/logpai/loghub/work/x and http://localhost:11434/api", "docs/x.md"),
        ("cut at 1.. 2 and std::string... args; a..b", "include/x.hpp"),
    ]
    errors = []
    for text, rel in bad:
        if not list(problems_in_text(text, rel, parent)):
            errors.append(f"self-test: not flagged in {rel}: {text}")
    for text, rel in good:
        for p in problems_in_text(text, rel, parent):
            errors.append(f"self-test: false positive: {p}")
    return errors


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", default=str(Path(__file__).resolve().parent.parent))
    args = ap.parse_args()
    errors = self_test() + check_tree(Path(args.root))
    for e in errors:
        print(e)
    if errors:
        print(f"{len(errors)} reference(s) to paths outside the repository; vendor what is needed into the "
              "repository (tests/data/ for test data) and refer to it from there")
        return 1
    print("no file refers to a path outside the repository")
    return 0


if __name__ == "__main__":
    sys.exit(main())
