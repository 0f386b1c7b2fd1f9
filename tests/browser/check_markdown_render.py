#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Render loglens Markdown reports with cmark-gfm (GitHub's renderer) and check hostile text changed nothing.

demo.md and hostile.md come from the same report; hostile.md has script-injection and Markdown-breaking
payloads (fences, headings, table rows, lists, setext underlines, links) in every field a log or an LLM fills.
Rendered with raw HTML allowed (--unsafe, so an escaping bug is not hidden by the renderer), this asserts:
- hostile.md has exactly the headings, code blocks and tables of demo.md (apart from heading text);
- every table row has as many cells as its header;
- no element the payload could make (<script>, <img>, <iframe>, <svg>, non-http links), no attribute on*;
- the payload is visible as text.
cmark-gfm missing is a failure, not a skip: run scripts/install-deps.sh (scripts/test.sh does it).
"""
import argparse
import html.parser
import shutil
import subprocess
import sys

FAILURES = []


def fail(msg):
    FAILURES.append(msg)
    print("FAIL: " + msg, file=sys.stderr)


class Html(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self.text = []
        self.rows = []  # cells per <tr>
        self.headings = []
        self._in_heading = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "tr":
            self.rows.append(0)
        elif tag in ("td", "th") and self.rows:
            self.rows[-1] += 1
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._in_heading = [tag, ""]

    def handle_endtag(self, tag):
        if self._in_heading and tag == self._in_heading[0]:
            self.headings.append(tuple(self._in_heading))
            self._in_heading = None

    def handle_data(self, data):
        self.text.append(data)
        if self._in_heading:
            self._in_heading[1] += data


def render(cmark, path):
    proc = subprocess.run([cmark, "--unsafe", "-e", "table", "-e", "strikethrough", "-e", "tasklist", "-e",
                           "autolink", str(path)], capture_output=True, text=True, timeout=60)
    if proc.returncode != 0:
        fail(f"cmark-gfm failed on {path}: {proc.stderr}")
    doc = Html()
    doc.feed(proc.stdout)
    return doc


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--page-program", required=True)
    ap.add_argument("--work-dir", required=True)
    args = ap.parse_args()
    cmark = shutil.which("cmark-gfm")
    if not cmark:
        print("FAIL: cmark-gfm is not installed, so the Markdown report cannot be rendered. Run "
              "scripts/install-deps.sh with the packages of scripts/test-packages.txt (scripts/test.sh does this), "
              "or `sudo apt-get install cmark-gfm`.", file=sys.stderr)
        return 1
    subprocess.run([args.page_program, args.work_dir], check=True)
    demo = render(cmark, f"{args.work_dir}/demo.md")
    bad = render(cmark, f"{args.work_dir}/hostile.md")

    if [h[0] for h in bad.headings] != [h[0] for h in demo.headings]:
        fail(f"hostile.md has other headings than demo.md: {[h[0] for h in bad.headings]} vs {[h[0] for h in demo.headings]}")
    count = lambda doc, name: sum(1 for t, _ in doc.tags if t == name)
    for name in ("pre", "table", "tr", "h2"):
        if count(bad, name) != count(demo, name):
            fail(f"<{name}>: {count(bad, name)} in hostile.md, {count(demo, name)} in demo.md")
    for doc, name in ((demo, "demo.md"), (bad, "hostile.md")):
        widths = set(doc.rows)
        if not widths <= {4}:
            fail(f"{name}: table rows with {sorted(widths)} cells; every loglens table has 4 columns")
        for t, a in doc.tags:
            if t in ("script", "img", "iframe", "svg", "object", "embed", "style", "details"):
                fail(f"{name}: the rendered report holds a <{t}> element {a}")
            if t == "a" and not a.get("href", "").startswith("http"):
                fail(f"{name}: a link the report did not mean to make: {a}")
            for attr in a:
                if attr.startswith("on"):
                    fail(f"{name}: <{t}> has an event handler attribute {attr}")
    text = "".join(bad.text)
    for needle in ("<script>window.__pwned=1</script>", "# Owned heading", "[link](javascript:alert(1))", "| x | y |"):
        if needle not in text:
            fail(f"hostile.md: the payload {needle!r} is not shown as text")
    if FAILURES:
        print(f"{len(FAILURES)} failure(s)", file=sys.stderr)
        return 1
    print(f"ok: hostile.md renders with the structure of demo.md ({len(bad.headings)} headings, "
          f"{count(bad, 'pre')} code blocks, {count(bad, 'tr')} table rows), payloads shown as text")
    return 0


if __name__ == "__main__":
    sys.exit(main())
