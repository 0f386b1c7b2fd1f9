#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Checks that the tracked C++ files follow .clang-format: lists those clang-format would change and fails.
#
#   scripts/check-format.sh          check (exit 1 and the list of files when one would change)
#   scripts/check-format.sh --fix    rewrite them in place
#
# single_include/ is generated from include/ and follows it; it is not checked. CLANG_FORMAT picks the binary
# (default clang-format; the style was tuned with clang-format 14, Debian 12's).
set -euo pipefail
cd "$(dirname "$0")/.."
clang_format="${CLANG_FORMAT:-clang-format}"
if ! command -v "$clang_format" >/dev/null; then
  echo "check-format: $clang_format not found; install Debian's clang-format package or set CLANG_FORMAT" >&2
  exit 2
fi
mapfile -d '' files < <(git ls-files -z -- '*.hpp' '*.cpp' '*.h' ':!:single_include/')
if [ "${1:-}" = "--fix" ]; then
  "$clang_format" -i --style=file "${files[@]}"
  exit 0
fi
# One run over all files; each place to change is reported as `file:line:col: warning: ...`.
if ! report=$("$clang_format" --style=file --dry-run "${files[@]}" 2>&1 >/dev/null); then
  echo "$report" >&2  # not a style difference (those exit 0 without -Werror): a bad .clang-format or file
  exit 2
fi
mapfile -t bad < <(grep -- '-Wclang-format-violations' <<<"$report" | cut -d: -f1 | sort -u)
if [ "${#bad[@]}" -gt 0 ]; then
  printf '%s\n' "${bad[@]}"
  lines=$(grep -- '-Wclang-format-violations' <<<"$report" | cut -d: -f1,2 | sort -u | wc -l)
  echo "check-format: ${#bad[@]} of ${#files[@]} files ($lines lines) differ from .clang-format;" \
       "run scripts/check-format.sh --fix" >&2
  exit 1
fi
echo "check-format: ${#files[@]} files follow .clang-format"
