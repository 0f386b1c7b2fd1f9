#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Open loglens HTML reports in headless Chromium and check what is on the page.

For each report the page program wrote (demo.html, demo.ru.html, hostile.html) this asserts:
- Chromium logs no console message at all (script errors and Content-Security-Policy violations land there);
- the page script ran (<html data-ready=...>) and saw no `window.__pwned`, which every payload sets;
- the DOM holds exactly one <script> (the page's own) and no <img>, <iframe> or attribute named on*;
- every problem and noise id of the matching JSON report is on the page, as an element id;
- in hostile.html, the payload text is visible as text;
- the sort buttons reorder the problem cards (through the page's `#sort=KEY` link, which clicks them).
It also saves a screenshot of demo.html for the README.

Chromium missing is a failure, not a skip: run scripts/install-deps.sh (via scripts/test.sh) to install it.
"""
import argparse
import html.parser
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

FAILURES = []


def fail(msg):
    FAILURES.append(msg)
    print("FAIL: " + msg, file=sys.stderr)


class Dom(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []  # (tag, attrs dict)
        self.text = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def chromium_binary():
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return None


def run_chromium(chromium, page, extra, profile):
    cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--disable-default-apps", "--disable-extensions", "--user-data-dir=" + profile,
           "--enable-logging=stderr", "--v=0"] + extra + [page.resolve().as_uri()]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=180, errors="replace")
    return proc


def check_page(chromium, page, report_json, hostile):
    name = page.name
    with tempfile.TemporaryDirectory(prefix="loglens-chromium-") as profile:
        proc = run_chromium(chromium, page, ["--dump-dom"], profile)
    if proc.returncode != 0:
        fail(f"{name}: chromium exited with {proc.returncode}: {proc.stderr[-2000:]}")
        return
    console = [line for line in proc.stderr.splitlines() if ":CONSOLE" in line]
    for line in console:
        fail(f"{name}: console message: {line}")

    dom = Dom()
    dom.feed(proc.stdout)
    root = next((a for t, a in dom.tags if t == "html"), {})
    if root.get("data-ready") != "clean":
        fail(f"{name}: the page script did not report a clean load (data-ready={root.get('data-ready')!r}); "
             "either it did not run or an injected script set window.__pwned")
    if "data-pwned" in root:
        fail(f"{name}: injected code ran: data-pwned={root['data-pwned']!r}")
    scripts = [a for t, a in dom.tags if t == "script"]
    if len(scripts) != 1:
        fail(f"{name}: expected exactly the page's own <script>, found {len(scripts)}")
    for t, a in dom.tags:
        if t in ("img", "iframe", "object", "embed", "link"):
            fail(f"{name}: unexpected <{t}> element {a}")
        for attr in a:
            if attr.startswith("on"):
                fail(f"{name}: element <{t}> has an event handler attribute {attr}")
    if "svg" not in [t for t, _ in dom.tags]:
        fail(f"{name}: no timeline <svg> on the page")

    ids = {a.get("id") for _, a in dom.tags if a.get("id")}
    report = json.loads(report_json.read_text(encoding="utf-8"))
    groups = report["problems"] + report["noise"]
    for p in groups:
        if "p-" + p["id"] not in ids:
            fail(f"{name}: problem {p['id']} is not on the page")
    articles = [a for t, a in dom.tags if t == "article"]
    if len(articles) != len(report["problems"]):
        fail(f"{name}: {len(articles)} problem cards for {len(report['problems'])} problems")

    text = "".join(dom.text)
    if hostile:
        for needle in ("<script>window.__pwned=1</script>", '<img src=x onerror="window.__pwned=1">',
                       "Malicious description: <script>"):
            if needle not in text:
                fail(f"{name}: the payload {needle!r} is not shown as text")
    print(f"ok: {name}: {len(groups)} groups on the page, {len(dom.tags)} elements, no console messages")


def check_sorting(chromium, page):
    """The sort buttons, driven through the page's `#sort=KEY` link, reorder the problem cards."""
    def cards(fragment):
        with tempfile.TemporaryDirectory(prefix="loglens-chromium-") as profile:
            cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                   "--user-data-dir=" + profile, "--dump-dom", page.resolve().as_uri() + fragment]
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=180, errors="replace")
        dom = Dom()
        dom.feed(proc.stdout)
        return [a for t, a in dom.tags if t == "article"]

    by_rank = cards("")
    by_count = cards("#sort=count")
    by_component = cards("#sort=component")
    counts = [int(a["data-count"]) for a in by_count]
    if not counts or counts != sorted(counts, reverse=True):
        fail(f"{page.name}#sort=count: cards not by decreasing count: {counts}")
    if [a["id"] for a in by_count] == [a["id"] for a in by_rank]:
        fail(f"{page.name}#sort=count: the order did not change (the demo report's counts are not in rank order)")
    names = [a["data-component"] for a in by_component]
    if names != sorted(names):
        fail(f"{page.name}#sort=component: cards not by component: {names}")
    ranks = [int(a["data-rank"]) for a in by_rank]
    if ranks != sorted(ranks):
        fail(f"{page.name}: default order is not by urgency: {ranks}")
    print(f"ok: {page.name}: sorting by count and component works in the browser")


