#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""End-to-end tests of `loglens watch`: a feeder writes a scripted stream over about 10 s and the test follows the
watch's JSON lines as a script would.

usage: test_watch.py --loglens PATH --source DIR [--validator PATH] [--fake-llm PATH] GROUP
GROUP is a test class below (watch_stream, watch_follow, watch_llm_faults). Exit status 77: every test of the group was skipped.
"""
import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
from pathlib import Path

LOGLENS = ""
VALIDATOR = ""
FAKE_LLM = ""


def stamp(i):
    return f"2025-11-03T20:{36 + i // 60:02d}:{i % 60:02d}Z"


class watcher:
    """A running `loglens watch --json`: its stdout lines are read on a thread, each with the time it came."""

    def __init__(self, args, cwd, env, stdin=None):
        self.p = subprocess.Popen([LOGLENS, "watch", "--json", *args], cwd=cwd, env=env, stdin=stdin,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.events = []  # (monotonic time, event dict)
        self.lock = threading.Lock()
        self.t = threading.Thread(target=self._read, daemon=True)
        self.t.start()
        self.err = ""

    def _read(self):
        for line in self.p.stdout:
            ev = json.loads(line)  # every line is one JSON object, or the test fails here
            with self.lock:
                self.events.append((time.monotonic(), ev))

    def of(self, kind):
        with self.lock:
            return [(t, e) for t, e in self.events if e["event"] == kind]

    def first(self, kind, text):
        for t, e in self.of(kind):
            if text in e["template"]:
                return t, e
        return None

    def stop(self, timeout=60):
        started = time.monotonic()
        self.p.send_signal(signal.SIGINT)
        _, self.err = self.p.communicate(timeout=timeout)
        self.t.join(timeout=5)
        return time.monotonic() - started


class watch_case(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="loglens-watch-")
        self.dir = Path(self._tmp.name)
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith(("OLLAMA_", "LOGS_DIR", "LOG_ANALYSIS_", "OPENAI_"))}
        self.env["NO_COLOR"] = "1"
        self.env["XDG_CACHE_HOME"] = str(self.dir / "cache")

    def tearDown(self):
        self._tmp.cleanup()

    def read_report(self, path):
        if VALIDATOR:
            v = subprocess.run([VALIDATOR, str(path)], capture_output=True, text=True)
            self.assertEqual(v.returncode, 0, v.stderr)
        return json.loads(Path(path).read_text())


class watch_stream(watch_case):
    """A folder followed for ~10 s: problems at known moments, a quiet container's last traceback, a rotation."""

    def feed(self, live):
        """Writes the script; returns when each problem's entry closed (the next line, or the idle gap)."""
        closed = {}
        t0 = time.monotonic()
        n = 0

        def at(t):
            time.sleep(max(0.0, t0 + t - time.monotonic()))

        def line(f, level, text):
            nonlocal n
            f.write(f"{stamp(n)} {level} {text}\n")
            f.flush()
            n += 1

        app = open(live / "app.log", "w")
        worker = None
        beat = 0
        script = [
            (0.5, lambda: line(app, "ERROR", "Connection to database postgres:5432 failed: timeout"), "Connection to database"),
            (2.0, lambda: line(app, "ERROR", "disk full on /data/volume"), "disk full"),
        ]
        t = 0.0
        pending = None  # a problem whose entry closes with the next line of its file
        for when, write, key in script:
            while t + 0.5 <= when:
                t += 0.5
                at(t)
                line(app, "INFO", f"heartbeat ok {beat}")
                beat += 1
                if pending:
                    closed[pending] = time.monotonic()
                    pending = None
            at(when)
            write()
            pending = key
            t = when
        at(2.5)
        line(app, "INFO", "heartbeat ok")
        closed[pending] = time.monotonic()
        # a new file in the folder; its traceback is the last thing this container prints
        at(3.0)
        worker = open(live / "worker.log", "w")
        line(worker, "INFO", "worker started")
        at(3.5)
        worker.write(f"{stamp(n)} ERROR Task failed for job nightly-export\n"
                     "Traceback (most recent call last):\n"
                     '  File "/opt/jobs/export.py", line 42, in run\n'
                     "    rows = fetch(batch)\n"
                     "KeyError: 'customer_id'\n")
        worker.flush()
        n += 1
        closed["Task failed"] = time.monotonic() + 2.0  # the idle gap closes it
        worker.close()
        # rotation by rename: the writer still holds the old file and writes to it before reopening
        at(5.0)
        os.rename(live / "app.log", live / "app.log.1")
        line(app, "ERROR", "rotated tail: snapshot upload to minio failed")
        app.close()
        at(5.2)
        app = open(live / "app.log", "w")
        line(app, "INFO", "reopened log after rotation")
        closed["rotated tail"] = time.monotonic()
        at(6.0)
        line(app, "ERROR", "Permission denied writing /var/cache/app/index")
        at(6.5)
        line(app, "INFO", "heartbeat ok")
        closed["Permission denied"] = time.monotonic()
        for i in range(30):  # a burst
            at(7.0 + i * 0.03)
            line(app, "WARNING", f"slow query took {1200 + i} ms")
        at(8.5)
        line(app, "INFO", "heartbeat ok")
        app.close()
        at(10.0)
        return closed

    def test_scripted_stream(self):
        live = self.dir / "live"
        live.mkdir()
        w = watcher([str(live), "--backend", "none", "--lang", "en", "--out", "reports", "--report-every", "4"],
                    self.dir, self.env)
        try:
            closed = self.feed(live)
            time.sleep(3.0)  # past the idle gap of everything written
        finally:
            took = w.stop()
        self.assertEqual(w.p.returncode, 0, w.err)
        self.assertLess(took, 20, "Ctrl-C ends the watch promptly")

        # each problem was shown within 2 s of its entry closing
        for key, t in closed.items():
            got = w.first("new", key)
            self.assertIsNotNone(got, f"no new event for {key}; events: {[e for _, e in w.events]}")
            self.assertLessEqual(got[0] - t, 2.0, f"{key} shown {got[0] - t:.2f} s after its entry closed")
        self.assertIsNotNone(w.first("spiking", "slow query"), "the burst is told as a spike")

        # every problem of the final report was shown exactly once, and nothing else was
        rep = self.read_report(self.dir / "reports" / "log_analysis_report.json")
        new_ids = [e["id"] for _, e in w.of("new")]
        self.assertEqual(len(new_ids), len(set(new_ids)), "no problem is shown twice")
        self.assertEqual(set(new_ids), {p["id"] for p in rep["problems"]})

        # the rotated file lost no line: its source read every line written to both files
        written = sum(len((live / n).read_text().splitlines()) for n in ("app.log.1", "app.log"))
        app_input = [i for i in rep["inputs"] if i["path"].endswith("app.log")]
        self.assertEqual(len(app_input), 1, rep["inputs"])
        self.assertEqual(app_input[0]["lines"], written)
        self.assertIn("rotated tail", " ".join(p["template"] for p in rep["problems"]))

        # the final report is the batch report of the same bytes (the rotated file and its successor joined)
        batch_in = self.dir / "batch"
        batch_in.mkdir()
        (batch_in / "app.log").write_text((live / "app.log.1").read_text() + (live / "app.log").read_text())
        (batch_in / "worker.log").write_text((live / "worker.log").read_text())
        r = subprocess.run([LOGLENS, "analyze", "batch/app.log", "batch/worker.log", "--backend", "none",
                            "--lang", "en", "--out", "batch-reports", "--quiet"], cwd=self.dir, env=self.env,
                           capture_output=True, text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        batch = self.read_report(self.dir / "batch-reports" / "log_analysis_report.json")
        self.assertEqual(canonical(rep), canonical(batch))


class watch_follow(watch_case):
    """Truncation, SIGUSR1 and --baseline, each on a short watch of one file."""

    def wait_for(self, w, kind, text, timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            got = w.first(kind, text)
            if got:
                return got[1]
            time.sleep(0.05)
        self.fail(f"no {kind} event for {text}: {[e for _, e in w.events]}")

    def test_truncated_file_is_read_again(self):
        log = self.dir / "app.log"
        log.write_text(f"{stamp(0)} ERROR disk full on /data/volume\n{stamp(1)} INFO heartbeat ok\n")
        w = watcher([str(log), "--backend", "none", "--out", "reports"], self.dir, self.env)
        try:
            self.wait_for(w, "new", "disk full")
            log.write_text(f"{stamp(2)} ERROR Permission denied writing /var/cache/app/index\n{stamp(3)} INFO ok\n")
            self.wait_for(w, "new", "Permission denied")
        finally:
            w.stop()
        rep = self.read_report(self.dir / "reports" / "log_analysis_report.json")
        self.assertEqual(rep["inputs"][0]["lines"], 4, "both the first text and the one after the cut were read")

    def test_sigusr1_writes_the_reports_now(self):
        log = self.dir / "app.log"
        log.write_text(f"{stamp(0)} ERROR disk full on /data/volume\n{stamp(1)} INFO heartbeat ok\n")
        w = watcher([str(log), "--backend", "none", "--out", "reports", "--report-every", "3600"], self.dir, self.env)
        report = self.dir / "reports" / "log_analysis_report.json"
        try:
            self.wait_for(w, "new", "disk full")
            self.assertFalse(report.exists(), "no report before the hour or a request")
            w.p.send_signal(signal.SIGUSR1)
            deadline = time.monotonic() + 10
            while not report.exists() and time.monotonic() < deadline:
                time.sleep(0.05)
            self.assertTrue(report.exists(), "SIGUSR1 wrote the reports")
            self.assertEqual(len(self.read_report(report)["problems"]), 1)
            self.assertIsNone(w.p.poll(), "the watch goes on after SIGUSR1")
        finally:
            w.stop()
        self.assertEqual(w.p.returncode, 0, w.err)

    def test_new_since_baseline_is_flagged(self):
        old = self.dir / "old.log"
        old.write_text(f"{stamp(0)} ERROR disk full on /data/volume\n")
        r = subprocess.run([LOGLENS, "analyze", str(old), "--backend", "none", "--out", "base", "--quiet"],
                           cwd=self.dir, env=self.env, capture_output=True, text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        log = self.dir / "old" / "old.log"  # the same service name as the baseline's input
        log.parent.mkdir()
        log.write_text(f"{stamp(1)} ERROR disk full on /data/volume\n"
                       f"{stamp(2)} ERROR Permission denied writing /var/cache/app/index\n{stamp(3)} INFO ok\n")
        w = watcher([str(log), "--backend", "none", "--out", "reports", "--baseline", "base/log_analysis_report.json"],
                    self.dir, self.env)
        try:
            known = self.wait_for(w, "new", "disk full")
            fresh = self.wait_for(w, "new", "Permission denied")
        finally:
            w.stop()
        self.assertFalse(known["new_since_baseline"])
        self.assertTrue(fresh["new_since_baseline"])

    def test_user_knowledge_reaches_the_view_and_the_report(self):
        kb = self.dir / "team.json"
        kb.write_text(json.dumps({"signatures": [{
            "id": "team.ledger-lock", "service": "app", "match": ["ledger", "lock held"], "severity": "critical",
            "en": {"description": "The nightly ledger close still holds its lock.",
                   "root_cause": "A close that did not finish.", "recommendations": ["Release the ledger lock"]}}]}))
        log = self.dir / "app.log"
        log.write_text(f"{stamp(0)} WARN ledger 7 lock held by close-job\n{stamp(1)} INFO heartbeat ok\n")
        w = watcher([str(log), "--backend", "none", "--lang", "en", "--out", "reports", "--kb", str(kb)],
                    self.dir, self.env)
        try:
            ev = self.wait_for(w, "new", "lock held")
        finally:
            w.stop()
        self.assertEqual(w.p.returncode, 0, w.err)
        self.assertEqual(ev["explanation"], "The nightly ledger close still holds its lock.")
        self.assertEqual(ev["source"], "knowledge_base")
        rep = self.read_report(self.dir / "reports" / "log_analysis_report.json")
        [p] = [p for p in rep["problems"] if "lock held" in p["template"]]
        self.assertEqual(p["analysis"]["signature"], "team.ledger-lock", p)
        self.assertEqual(p["analysis"]["classification"], "critical")

    def test_piped_output_is_one_plain_line_per_event(self):
        log = self.dir / "app.log"
        log.write_text(f"{stamp(0)} ERROR disk full on /data/volume\n{stamp(1)} INFO heartbeat ok\n")
        p = subprocess.Popen([LOGLENS, "watch", str(log), "--backend", "none", "--lang", "en", "--out", "reports"],
                             cwd=self.dir, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            time.sleep(3)
        finally:
            p.send_signal(signal.SIGINT)
            out, err = p.communicate(timeout=60)
        self.assertEqual(p.returncode, 0, err)
        lines = out.splitlines()
        self.assertNotIn("\x1b", out, "no colours or redraws on a pipe")
        self.assertNotIn("\r", out)
        new = [l for l in lines if l.startswith("new ")]
        self.assertEqual(len(new), 1, out)  # shown once, however often the watch looked
        self.assertRegex(new[0], r"^new error app x1 [0-9a-f]{12}: disk full on <\*> -- ")
        for l in lines:
            self.assertRegex(l, r"^(new|NEW|changed|spiking|calm|analysed) [a-z]+ \S+ x[0-9]+ [0-9a-f]{12}: ", out)

    def test_spike_then_calm_and_sigterm_ends_with_a_final_report(self):
        log = self.dir / "app.log"
        f = open(log, "w")
        n = 0

        def line(level, text):
            nonlocal n
            f.write(f"{stamp(n % 600)} {level} {text}\n")
            f.flush()
            n += 1

        line("ERROR", "Connection to redis:6379 refused after 0 attempts")
        line("INFO", "heartbeat ok")
        w = watcher([str(log), "--backend", "none", "--out", "reports", "--report-every", "3600"], self.dir, self.env)
        try:
            self.wait_for(w, "new", "Connection to redis")
            for i in range(1, 41):  # 40 more within a second: more than half of all of them, in one window
                line("ERROR", f"Connection to redis:6379 refused after {i} attempts")
                time.sleep(0.02)
            line("INFO", "heartbeat ok")
            spike = self.wait_for(w, "spiking", "Connection to redis")
            self.assertGreaterEqual(spike["last_10s"], 20, spike)
            self.assertEqual(w.of("calm"), [], "no calm while it spikes")
            deadline = time.monotonic() + 20  # the window is 10 s; quiet after it, the problem is calm again
            while not w.of("calm") and time.monotonic() < deadline:
                line("INFO", "heartbeat ok")
                time.sleep(0.5)
            calm = self.wait_for(w, "calm", "Connection to redis", timeout=1)
            self.assertLess(calm["last_10s"], 5, calm)
            self.assertEqual(calm["id"], spike["id"])
            self.assertEqual(len(w.of("spiking")), 1, "one spike, told once")
            w.p.send_signal(signal.SIGTERM)
            _, w.err = w.p.communicate(timeout=60)
            w.t.join(timeout=5)
        finally:
            f.close()
            if w.p.poll() is None:
                w.stop()
        self.assertEqual(w.p.returncode, 0, w.err)  # a stop is how a watch ends: SIGTERM as Ctrl-C
        self.assertIn("writing the final report", w.err)  # not "partial": the end of a watch is its final report
        rep = self.read_report(self.dir / "reports" / "log_analysis_report.json")  # the final report, on SIGTERM
        redis = [p for p in rep["problems"] if "Connection to redis" in p["template"]]
        self.assertEqual(len(redis), 1, rep["problems"])
        self.assertEqual(redis[0]["count"], 41)
        self.assertEqual(rep["inputs"][0]["lines"], n, "every line written before SIGTERM was read")


def canonical(rep):
    """A report without what differs between two runs of the same bytes: the run's time and the input list."""
    keep = ("id", "aliases", "service", "component", "template", "exception", "severity", "classification", "count",
            "first_seen", "last_seen", "parameters", "occurrences", "analysis", "incident")

    def rows(ps):
        return sorted(json.dumps({k: p.get(k) for k in keep}, sort_keys=True) for p in ps)

    return {"problems": rows(rep["problems"]), "noise": rows(rep["noise"]), "incidents": rep["incidents"],
            "stats": rep["stats"], "summary": rep["summary"]}


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class watch_llm_faults(watch_case):
    """The LLM slow or away during a watch: problems are still shown at once, and Ctrl-C still ends it."""

    def feed_stdin(self, w, problems):
        shown_late = []
        for i, text in enumerate(problems):
            w.p.stdin.write(f"{stamp(i)} ERROR {text}\n{stamp(i)} INFO heartbeat ok\n")
            w.p.stdin.flush()
            closed = time.monotonic()
            deadline = closed + 2.0
            while time.monotonic() < deadline and not w.first("new", text.split()[0]):
                time.sleep(0.05)
            if not w.first("new", text.split()[0]):
                shown_late.append(text)
        return shown_late

    PROBLEMS = ["Connection to database postgres:5432 failed: timeout", "disk full on /data/volume",
                "Permission denied writing /var/cache/app/index"]

    def test_slow_llm_never_stalls_ingestion(self):
        if not FAKE_LLM:
            self.skipTest("loglens_fake_llm is not built in this tree (tests/support)")
        fake = subprocess.Popen([FAKE_LLM, "--port", "0", "--mode", "ollama", "--fault", "slow"],
                                stdout=subprocess.PIPE, text=True)
        try:
            port = int(fake.stdout.readline().strip())
            w = watcher(["-", "--backend", "ollama", "--url", f"http://127.0.0.1:{port}", "--timeout", "600",
                         "--retries", "0", "--no-cache", "--lang", "en", "--concurrency", "1", "--out", "reports"],
                        self.dir, self.env, stdin=subprocess.PIPE)
            late = self.feed_stdin(w, self.PROBLEMS)
            took = w.stop()
        finally:
            fake.kill()
            fake.wait()
        self.assertEqual(late, [], "a slow LLM delayed problems being shown")
        self.assertEqual(w.p.returncode, 0, w.err)
        self.assertLess(took, 30, "the slow call was cancelled, not waited for")
        rep = self.read_report(self.dir / "reports" / "log_analysis_report.json")
        self.assertEqual(len(rep["problems"]), len(self.PROBLEMS), "every group is in the report")
        for p in rep["problems"]:
            self.assertTrue(p["analysis"].get("error"), "a problem the LLM did not explain says why")

    def test_llm_restart_analyses_resume(self):
        if not FAKE_LLM:
            self.skipTest("loglens_fake_llm is not built in this tree (tests/support)")

        def start(port):
            fake = subprocess.Popen([FAKE_LLM, "--port", str(port), "--mode", "ollama"], stdout=subprocess.PIPE,
                                    text=True)
            return fake, int(fake.stdout.readline().strip())

        fake, port = start(0)
        w = watcher(["-", "--backend", "ollama", "--url", f"http://127.0.0.1:{port}", "--retries", "2",
                     "--retry-server-after", "2", "--no-cache", "--lang", "en", "--out", "reports"],
                    self.dir, self.env, stdin=subprocess.PIPE)
        problems = self.PROBLEMS + ["Timeout waiting for lock on table dag_run"]
        written = [0]

        def feed(text):
            i = written[0]
            w.p.stdin.write(f"{stamp(2 * i)} ERROR {text}\n{stamp(2 * i + 1)} INFO heartbeat ok\n")
            w.p.stdin.flush()
            written[0] += 1
            shown = time.monotonic() + 2.0
            while time.monotonic() < shown and not w.first("new", text.split()[0]):
                time.sleep(0.05)
            self.assertTrue(w.first("new", text.split()[0]), f"{text} shown within 2 s, whatever the LLM does")
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and not w.first("analysis", text.split()[0]):
                time.sleep(0.05)
            got = w.first("analysis", text.split()[0])
            self.assertIsNotNone(got, f"an analysis event for {text}")
            return got[1]

        try:
            self.assertEqual(feed(problems[0])["source"], "llm")
            fake.kill()  # the server goes away
            fake.wait()
            down = feed(problems[1])
            self.assertNotEqual(down["source"], "llm")
            self.assertIn("LLM analysis failed", down["error"])
            fake, _ = start(port)  # and comes back where it was
            time.sleep(2.5)
            for text in problems[2:]:
                back = feed(text)
                self.assertEqual(back["source"], "llm", back)
            w.stop()
        finally:
            fake.kill()
            fake.wait()
            if w.p.poll() is None:
                w.stop()
        self.assertEqual(w.p.returncode, 0, w.err)
        rep = self.read_report(self.dir / "reports" / "log_analysis_report.json")
        self.assertEqual(len(rep["problems"]), len(problems), "every group is in the report")
        self.assertIn("calls resumed", rep["llm"]["note"])

    def test_llm_down_runs_offline(self):
        w = watcher(["-", "--backend", "auto", "--url", f"http://127.0.0.1:{closed_port()}", "--no-cache",
                     "--lang", "en", "--out", "reports"], self.dir, self.env, stdin=subprocess.PIPE)
        late = self.feed_stdin(w, self.PROBLEMS)
        w.p.stdin.close()  # the end of standard input ends the watch, with its report
        w.p.wait(timeout=60)
        w.t.join(timeout=5)
        self.assertEqual(late, [])
        self.assertEqual(w.p.returncode, 0)
        rep = self.read_report(self.dir / "reports" / "log_analysis_report.json")
        self.assertEqual(len(rep["problems"]), len(self.PROBLEMS))


def main():
    global LOGLENS, VALIDATOR, FAKE_LLM
    ap = argparse.ArgumentParser()
    ap.add_argument("--loglens", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--validator", default="")
    ap.add_argument("--fake-llm", default="")
    ap.add_argument("group", nargs="?")
    a, _ = ap.parse_known_args()
    LOGLENS, VALIDATOR, FAKE_LLM = str(Path(a.loglens).resolve()), a.validator, a.fake_llm
    loader = unittest.defaultTestLoader
    suite = loader.loadTestsFromTestCase(globals()[a.group]) if a.group else loader.loadTestsFromModule(
        sys.modules[__name__])
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    if not result.wasSuccessful():
        return 1
    return 77 if result.testsRun and len(result.skipped) == result.testsRun else 0


if __name__ == "__main__":
    sys.exit(main())