def check_example(chromium, args, work):
    """The report a user gets from the bundled example logs, offline, checked like the others and photographed."""
    out = work / "example"
    shutil.rmtree(out, ignore_errors=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OLLAMA_", "LOGS_DIR", "LOG_ANALYSIS_"))}
    proc = subprocess.run([args.cli, "analyze", args.examples, "--backend", "none", "--lang", "en", "--quiet",
                           "--no-cache", "--out", str(out)], capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        fail(f"loglens analyze {args.examples} exited {proc.returncode}: {proc.stderr[-1000:]}")
        return
    check_page(chromium, out / "log_analysis_report.html", out / "log_analysis_report.json", hostile=False)
    if not args.example_screenshot:
        return
    shot = pathlib.Path(args.example_screenshot).resolve()
    shot.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="loglens-chromium-") as profile:
        run_chromium(chromium, out / "log_analysis_report.html",
                     ["--screenshot=" + str(shot), "--window-size=1280,1800", "--hide-scrollbars",
                      "--force-device-scale-factor=1"], profile)
    if not shot.is_file() or shot.stat().st_size < 10000:
        fail(f"screenshot {shot} of the example report was not written")
    else:
        print(f"ok: screenshot {shot} ({shot.stat().st_size} bytes)")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--page-program", required=True, help="the loglens_html_page executable")
    ap.add_argument("--work-dir", required=True, help="where the reports are written")
    ap.add_argument("--screenshot", required=True, help="PNG to save of the demo report")
    ap.add_argument("--cli", help="the loglens CLI: also check (and screenshot) its report of examples/logs")
    ap.add_argument("--examples", help="the examples/logs folder, with --cli")
    ap.add_argument("--example-screenshot", help="PNG to save of the example report (the README's picture)")
    args = ap.parse_args()

    chromium = chromium_binary()
    if not chromium:
        print("FAIL: chromium is not installed, so the HTML report cannot be checked in a browser. "
              "Run scripts/install-deps.sh with the packages of scripts/test-packages.txt "
              "(scripts/test.sh does this), or `sudo apt-get install chromium`.", file=sys.stderr)
        return 1

    work = pathlib.Path(args.work_dir)
    work.mkdir(parents=True, exist_ok=True)
    subprocess.run([args.page_program, str(work)], check=True)

    check_page(chromium, work / "demo.html", work / "demo.json", hostile=False)
    check_page(chromium, work / "demo.ru.html", work / "demo.ru.json", hostile=False)
    check_page(chromium, work / "hostile.html", work / "hostile.json", hostile=True)

    check_sorting(chromium, work / "demo.html")

    shot = pathlib.Path(args.screenshot).resolve()
    shot.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="loglens-chromium-") as profile:
        proc = run_chromium(chromium, work / "demo.html",
                            ["--screenshot=" + str(shot), "--window-size=1280,1700", "--hide-scrollbars",
                             "--force-device-scale-factor=1"], profile)
    if proc.returncode != 0 or not shot.is_file() or shot.stat().st_size < 10000:
        fail(f"screenshot {shot} was not written: {proc.stderr[-1000:]}")
    else:
        print(f"ok: screenshot {shot} ({shot.stat().st_size} bytes)")

    if args.cli:
        check_example(chromium, args, work)

    if FAILURES:
        print(f"{len(FAILURES)} failure(s)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
