#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""End-to-end tests of the `loglens` binary: they run it as a user would and check files, output and exit codes.

usage: test_cli.py --loglens PATH --source DIR [--fake-llm PATH] [--custom-pipeline PATH] GROUP
GROUP is a test class below (analyze, user_kb, settings, templates, baseline, interrupt, interrupt_llm, llm, llm_preflight, secrets, custom_pipeline,
example).
Exit status 77 means every test of the group was skipped (ctest shows it as skipped).
"""
import argparse
import csv
import html
import io
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path

LOGLENS = ""
VALIDATOR = ""
SOURCE = Path(".")
FAKE_LLM = ""
CUSTOM = ""

# Lines any parser reads the same way: a level word right after an ISO timestamp.
ERROR_LINES = (
    "2025-11-03T20:36:40Z ERROR Connection to database postgres:5432 failed: timeout\n"
    "2025-11-03T20:36:41Z ERROR Connection to database postgres:5432 failed: timeout\n"
    "2025-11-03T20:36:42Z INFO heartbeat ok\n"
)

INFO_LINES = "2025-11-03T20:36:40Z INFO started\n2025-11-03T20:36:41Z INFO heartbeat ok\n"


def closed_port():
    """A loopback port nothing listens on: bound once by us, then released."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class cli_case(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="loglens-cli-")
        self.dir = Path(self._tmp.name)
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith(("OLLAMA_", "LOGS_DIR", "LOG_ANALYSIS_", "OPENAI_"))}
        self.env["NO_COLOR"] = "1"
        self.env["XDG_CACHE_HOME"] = str(self.dir / "cache")
        self.env["XDG_CONFIG_HOME"] = str(self.dir / "config")  # no user knowledge of this machine's

    def tearDown(self):
        self._tmp.cleanup()

    def run_cli(self, *args, stdin=None, env=None, cwd=None, timeout=120):
        e = dict(self.env)
        e.update(env or {})
        return subprocess.run([LOGLENS, *map(str, args)], input=stdin, capture_output=True, text=True,
                              env=e, cwd=cwd or self.dir, timeout=timeout)

    def write(self, name, text):
        p = self.dir / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
        return p

    def report(self, out="reports"):
        return self.read_report(self.dir / out / "log_analysis_report.json")

    def read_report(self, path):
        if VALIDATOR:  # every report a test reads must follow docs/report-schema.json
            v = subprocess.run([VALIDATOR, str(path)], capture_output=True, text=True)
            self.assertEqual(v.returncode, 0, v.stderr)
        return json.loads(path.read_text())

    def wait_until_read(self, p, nbytes, timeout=30):
        """Blocks until the child has read `nbytes` (its /proc io counter), so a signal lands while it reads."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                io_stats = dict(l.split(": ") for l in Path(f"/proc/{p.pid}/io").read_text().splitlines())
                if int(io_stats["rchar"]) >= nbytes:
                    time.sleep(0.2)  # past the read, into the next poll
                    return
            except (OSError, KeyError, ValueError):
                pass
            time.sleep(0.05)
        self.fail("loglens did not read its input in time")

    def assertExit(self, r, code):
        self.assertEqual(r.returncode, code, f"stdout:\n{r.stdout}\nstderr:\n{r.stderr}")

    def offline(self):
        """Flags that keep a test away from any real LLM on this machine."""
        return ["--backend", "none"]


class analyze(cli_case):
    def test_stdin_dash(self):
        r = self.run_cli("analyze", "-", *self.offline(), "--out", "reports", stdin=ERROR_LINES)
        self.assertExit(r, 0)
        rep = self.report()
        self.assertEqual([i["path"] for i in rep["inputs"]], ["<stdin>"])
        self.assertEqual(rep["stats"]["lines"], 3)
        self.assertFalse(rep["partial"])
        self.assertGreaterEqual(len(rep["problems"]), 1)
        self.assertIn("reports/log_analysis_report.json", r.stdout)

    def test_directory_takes_log_and_txt_sorted(self):
        self.write("in/b.txt", ERROR_LINES)
        self.write("in/a.log", INFO_LINES)
        self.write("in/c.json", "{}\n")          # not a log: ignored
        self.write("in/sub/d.log", ERROR_LINES)  # folders are not descended into
        r = self.run_cli("analyze", "in", *self.offline())
        self.assertExit(r, 0)
        self.assertEqual([Path(i["path"]).name for i in self.report()["inputs"]], ["a.log", "b.txt"])

    def test_no_input_reads_logs_dir(self):
        self.write("logs/x.log", ERROR_LINES)
        self.write("other/y.log", INFO_LINES)
        r = self.run_cli("analyze", *self.offline())
        self.assertExit(r, 0)
        self.assertEqual([Path(i["path"]).name for i in self.report()["inputs"]], ["x.log"])
        r = self.run_cli("analyze", *self.offline(), env={"LOGS_DIR": "other"})
        self.assertExit(r, 0)
        self.assertEqual([Path(i["path"]).name for i in self.report()["inputs"]], ["y.log"])

    def test_out_and_format(self):
        r = self.run_cli("analyze", "-", *self.offline(), "--out", "deep/er", "--format", "json", stdin=ERROR_LINES)
        self.assertExit(r, 0)
        self.assertTrue((self.dir / "deep/er/log_analysis_report.json").is_file())

    def test_exit_3_missing_file_names_it(self):
        r = self.run_cli("analyze", "nope.log", *self.offline())
        self.assertExit(r, 3)
        self.assertIn("nope.log", r.stderr)
        self.assertFalse((self.dir / "reports").exists(), "no report for a run that read nothing")

    def test_exit_3_folder_without_logs(self):
        (self.dir / "empty").mkdir()
        r = self.run_cli("analyze", "empty", *self.offline())
        self.assertExit(r, 3)
        self.assertIn("empty", r.stderr)
        self.assertIn("*.log", r.stderr)

    def test_exit_3_no_logs_dir(self):
        r = self.run_cli("analyze", *self.offline())
        self.assertExit(r, 3)
        self.assertIn("./logs", r.stderr)
        self.assertIn("LOGS_DIR", r.stderr)

    @unittest.skipIf(os.geteuid() == 0, "root reads files whatever their mode")
    def test_exit_3_unreadable_file(self):
        p = self.write("secret.log", ERROR_LINES)
        p.chmod(0)
        r = self.run_cli("analyze", str(p), *self.offline())
        self.assertExit(r, 3)
        self.assertIn("secret.log", r.stderr)

    def test_exit_3_unwritable_out(self):
        self.write("file", "x")
        r = self.run_cli("analyze", "-", *self.offline(), "--out", "file/sub", stdin=ERROR_LINES)
        self.assertExit(r, 3)
        self.assertIn("file/sub", r.stderr)
        self.assertIn("--out", r.stderr)

    def test_exit_2_usage_errors(self):
        for args, needle in [(["frobnicate"], "frobnicate"),
                             (["analyze", "--no-such-flag"], "no-such-flag"),
                             (["analyze", "--backend", "gpt"], "--backend"),
                             (["analyze", "--lang", "de"], "--lang"),
                             (["analyze", "--format", "pdf"], "pdf"),
                             (["analyze", "--fail-on", "bad"], "--fail-on"),
                             (["analyze", "--concurrency", "0"], "--concurrency"),
                             (["analyze", "--url", "localhost:11434"], "--url"),
                             ([], "usage")]:
            with self.subTest(args=args):
                r = self.run_cli(*args, stdin="")
                self.assertExit(r, 2)
                self.assertIn(needle, r.stderr)
                self.assertNotIn("what():", r.stderr)

    def test_help_and_version(self):
        r = self.run_cli("--help")
        self.assertExit(r, 0)
        self.assertIn("docker compose logs -t | loglens analyze -", r.stdout)
        r = self.run_cli("analyze", "--help")
        self.assertExit(r, 0)
        for opt in ["--backend", "--url", "--model", "--timeout", "--retries", "--concurrency", "--lang",
                    "--format", "--out", "--min-severity", "--no-cache", "--no-redact", "--quiet", "--fail-on"]:
            self.assertIn(opt, r.stdout)
        r = self.run_cli("--version")
        self.assertExit(r, 0)
        self.assertRegex(r.stdout, r"^loglens \d+\.\d+\.\d+\n$")

    def test_exit_4_required_llm_unreachable(self):
        port = closed_port()
        for backend in ["ollama", "openai"]:
            with self.subTest(backend=backend):
                r = self.run_cli("analyze", "-", "--backend", backend, "--url", f"http://127.0.0.1:{port}",
                                 stdin=ERROR_LINES)
                self.assertExit(r, 4)
                self.assertIn(f"http://127.0.0.1:{port}", r.stderr)
                self.assertIn("--backend none", r.stderr)  # says what to do

    def test_auto_falls_back_offline_in_one_line(self):
        port = closed_port()
        r = self.run_cli("analyze", "-", "--backend", "auto", "--url", f"http://127.0.0.1:{port}", stdin=ERROR_LINES)
        self.assertExit(r, 0)
        lines = [l for l in r.stderr.splitlines() if "offline" in l]
        self.assertEqual(len(lines), 1, r.stderr)
        self.assertIn(f"http://127.0.0.1:{port}", lines[0])
        self.assertIn("offline", self.report()["llm"]["note"])
        # quiet means quiet
        r = self.run_cli("analyze", "-", "--quiet", "--url", f"http://127.0.0.1:{port}", stdin=ERROR_LINES)
        self.assertExit(r, 0)
        self.assertEqual(r.stderr, "")
        self.assertEqual(r.stdout, "")

    def test_fail_on(self):
        r = self.run_cli("analyze", "-", *self.offline(), "--fail-on", "warning", stdin=ERROR_LINES)
        self.assertExit(r, 1)
        self.assertIn("--fail-on", r.stderr)
        self.assertTrue((self.dir / "reports/log_analysis_report.json").is_file(), "the report is still written")
        r = self.run_cli("analyze", "-", *self.offline(), "--fail-on", "info", stdin=INFO_LINES)
        self.assertExit(r, 0)  # info lines are under the default min severity: no problem at all
        worst = max((p["classification"] for p in self.report_after(ERROR_LINES)),
                    key=["info", "warning", "minor", "major", "critical"].index)
        above = {"info": "warning", "warning": "minor", "minor": "major", "major": "critical"}.get(worst)
        if above:
            r = self.run_cli("analyze", "-", *self.offline(), "--fail-on", above, stdin=ERROR_LINES)
            self.assertExit(r, 0)

    def report_after(self, text):
        r = self.run_cli("analyze", "-", *self.offline(), stdin=text)
        self.assertExit(r, 0)
        return self.report()["problems"]

    def test_min_severity_flag(self):
        r = self.run_cli("analyze", "-", *self.offline(), "--min-severity", "critical", stdin=ERROR_LINES)
        self.assertExit(r, 0)
        rep = self.report()
        self.assertEqual(rep["min_severity"], "critical")
        self.assertEqual(rep["problems"], [])
        self.assertEqual(rep["stats"]["entries_below_threshold"], 3)

    def test_redaction_default_and_no_redact(self):
        text = "2025-11-03T20:36:40Z ERROR cannot connect to postgresql://airflow:Sup3rS3cret@db:5432/airflow\n"
        r = self.run_cli("analyze", "-", *self.offline(), stdin=text)
        self.assertExit(r, 0)
        body = (self.dir / "reports/log_analysis_report.json").read_text()
        self.assertNotIn("Sup3rS3cret", body)
        self.assertGreaterEqual(sum(self.report()["stats"]["redactions"].values()), 1)
        r = self.run_cli("analyze", "-", *self.offline(), "--no-redact", stdin=text)
        self.assertExit(r, 0)
        self.assertIn("Sup3rS3cret", (self.dir / "reports/log_analysis_report.json").read_text())
        self.assertIn("--no-redact", r.stderr, "keeping secrets is said on standard error")

    def test_no_colour_when_not_a_tty(self):
        r = self.run_cli("analyze", "-", *self.offline(), stdin=ERROR_LINES, env={"NO_COLOR": ""})
        self.assertExit(r, 0)
        self.assertNotIn("\x1b[", r.stdout + r.stderr)


QUOTA_LINES = (
    "2025-11-03T20:36:40Z ERROR task load_orders failed: warehouse says quota exceeded for tenant 7\n"
    "2025-11-03T20:36:41Z WARNING health probe from 10.0.3.17 timed out\n"
)


class user_kb(cli_case):
    """--kb FILE and $XDG_CONFIG_HOME/loglens/kb/*.json teach loglens a team's own failures and noise."""

    def problems_by_signature(self):
        return {(p.get("analysis") or {}).get("signature"): p for p in self.report()["problems"]}

    def test_kb_file_explains_and_silences(self):
        r = self.run_cli("analyze", "-", *self.offline(), "--lang", "en", stdin=QUOTA_LINES)
        self.assertExit(r, 0)
        before = self.report()
        self.assertNotIn("acme.warehouse-quota", json.dumps(before))
        self.assertEqual(len(before["problems"]), 2, "without the file both lines are problems")
        kb = SOURCE / "examples/kb/acme.json"
        r = self.run_cli("analyze", "-", *self.offline(), "--lang", "en", "--kb", kb, stdin=QUOTA_LINES)
        self.assertExit(r, 0)
        self.assertIn("2 signatures of yours from 1 file", r.stderr)
        rep = self.report()
        mine = self.problems_by_signature().get("acme.warehouse-quota")
        self.assertIsNotNone(mine, json.dumps(rep["problems"], indent=1))
        self.assertEqual(mine["classification"], "critical")
        self.assertIn("per-tenant quota", mine["analysis"]["description"])
        self.assertEqual(len(rep["problems"]), 1, "the probe warning is known noise now")
        self.assertIn("acme.probe-noise", json.dumps(rep["noise"]))

    def test_config_folder_is_read_and_can_be_skipped(self):
        folder = self.dir / "config/loglens/kb"
        folder.mkdir(parents=True)
        (folder / "acme.json").write_text((SOURCE / "examples/kb/acme.json").read_text())
        r = self.run_cli("analyze", "-", *self.offline(), stdin=QUOTA_LINES)
        self.assertExit(r, 0)
        self.assertIn("acme.warehouse-quota", self.problems_by_signature())
        r = self.run_cli("analyze", "-", *self.offline(), "--no-user-kb", stdin=QUOTA_LINES)
        self.assertExit(r, 0)
        self.assertNotIn("acme.warehouse-quota", self.problems_by_signature())

    def test_bad_file_stops_before_reading_input(self):
        bad = self.write("team.json", '{"signatures": [{"id": "acme.x", "service": "airflow", "match": ["q"],'
                                      ' "severity": "urgent", "en": {"description": "d"}}]}')
        r = self.run_cli("analyze", "-", *self.offline(), "--kb", bad, stdin=QUOTA_LINES)
        self.assertExit(r, 2)
        self.assertIn("team.json, signature #1 (acme.x): field 'severity'", r.stderr)
        self.assertFalse((self.dir / "reports").exists(), "no report from a run that stopped at its settings")
        r = self.run_cli("analyze", "-", *self.offline(), "--kb", self.dir / "missing.json", stdin=QUOTA_LINES)
        self.assertExit(r, 2)
        self.assertIn("missing.json: cannot be read", r.stderr)


class settings(cli_case):
    """Precedence: flag > environment > .env > default. The exit-4 message names the URL actually used."""

    def url_used(self, *args, env=None):
        r = self.run_cli("analyze", "-", "--backend", "ollama", *args, stdin="", env=env)
        self.assertExit(r, 4)
        return r.stderr

    def test_precedence(self):
        p_file, p_env, p_flag = closed_port(), closed_port() + 1, closed_port() + 2
        self.write(".env", f'# ollama\nexport OLLAMA_BASE_URL="http://127.0.0.1:{p_file}"  # local\n')
        self.assertIn(f":{p_file}", self.url_used())
        self.assertIn(f":{p_env}", self.url_used(env={"OLLAMA_BASE_URL": f"http://127.0.0.1:{p_env}"}))
        self.assertIn(f":{p_flag}", self.url_used("--url", f"http://127.0.0.1:{p_flag}",
                                                   env={"OLLAMA_BASE_URL": f"http://127.0.0.1:{p_env}"}))

    def test_default_url_and_model(self):
        r = self.run_cli("analyze", "--help")
        self.assertIn("http://localhost:11434", r.stdout)
        self.assertIn("mistral", r.stdout)

    def test_dotenv_syntax(self):
        self.write(".env", "\n".join([
            "# comment line",
            "",
            "export LOG_ANALYSIS_MIN_SEVERITY='CRITICAL'",
            'UNRELATED="a # not a comment"',
            "LOGS_DIR=in   # trailing comment",
        ]) + "\n")
        self.write("in/a.log", ERROR_LINES)
        r = self.run_cli("analyze", *self.offline())
        self.assertExit(r, 0)
        rep = self.report()
        self.assertEqual(rep["min_severity"], "critical")
        self.assertEqual([Path(i["path"]).name for i in rep["inputs"]], ["a.log"])
        # the environment beats .env
        r = self.run_cli("analyze", *self.offline(), env={"LOG_ANALYSIS_MIN_SEVERITY": "error"})
        self.assertExit(r, 0)
        self.assertEqual(self.report()["min_severity"], "error")
        # and the flag beats both
        r = self.run_cli("analyze", *self.offline(), "--min-severity", "warning",
                         env={"LOG_ANALYSIS_MIN_SEVERITY": "error"})
        self.assertExit(r, 0)
        self.assertEqual(self.report()["min_severity"], "warning")

    def test_invalid_values_name_setting_and_origin(self):
        self.write(".env", "# settings\nOLLAMA_MODEL=mistral\nOLLAMA_TIMEOUT=soon\n")
        r = self.run_cli("analyze", "-", *self.offline(), stdin="")
        self.assertExit(r, 2)
        self.assertIn("OLLAMA_TIMEOUT", r.stderr)
        self.assertIn(".env line 3", r.stderr)
        r = self.run_cli("analyze", "-", *self.offline(), stdin="", env={"OLLAMA_TIMEOUT": "-5"})
        self.assertExit(r, 2)
        self.assertIn("OLLAMA_TIMEOUT (from environment)", r.stderr)
        r = self.run_cli("analyze", "-", *self.offline(), "--timeout", "1e9", stdin="")
        self.assertExit(r, 2)
        self.assertIn("--timeout", r.stderr)
        r = self.run_cli("analyze", "-", *self.offline(), stdin="", env={"OLLAMA_TIMEOUT": "30",
                                                                      "OLLAMA_RETRIES": "many"})
        self.assertExit(r, 2)
        self.assertIn("OLLAMA_RETRIES (from environment)", r.stderr)
        r = self.run_cli("analyze", "-", *self.offline(), stdin="",
                         env={"OLLAMA_TIMEOUT": "30", "LOG_ANALYSIS_MIN_SEVERITY": "loud"})
        self.assertExit(r, 2)
        self.assertIn("LOG_ANALYSIS_MIN_SEVERITY", r.stderr)

    def test_malformed_dotenv_line(self):
        self.write(".env", "OLLAMA_MODEL=mistral\nthis is not a setting\n")
        r = self.run_cli("analyze", "-", *self.offline(), stdin="")
        self.assertExit(r, 2)
        self.assertIn(".env line 2", r.stderr)
        self.write(".env", 'OLLAMA_MODEL="unterminated\n')
        r = self.run_cli("analyze", "-", *self.offline(), stdin="")
        self.assertExit(r, 2)
        self.assertIn(".env line 1", r.stderr)


class templates(cli_case):
    def rows(self, r):
        return list(csv.reader(io.StringIO(r.stdout)))

    def lines_of(self, path):
        """What `wc -l` says: the number of newline bytes."""
        return Path(path).read_bytes().count(b"\n")

    def assertOneRowPerLine(self, r, path):
        self.assertExit(r, 0)
        body = self.rows(r)[1:]
        self.assertEqual(len(body), self.lines_of(path))
        self.assertEqual([row[0] for row in body], [str(i) for i in range(1, len(body) + 1)])
        self.assertEqual(len(r.stdout.splitlines()), len(body) + 1, "one physical line per row")
        self.assertNotIn("unaccounted", r.stdout, "every line is told to the table by the parser")
        return body

    def test_csv_per_entry(self):
        text = ("ERROR Connection to db failed\n"
                'WARN user "bob, the admin" logged in\n'
                "ERROR Connection to db failed\n"
                "\n"
                "DEBUG tick\n")
        r = self.run_cli("templates", "-", "--per-entry", stdin=text)
        self.assertExit(r, 0)
        rows = self.rows(r)
        self.assertEqual(rows[0], ["line", "group_id", "template"])
        body = rows[1:]
        self.assertEqual([row[0] for row in body], ["1", "2", "3", "5"])  # blank line 4 is no entry; debug is kept
        self.assertEqual(body[0][1], body[2][1], "the same message gets the same group")
        self.assertNotEqual(body[0][1], body[1][1])
        self.assertIn('"bob, the admin"', body[1][2])  # commas and quotes survive the CSV round trip
        self.assertIn("4 entries", r.stderr)

    def test_single_line_log_one_row_per_line(self):
        p = self.write("app.log", "ERROR Connection to db failed\n"
                                  "INFO heartbeat ok\n"
                                  "\n"
                                  "ERROR Connection to db failed\n"
                                  "   \n"
                                  "INFO heartbeat ok\n")
        body = self.assertOneRowPerLine(self.run_cli("templates", p, "--quiet"), p)
        self.assertEqual(body[0][1], body[3][1])
        self.assertEqual(body[1][1], body[5][1])
        self.assertNotEqual(body[0][1], body[1][1])
        for i in (2, 4):
            self.assertEqual(body[i][1:], ["-", "blank"])

    def test_interleaved_compose_tracebacks_every_line_has_its_entry_group(self):
        # Two containers raise at once; their traceback lines interleave, with compose's own lines around them.
        a, b = "airflow-scheduler-1  | ", "airflow-worker-1     | "
        lines = [
            ("meta", "Attaching to mlops-airflow-scheduler-1, mlops-airflow-worker-1, mlops-redis-1"),
            ("A", a + "[2025-11-03T20:36:40.123+0000] {dagbag.py:541} ERROR - Failed to import: /opt/airflow/dags/etl.py"),
            ("B", b + "[2025-11-03T20:36:40.200+0000] {taskinstance.py:2698} ERROR - Task failed with exception"),
            ("A", a + "Traceback (most recent call last):"),
            ("B", b + "Traceback (most recent call last):"),
            ("A", a + '  File "/opt/airflow/dags/etl.py", line 3, in <module>'),
            ("B", b + '  File "/opt/airflow/dags/ml.py", line 12, in run'),
            ("A", a + "    import pandas_extra"),
            ("B", b + '    raise ValueError("bad row 17")'),
            ("redis", "redis-1              | 1:M 03 Nov 2025 20:36:41.000 * Background saving started by pid 21"),
            ("A", a + "ModuleNotFoundError: No module named 'pandas_extra'"),
            ("B", b + "ValueError: bad row 17"),
            ("blank", a.rstrip()),
            ("next", a + "[2025-11-03T20:36:42.123+0000] {scheduler_job_runner.py:123} INFO - Starting the scheduler"),
            ("meta", "mlops-redis-1 exited with code 0"),
        ]
        p = self.write("compose.log", "".join(text + "\n" for _, text in lines))
        body = self.assertOneRowPerLine(self.run_cli("templates", p, "--quiet"), p)
        kinds = [k for k, _ in lines]
        group_a = body[kinds.index("A")][1]
        group_b = body[kinds.index("B")][1]
        self.assertNotEqual(group_a, group_b)
        for (kind, _), row in zip(lines, body):
            if kind == "A":
                self.assertEqual(row[1:], [group_a, body[1][2]], row)
            elif kind == "B":
                self.assertEqual(row[1:], [group_b, body[2][2]], row)
            elif kind == "meta":
                self.assertEqual(row[1:], ["-", "compose-meta"])
            elif kind == "blank":
                self.assertEqual(row[1:], ["-", "blank"])
            else:
                self.assertNotIn(row[1], ("-", group_a, group_b))

    def test_jvm_stack_and_example_logs_one_row_per_line(self):
        p = self.write("spark.log",
                       "25/11/03 20:36:37 ERROR Executor: Exception in task 0.0 in stage 1.0 (TID 1)\n"
                       "java.lang.OutOfMemoryError: Java heap space\n"
                       "\tat java.util.Arrays.copyOf(Arrays.java:3236)\n"
                       "\tat org.apache.spark.executor.Executor.run(Executor.scala:551)\n"
                       "25/11/03 20:36:38 INFO Executor: Finished task 1.0 in stage 1.0 (TID 2)\n")
        body = self.assertOneRowPerLine(self.run_cli("templates", p, "--quiet"), p)
        self.assertEqual({row[1] for row in body[:4]}, {body[0][1]}, "the stack trace has its entry's group")
        self.assertNotEqual(body[4][1], body[0][1])
        example = SOURCE / "examples" / "logs" / "compose.log"
        body = self.assertOneRowPerLine(self.run_cli("templates", example, "--quiet"), example)
        self.assertGreater(sum(row[1] != "-" for row in body), len(body) // 2)

    def test_binary_lines_are_skipped_with_their_reason(self):
        p = self.dir / "core.log"
        p.write_bytes(bytes(range(256)) * 64 + b"\n" + b"\x00\x01\x02\xff\n" * 10)
        body = self.assertOneRowPerLine(self.run_cli("templates", p, "--quiet"), p)
        self.assertEqual({tuple(row[1:]) for row in body}, {("-", "binary-input")})

    def test_csv_cells_defuse_formulas_and_show_control_characters(self):
        text = ("ERROR =HYPERLINK(\"http://evil.example\";\"x\")\n"
                "@SUM(A1:A9)\n"
                "+cmd|' /C calc'!A0\n"
                "-cmd|' /C calc'!A0\n"
                "bell\a and backspace\b and \x1b]0;retitled\x07 and \u202e reversed\n"
                'WARN plain "quoted", with comma\n')
        p = self.write("hostile.log", text)
        r = self.run_cli("templates", p, "--quiet", "--no-redact")
        body = self.assertOneRowPerLine(r, p)
        for row in body:
            self.assertFalse(row[2][:1] in ("=", "+", "-", "@", "\t", "\r"), row)
        self.assertTrue(body[0][2].startswith("'="), body[0])
        self.assertTrue(body[1][2].startswith("'@"), body[1])
        self.assertTrue(body[2][2].startswith("'+"), body[2])
        self.assertTrue(body[3][2].startswith("'-"), body[3])
        self.assertNotRegex(r.stdout, "[\x00-\x09\x0b-\x1f\x7f\u202e]")
        self.assertIn("\\x07", body[4][2])
        self.assertIn("\\x08", body[4][2])
        self.assertIn("\\u202e", body[4][2])
        self.assertIn('"quoted", with comma', body[5][2])
        for line in r.stdout.splitlines()[1:]:
            self.assertRegex(line, r'^"[^"]*","[^"]*",".*"$', "every field of a row is quoted")
        # a hostile file name in the source column is defused too
        self.write("=1+1.log", "INFO ok\n")
        r = self.run_cli("templates", "=1+1.log", p, "--quiet")
        self.assertExit(r, 0)
        self.assertEqual(self.rows(r)[1][0], "'=1+1.log")

    def test_several_inputs_add_source_column(self):
        self.write("a.log", INFO_LINES)
        self.write("b.log", INFO_LINES)
        r = self.run_cli("templates", "a.log", "b.log", "--quiet")
        self.assertExit(r, 0)
        rows = self.rows(r)
        self.assertEqual(rows[0], ["source", "line", "group_id", "template"])
        self.assertEqual([Path(row[0]).name for row in rows[1:]], ["a.log", "a.log", "b.log", "b.log"])
        self.assertEqual([row[1] for row in rows[1:]], ["1", "2", "1", "2"], "line numbers are per input")
        self.assertEqual(r.stderr, "")

    def test_redacts_unless_asked(self):
        text = "2025-11-03T20:36:40Z ERROR cannot reach postgresql://airflow:Sup3rS3cret@db:5432/airflow\n"
        r = self.run_cli("templates", "-", stdin=text)
        self.assertExit(r, 0)
        self.assertNotIn("Sup3rS3cret", r.stdout)
        r = self.run_cli("templates", "-", "--no-redact", stdin=text)
        self.assertExit(r, 0)  # a miner may mask the URL as a variable anyway, so only the default is asserted

    def test_user_line_format_folds_unmatched_lines(self):
        text = ("2025-11-03 20:36:40|billing|ERROR|charge failed for order 17\n"
                "  caused by: card declined\n"
                "2025-11-03 20:36:41|billing|ERROR|charge failed for order 18\n")
        r = self.run_cli("templates", "-", "--line-format", r"<Date> <Time>\|<Component>\|<Level>\|<Content>",
                         stdin=text)
        self.assertExit(r, 0)
        body = self.rows(r)[1:]
        self.assertEqual([row[0] for row in body], ["1", "2", "3"])
        self.assertEqual({row[1] for row in body}, {body[0][1]}, "the indented line belongs to the entry before it")

    def test_bad_input_format_options_are_usage_errors(self):
        r = self.run_cli("templates", "-", "--input-format", "cobol", stdin="x\n")
        self.assertExit(r, 2)
        self.assertIn("--input-format", r.stderr)
        r = self.run_cli("templates", "-", "--line-format", "<Date <Content>", stdin="x\n")
        self.assertExit(r, 2)
        self.assertIn("--line-format", r.stderr)

    def test_forced_format(self):
        text = "25/11/03 20:36:37 WARN NativeCodeLoader: Unable to load native-hadoop library\n"
        r = self.run_cli("analyze", "-", "--input-format", "spark", "--backend", "none", "--quiet", stdin=text)
        self.assertExit(r, 0)
        problems = self.report()["problems"] + self.report()["noise"]
        self.assertEqual(len(problems), 1)
        self.assertEqual(problems[0]["severity"], "warning")

    def test_missing_input(self):
        r = self.run_cli("templates", "missing.log")
        self.assertExit(r, 3)
        self.assertIn("missing.log", r.stderr)


class interrupt(cli_case):
    def start(self, *args, env=None):
        e = dict(self.env)
        e.update(env or {})
        return subprocess.Popen([LOGLENS, *map(str, args)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=e, cwd=self.dir)

    def test_sigint_while_reading_stdin_writes_partial_report(self):
        p = self.start("analyze", "-", *self.offline())
        p.stdin.write(ERROR_LINES * 50)
        p.stdin.flush()
        self.wait_until_read(p, len(ERROR_LINES) * 50)
        p.send_signal(signal.SIGINT)
        # standard input stays open, as with `tail -f app.log | loglens analyze -`: the stop must not wait for it
        p.wait(timeout=30)
        out, err = p.communicate(timeout=30)
        self.assertEqual(p.returncode, 130, err)
        self.assertIn("partial", err)
        rep = self.report()
        self.assertTrue(rep["partial"])
        self.assertEqual(rep["stats"]["lines"], 150, "what was read before the signal is in the report")
        self.assertIn("partial report", out)

    def test_second_sigint_quits_at_once(self):
        with socket.socket() as silent:  # accepts connections (the kernel does), never answers
            silent.bind(("127.0.0.1", 0))
            silent.listen(8)
            p = self.start("analyze", "-", "--backend", "ollama", "--url",
                           f"http://127.0.0.1:{silent.getsockname()[1]}")
            time.sleep(1.0)
            p.send_signal(signal.SIGINT)
            time.sleep(0.3)
            p.send_signal(signal.SIGINT)
            out, err = p.communicate(timeout=30)
        self.assertEqual(p.returncode, 130, err)
        self.assertIn("quitting", err)
        self.assertFalse((self.dir / "reports").exists())

    def test_sigint_before_reading_writes_nothing(self):
        with socket.socket() as silent:
            silent.bind(("127.0.0.1", 0))
            silent.listen(8)
            p = self.start("analyze", "-", "--backend", "ollama", "--url",
                           f"http://127.0.0.1:{silent.getsockname()[1]}")
            time.sleep(1.0)
            p.send_signal(signal.SIGINT)
            out, err = p.communicate(timeout=30)
        self.assertEqual(p.returncode, 130, err)
        self.assertIn("before reading", err)
        self.assertFalse((self.dir / "reports").exists())

    def test_sigint_then_upstream_closes(self):
        p = self.start("analyze", "-", *self.offline())
        p.stdin.write(ERROR_LINES)
        p.stdin.flush()
        self.wait_until_read(p, len(ERROR_LINES))
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=60)  # closes stdin, as when `docker compose logs -f` dies of the Ctrl-C
        self.assertEqual(p.returncode, 130, err)
        self.assertEqual(self.report()["stats"]["lines"], 3)

    def test_sigterm_also_stops_cleanly(self):
        p = self.start("analyze", "-", *self.offline())
        p.stdin.write(ERROR_LINES)
        p.stdin.flush()
        self.wait_until_read(p, len(ERROR_LINES))
        p.send_signal(signal.SIGTERM)
        p.wait(timeout=30)
        _, err = p.communicate(timeout=60)
        self.assertEqual(p.returncode, 128 + signal.SIGTERM, err)
        self.assertTrue(self.report()["partial"])


class interrupt_llm(cli_case):
    """SIGINT while the analyser waits for a slow LLM: in-flight calls are cancelled, the report is partial."""

    def test_sigint_during_slow_llm_call(self):
        if not FAKE_LLM:
            self.skipTest("loglens_fake_llm is not built in this tree (tests/support); nothing to talk to")
        fake = subprocess.Popen([FAKE_LLM, "--port", "0", "--mode", "ollama", "--fault", "slow"],
                                stdout=subprocess.PIPE, text=True)
        try:
            port = int(fake.stdout.readline().strip())
            log = self.write("in/app.log", ERROR_LINES + "2025-11-03T20:36:50Z ERROR disk full on /data\n")
            p = subprocess.Popen([LOGLENS, "analyze", "in", "--backend", "ollama", "--url",
                                  f"http://127.0.0.1:{port}", "--timeout", "600", "--retries", "0", "--no-cache"],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=self.env,
                                 cwd=self.dir)
            self.wait_until_read(p, log.stat().st_size)
            time.sleep(1.0)  # the first call is now waiting on the slow server
            started = time.monotonic()
            p.send_signal(signal.SIGINT)
            out, err = p.communicate(timeout=60)
            self.assertLess(time.monotonic() - started, 30, "the slow call was cancelled, not waited for")
            self.assertEqual(p.returncode, 130, err)
            rep = self.report()
            self.assertTrue(rep["partial"])
            self.assertGreaterEqual(len(rep["problems"]), 1, "every group read is still in the report")
        finally:
            fake.kill()
            fake.wait()


class llm(cli_case):
    """The analyser against the loopback fake server (tests/support): auto picks it, answers are cached."""

    def fake(self, *args):
        if not FAKE_LLM:
            self.skipTest("loglens_fake_llm is not built in this tree (tests/support)")
        f = subprocess.Popen([FAKE_LLM, "--port", "0", *args], stdout=subprocess.PIPE, text=True)
        self.addCleanup(lambda: (f.kill(), f.wait()))
        return int(f.stdout.readline().strip())

    def test_auto_uses_the_llm_and_caches_answers(self):
        port = self.fake("--mode", "ollama")
        self.write("in/app.log", ERROR_LINES)
        r = self.run_cli("analyze", "in", "--url", f"http://127.0.0.1:{port}", "--lang", "en")
        self.assertExit(r, 0)
        self.assertNotIn("offline", r.stderr)
        first = self.report()
        self.assertEqual(first["llm"]["backend"], "ollama")
        self.assertGreaterEqual(first["llm"]["calls"], 1)
        self.assertIn("llm", {p["analysis"]["source"] for p in first["problems"]})
        r = self.run_cli("analyze", "in", "--url", f"http://127.0.0.1:{port}", "--lang", "en")
        self.assertExit(r, 0)
        second = self.report()
        self.assertEqual(second["llm"]["calls"], 0, "the second run over the same logs is answered by the cache")
        # every analysis and every triage verdict of the first run comes from the cache now
        self.assertGreaterEqual(second["llm"]["cache_hits"], first["llm"]["calls"] - first["llm"]["triage"]["calls"])
        self.assertEqual(second["llm"]["triage"]["cache_hits"], first["llm"]["triage"]["asked"])
        self.assertEqual(second["llm"]["triage"]["calls"], 0)
        r = self.run_cli("analyze", "in", "--url", f"http://127.0.0.1:{port}", "--lang", "en", "--no-cache")
        self.assertExit(r, 0)
        self.assertGreaterEqual(self.report()["llm"]["calls"], 1, "--no-cache asks again")

    def test_cache_files_are_private_unless_chosen_otherwise(self):
        port = self.fake("--mode", "ollama")
        self.write("in/app.log", ERROR_LINES)
        r = self.run_cli("analyze", "in", "--url", f"http://127.0.0.1:{port}")
        self.assertExit(r, 0)
        cache = self.dir / "cache" / "loglens"
        files = list(cache.iterdir())
        self.assertGreaterEqual(len(files), 1)
        self.assertEqual(os.stat(self.dir / "cache").st_mode & 0o777, 0o700)
        self.assertEqual(os.stat(cache).st_mode & 0o777, 0o700)
        for f in files:
            self.assertEqual(os.stat(f).st_mode & 0o777, 0o600, f.name)
        self.write("in/other.log", "2025-11-03T20:36:40Z ERROR disk full on /data\n")
        r = self.run_cli("analyze", "in", "--url", f"http://127.0.0.1:{port}", "--file-mode", "0640")
        self.assertExit(r, 0)
        self.assertIn(0o640, {os.stat(f).st_mode & 0o777 for f in cache.iterdir()}, "the new answer follows --file-mode")

    def test_openai_backend(self):
        port = self.fake("--mode", "openai")
        r = self.run_cli("analyze", "-", "--backend", "openai", "--url", f"http://127.0.0.1:{port}", "--no-cache",
                         stdin=ERROR_LINES)
        self.assertExit(r, 0)
        self.assertEqual(self.report()["llm"]["backend"], "openai")
        self.assertGreaterEqual(self.report()["llm"]["calls"], 1)

    def test_triage_flags_what_the_rules_let_go(self):
        port = self.fake("--mode", "ollama", "--triage-flag", "shard")
        lines = ERROR_LINES + "2025-11-03T20:36:43Z INFO shard map generation 7 published without replica 3\n"
        r = self.run_cli("analyze", "-", "--url", f"http://127.0.0.1:{port}", "--lang", "en", "--no-cache", stdin=lines)
        self.assertExit(r, 0)
        rep = self.report()
        t = rep["llm"]["triage"]
        self.assertEqual((t["candidates"], t["asked"], t["calls"], t["flagged"], t["error"]), (2, 2, 1, 1, ""))
        flagged = [p for p in rep["problems"] if p["analysis"]["flagged_by_llm"]]
        self.assertEqual(len(flagged), 1, [p["template"] for p in rep["problems"]])
        self.assertIn("shard map", flagged[0]["template"])
        self.assertIn("flagged by the LLM", flagged[0]["analysis"]["reason"])
        self.assertIn("triage: 1 flagged of 2", r.stdout)
        md = (self.dir / "reports" / "log_analysis_report.md").read_text()
        self.assertIn("flagged by the LLM", md)
        self.assertIn("LLM calls: 1, flagged as problems: 1", md)
        self.assertNotIn("heartbeat ok", [p["template"] for p in rep["problems"]], "what the LLM did not flag stays below")
        # --triage-calls 0 turns the triage off: the line stays below the threshold, as without an LLM
        r = self.run_cli("analyze", "-", "--url", f"http://127.0.0.1:{port}", "--lang", "en", "--no-cache",
                         "--triage-calls", "0", stdin=lines)
        self.assertExit(r, 0)
        rep = self.report()
        self.assertEqual(rep["llm"]["triage"]["flagged"], 0)
        self.assertEqual(rep["llm"]["triage"]["candidates"], 0)
        self.assertEqual(rep["llm"]["triage"]["error"], "")
        self.assertFalse(any(p["analysis"]["flagged_by_llm"] for p in rep["problems"]))

    def test_model_not_pulled_is_exit_4(self):
        port = self.fake("--mode", "ollama")
        r = self.run_cli("analyze", "-", "--backend", "ollama", "--url", f"http://127.0.0.1:{port}",
                         "--model", "no-such-model:7b", stdin=ERROR_LINES)
        self.assertExit(r, 4)
        self.assertIn("no-such-model", r.stderr)


class llm_preflight(cli_case):
    """What a real llama.cpp llama-server taught (issue 14), against the fake in its llama.cpp mode."""

    fake = llm.fake

    MESSAGES = ["disk quota exceeded on volume", "scheduler heartbeat lost", "broker refused the task",
                "executor ran out of memory", "worker registration timed out", "bucket policy denied write",
                "checkpoint file is corrupt", "certificate chain expired yesterday"]

    def groups(self, n):
        """`n` entries the template miner keeps apart: no two share a shape."""
        return "".join(f"2025-11-03T20:36:{i:02d}Z ERROR {m}\n" for i, m in enumerate(self.MESSAGES[:n]))

    def test_wrong_base_url_is_exit_4_with_the_hint(self):
        port = self.fake("--mode", "llama")
        r = self.run_cli("analyze", "-", "--backend", "openai", "--url", f"http://127.0.0.1:{port}/api",
                         stdin=ERROR_LINES)
        self.assertExit(r, 4)
        self.assertIn("is this the base URL? drop or add", r.stderr)

    def test_base_url_with_v1_as_the_sdks_want_it(self):
        port = self.fake("--mode", "llama")
        r = self.run_cli("analyze", "-", "--backend", "openai", "--no-cache", stdin=ERROR_LINES,
                         env={"OPENAI_BASE_URL": f"http://127.0.0.1:{port}/v1"})
        self.assertExit(r, 0)
        llm_block = self.report()["llm"]
        self.assertGreaterEqual(llm_block["calls"], 1)
        self.assertEqual(llm_block["failures"], 0)

    def test_wrong_key_is_exit_4_naming_the_variable(self):
        port = self.fake("--mode", "llama", "--api-key", "right")
        for env, says in [({"OPENAI_API_KEY": "wrong"}, "the key in OPENAI_API_KEY was refused"), ({}, "set OPENAI_API_KEY")]:
            with self.subTest(env=env):
                r = self.run_cli("analyze", "-", "--backend", "openai", "--url", f"http://127.0.0.1:{port}",
                                 stdin=ERROR_LINES, env=env)
                self.assertExit(r, 4)
                self.assertIn(says, r.stderr)
        r = self.run_cli("analyze", "-", "--backend", "openai", "--url", f"http://127.0.0.1:{port}", "--no-cache",
                         stdin=ERROR_LINES, env={"OPENAI_API_KEY": "right"})
        self.assertExit(r, 0)

    def test_auto_says_which_api_it_found(self):
        port = self.fake("--mode", "llama", "--n-ctx", "2048")
        r = self.run_cli("analyze", "-", "--url", f"http://127.0.0.1:{port}", "--no-cache", "--lang", "en",
                         stdin=ERROR_LINES)
        self.assertExit(r, 0)
        self.assertIn("found the OpenAI-compatible server", r.stderr)
        rep = self.report()
        self.assertEqual(rep["llm"]["backend"], "openai")
        self.assertEqual(rep["llm"]["num_ctx"], 2048)

    def test_summary_ends_with_the_llm_outcome_and_its_cause(self):
        port = self.fake("--mode", "llama", "--api-key", "right")
        r = self.run_cli("analyze", "-", "--url", f"http://127.0.0.1:{port}", "--lang", "en", stdin=ERROR_LINES)
        self.assertExit(r, 0)  # auto: offline, and the summary says why, whole
        tail = " ".join(l.strip() for l in r.stdout.splitlines()[-4:])
        self.assertIn("LLM: offline", tail)
        self.assertIn("set OPENAI_API_KEY", tail)
        self.assertTrue(r.stdout.rstrip().endswith("hides this)"), r.stdout)
        self.assertTrue(all(len(l) <= 100 for l in r.stdout.splitlines()))

    def test_urls_with_control_characters_or_bad_ports_are_refused(self):
        cases = [(["--url", "http://127.0.0.1:1/\r\nX-Injected: 1"], {}, "--url"),
                 (["--url", "http://127.0.0.1:99999"], {}, "--url"),
                 ([], {"OLLAMA_BASE_URL": "http://h:1\nX: y"}, "OLLAMA_BASE_URL (from environment)")]
        for args, env, names in cases:
            with self.subTest(args=args, env=env):
                r = self.run_cli("analyze", "-", *args, stdin=ERROR_LINES, env=env)
                self.assertExit(r, 2)
                self.assertIn(names, r.stderr)
                self.assertNotIn("\r", r.stderr)
        self.write(".env", 'OLLAMA_BASE_URL="http://h:1/\\r\\nX: y"\n')
        r = self.run_cli("analyze", "-", stdin=ERROR_LINES)
        self.assertExit(r, 2)
        self.assertIn("OLLAMA_BASE_URL (from .env line 1)", r.stderr)
        self.assertIn("control character", r.stderr)

    def test_circuit_breaker_one_line_and_counted(self):
        port = self.fake("--mode", "ollama", "--die-after", "1")
        r = self.run_cli("analyze", "-", "--backend", "ollama", "--url", f"http://127.0.0.1:{port}", "--no-cache",
                         "--retries", "5", stdin=self.groups(8))
        self.assertExit(r, 0)
        lines = [l for l in r.stderr.splitlines() if "consecutive connection failures" in l]
        self.assertEqual(len(lines), 1, r.stderr)
        self.assertIn("not analysed by the LLM", lines[0])
        rep = self.report()
        self.assertEqual(len(rep["problems"]), 8)
        self.assertGreaterEqual(rep["llm"]["not_analysed"], 1)
        self.assertEqual(len(rep["llm"]["not_analysed_groups"]), rep["llm"]["not_analysed"])

    def test_https_verified_against_the_ca_or_insecure_by_choice(self):
        cert = self.dir / "ca.pem"
        port = self.fake("--mode", "llama", "--tls", str(cert))
        url = f"https://localhost:{port}"
        r = self.run_cli("analyze", "-", "--backend", "openai", "--url", url, stdin=ERROR_LINES)
        self.assertExit(r, 4)
        self.assertIn("certificate verify failed", r.stderr)
        r = self.run_cli("analyze", "-", "--backend", "openai", "--url", url, "--no-cache", stdin=ERROR_LINES,
                         env={"SSL_CERT_FILE": str(cert)})
        self.assertExit(r, 0)
        r = self.run_cli("analyze", "-", "--backend", "openai", "--url", url, "--insecure", "--no-cache",
                         stdin=ERROR_LINES)
        self.assertExit(r, 0)
class secrets(cli_case):
    """The planted-secret corpus (tests/data/secrets: 41 kinds, each in two or more layouts of Airflow, Celery,
    MinIO, Spark, Redis and Postgres, single lines, JSON lines and continuation lines) through the whole CLI and
    the loopback fake LLM: no secret reaches the server, a report, the terminal, the answer cache or `templates`."""

    def planted(self):
        data = SOURCE / "tests" / "data" / "secrets"
        kinds = [tuple(l.split("\t")) for l in (data / "secrets.tsv").read_text().splitlines()
                 if l and not l.startswith("#")]
        return data / "planted.log", kinds

    @staticmethod
    def forms(secret):
        """The secret as written, and as a JSON or HTML writer would escape it."""
        return {secret, json.dumps(secret)[1:-1], html.escape(secret), html.escape(secret, quote=False)}

    def files_text(self, folder):
        return "\n".join(p.read_bytes().decode("utf-8", "replace") for p in sorted(Path(folder).rglob("*"))
                         if p.is_file())

    def test_no_secret_leaves_the_process(self):
        if not FAKE_LLM:
            self.skipTest("loglens_fake_llm is not built in this tree (tests/support)")
        log, kinds = self.planted()
        self.assertGreaterEqual(len(kinds), 30)
        record = self.dir / "requests.txt"
        fake = subprocess.Popen([FAKE_LLM, "--port", "0", "--mode", "ollama", "--record", str(record)],
                                stdout=subprocess.PIPE, text=True)
        self.addCleanup(lambda: (fake.kill(), fake.wait()))
        url = f"http://127.0.0.1:{int(fake.stdout.readline().strip())}"
        first = self.run_cli("analyze", log, "--url", url, "--lang", "en", "--out", "reports")
        self.assertExit(first, 0)
        again = self.run_cli("analyze", log, "--url", url, "--lang", "en", "--out", "reports2")  # from the cache
        self.assertExit(again, 0)
        tpl = self.run_cli("templates", log)
        self.assertExit(tpl, 0)
        rep = self.report()
        self.assertGreaterEqual(rep["llm"]["calls"], 1)
        self.assertGreaterEqual(self.report("reports2")["llm"]["cache_hits"], 1)
        prompts = record.read_text()
        self.assertIn("POST /api/chat", prompts)
        cache = self.files_text(self.dir / "cache")
        self.assertTrue(cache, "the answers were cached")
        where = {"the prompts the server received": prompts,
                 "the report files": self.files_text(self.dir / "reports") + self.files_text(self.dir / "reports2"),
                 "the terminal": first.stdout + first.stderr + again.stdout + again.stderr,
                 "the cache folder": cache,
                 "the templates output": tpl.stdout + tpl.stderr}
        for kind, secret in kinds:
            with self.subTest(kind=kind):
                for name, text in where.items():
                    for form in self.forms(secret):
                        self.assertNotIn(form, text, f"{kind} leaked into {name}")
        self.assertGreaterEqual(sum(rep["stats"]["redactions"].values()), len(kinds))

    def test_the_corpus_would_leak_without_redaction(self):
        """So that the test above can fail: with --no-redact every planted secret reaches the reports."""
        log, kinds = self.planted()
        r = self.run_cli("analyze", log, "--backend", "none", "--no-redact", "--lang", "en", "--out", "raw")
        self.assertExit(r, 0)
        self.assertIn("--no-redact", r.stderr)
        shown = self.files_text(self.dir / "raw")
        for kind, secret in kinds:
            with self.subTest(kind=kind):
                self.assertTrue(any(f in shown for f in self.forms(secret)), f"the corpus shows {kind} in a report")
        self.assertEqual(self.read_report(self.dir / "raw" / "log_analysis_report.json")["stats"]["redactions"], {})
        t = self.run_cli("templates", log, "--no-redact")
        self.assertExit(t, 0)
        self.assertIn("--no-redact", t.stderr)


class incident_llm(cli_case):
    """Each incident of several problems gets one LLM call (a llama.cpp-like fake server); invalid answers keep
    the summary from the causal knowledge, and the reports say which is shown."""

    def fake(self, *extra):
        fake = subprocess.Popen([FAKE_LLM, "--port", "0", "--mode", "llama", "--model", "tiny.gguf", *extra],
                                stdout=subprocess.PIPE, text=True)
        self.addCleanup(lambda: (fake.kill(), fake.wait()))
        return f"http://127.0.0.1:{int(fake.stdout.readline().strip())}/v1"

    def analyze(self, url, out, *extra):
        r = self.run_cli("analyze", SOURCE / "examples" / "logs", "--backend", "openai", "--url", url,
                         "--model", "tiny.gguf", "--lang", "en", "--out", out, *extra)
        self.assertExit(r, 0)
        rep = self.report(out)
        self.assertEqual(rep["schema_version"], 4)
        return r, rep, [i for i in rep["incidents"] if len(i["members"]) > 1]

    def test_llm_summaries_and_their_fallback(self):
        if not FAKE_LLM:
            self.skipTest("loglens_fake_llm is not built in this tree (tests/support)")
        r, rep, multi = self.analyze(self.fake(), "good")
        self.assertGreaterEqual(len(multi), 3)
        self.assertEqual(rep["llm"]["incident_answers"], len(multi))
        for inc in multi:
            members = {m["problem"] for m in inc["members"]}
            self.assertEqual(inc["summary_source"], "llm")
            self.assertEqual(inc["summary"], "fake incident summary")
            self.assertIsNone(inc["llm_error"])
            self.assertTrue(inc["fix_steps"])
            self.assertTrue({s["problem"] for s in inc["fix_steps"]} <= members)
        md = (self.dir / "good" / "log_analysis_report.md").read_text()
        self.assertIn("**Summary (LLM):** fake incident summary", md)
        self.assertIn("fake incident root cause", (self.dir / "good" / "log_analysis_report.html").read_text())
        self.assertIn(f"incidents: {len(multi)}/{len(multi)}", " ".join((r.stdout + r.stderr).split()))

        bad = '{"summary":"s","root_cause":"r","fix_steps":[{"problem":"0123456789ab","action":"x"}]}'
        r2, rep2, multi2 = self.analyze(self.fake("--incident-answer", bad), "bad", "--no-cache")
        self.assertEqual(rep2["llm"]["incident_failures"], len(multi2))
        for inc in multi2:
            self.assertEqual(inc["summary_source"], "knowledge_base")
            self.assertIn("is not a problem of this incident", inc["llm_error"])
            self.assertNotIn("fake", inc["summary"])
        self.assertIn("**LLM summary:**", (self.dir / "bad" / "log_analysis_report.md").read_text())

    def test_incident_calls_bound_how_many_are_asked(self):
        if not FAKE_LLM:
            self.skipTest("loglens_fake_llm is not built in this tree (tests/support)")
        url = self.fake()
        _, rep, multi = self.analyze(url, "one", "--no-cache", "--incident-calls", "1")
        self.assertGreaterEqual(len(multi), 3)
        self.assertEqual(rep["llm"]["incident_answers"], 1)
        self.assertEqual([i["summary_source"] for i in multi].count("llm"), 1)
        for inc in multi:
            if inc["summary_source"] != "llm":
                self.assertIn("only the first 1 incidents", inc["llm_error"])
        _, rep0, multi0 = self.analyze(url, "none", "--no-cache", "--incident-calls", "0")
        self.assertEqual(rep0["llm"]["incident_answers"], 0)
        self.assertTrue(all(i["summary_source"] == "knowledge_base" for i in multi0))
        r = self.run_cli("analyze", SOURCE / "examples" / "logs", "--backend", "none", "--incident-calls", "-1")
        self.assertExit(r, 2)
        self.assertIn("--incident-calls", r.stderr)


class custom_pipeline(cli_case):
    """examples/custom_pipeline.cpp, as the README shows it: an in-house format through the library's stages."""

    def test_in_house_format(self):
        if not CUSTOM:
            self.skipTest("the custom_pipeline example is not built")
        text = ("2025-11-03 20:36:40|billing|ERROR|payment provider timeout after 30s\n"
                "2025-11-03 20:36:41|billing|ERROR|payment provider timeout after 30s\n"
                "not an in-house line\n"
                "2025-11-03 20:37:00|auth|WARN|token refresh slow\n")
        r = subprocess.run([CUSTOM], input=text, capture_output=True, text=True, cwd=self.dir, timeout=60)
        self.assertExit(r, 0)
        rep = self.read_report(self.dir / "custom-reports/log_analysis_report.json")
        self.assertEqual(rep["stats"]["skipped"], {"not-pipe-format": 1})
        by_service = {p["service"]: p for p in rep["problems"]}
        self.assertEqual(by_service["billing"]["count"], 2)
        self.assertEqual(by_service["billing"]["first_seen"][:19], "2025-11-03T20:36:40")
        self.assertEqual(by_service["auth"]["severity"], "warning")


class example(cli_case):
    """The README's main command on the bundled logs: the report names the problems an SRE would look for."""

    def test_example_logs(self):
        logs = SOURCE / "examples" / "logs"
        r = self.run_cli("analyze", logs, *self.offline(), "--lang", "en", "--out", "reports")
        self.assertExit(r, 0)
        rep = self.report()
        self.assertGreater(rep["stats"]["lines"], 200)
        self.assertEqual(sorted(Path(i["path"]).name for i in rep["inputs"]),
                         sorted(p.name for p in logs.iterdir() if p.suffix in (".log", ".txt")))
        body = json.dumps(rep)
        logs_text = "".join(p.read_text() for p in logs.glob("*.log"))
        for secret in ["airflow_pw_8Hq2", "redis-pass-4Lm1"]:
            self.assertIn(secret, logs_text)
            self.assertNotIn(secret, body, "secrets in the example logs are redacted")
        services = {p["service"] for p in rep["problems"]}
        for svc in ["airflow-scheduler", "spark-worker", "redis", "minio"]:
            self.assertTrue(any(s.startswith(svc) for s in services), f"{svc} in {services}")
        # the offline knowledge base names each failure the logs were written to show
        found = {p["analysis"]["signature"] for p in rep["problems"]}
        for sig in ["airflow.dag-import-missing-module", "airflow.dag-import-syntax-error",
                    "airflow.metadata-db-auth-failed", "airflow.invalid-fernet-key", "airflow.logs-permission-denied",
                    "spark.no-resources", "spark.executor-lost", "spark.java-heap-oom", "spark.master-unreachable",
                    "redis.misconf", "redis.bgsave-fork-failed", "redis.overcommit-memory-warning",
                    "minio.storage-full", "minio.default-credentials"]:
            self.assertIn(sig, found)
        self.assertEqual({p["analysis"]["signature"] for p in rep["noise"]}, {"spark.native-hadoop-warning"},
                         "the native-hadoop warning is known noise, kept apart from problems")
        order = ["info", "warning", "minor", "major", "critical"]
        ranks = [order.index(p["classification"]) for p in rep["problems"]]
        self.assertEqual(ranks, sorted(ranks, reverse=True), "most urgent first")
        text = body.lower()
        for needle in ["outofmemoryerror", "initial job has not accepted any resources", "misconf",
                       "invalidtoken", "modulenotfounderror"]:
            self.assertIn(needle, text)


def timed_lines(counts):
    """`counts[name]` ERROR lines of problem `name`, spread over the same hour in every run."""
    lines = []
    for name, n in counts.items():
        for i in range(n):
            sec = (i + 1) * 3599 // (n + 1)
            lines.append((sec, f"2025-11-03T20:{sec // 60:02d}:{sec % 60:02d}Z ERROR {name} after {i * 37 % 1000} ms\n"))
    lines += [(0, "2025-11-03T20:00:00Z WARNING heartbeat tick missed\n"),
              (3599, "2025-11-03T20:59:59Z WARNING heartbeat tick missed\n")]
    return "".join(l for _, l in sorted(lines))


class baseline(cli_case):
    OLD = {"disk quota exceeded on volume": 12, "lease renewal failed for worker": 20,
           "checkpoint upload rejected by storage": 15}
    NEW = {"disk quota exceeded on volume": 14, "lease renewal failed for worker": 90,
           "certificate verification failed for broker": 3}

    def run_pair(self, *extra):
        r = self.run_cli("analyze", "-", *self.offline(), "--out", "old", "--format", "json", stdin=timed_lines(self.OLD))
        self.assertExit(r, 0)
        base = self.dir / "base.json"
        base.write_text((self.dir / "old/log_analysis_report.json").read_text())
        return self.run_cli("analyze", "-", *self.offline(), "--baseline", base, "--out", "new", *extra,
                            stdin=timed_lines(self.NEW))

    def test_analyze_with_baseline_marks_each_problem(self):
        r = self.run_pair()
        self.assertExit(r, 0)
        rep = self.read_report(self.dir / "new/log_analysis_report.json")
        change = {p["template"].split(" after")[0]: p["change"] for p in rep["problems"]}
        self.assertEqual(change, {"disk quota exceeded on volume": "recurring",
                                  "lease renewal failed for worker": "spiking",
                                  "certificate verification failed for broker": "new",
                                  "heartbeat tick missed": "recurring"})
        self.assertEqual([p["template"].split(" after")[0] for p in rep["gone"]], ["checkpoint upload rejected by storage"])
        self.assertEqual(rep["gone"][0]["change"], "gone")
        b = rep["baseline"]
        self.assertEqual((b["new"], b["spiking"], b["calmer"], b["gone"], b["recurring"]), (1, 1, 0, 1, 2))
        # what is new leads: the summary on stdout and the Markdown report
        self.assertTrue(r.stdout.startswith("since "), r.stdout)
        self.assertIn("1 new, 1 spiking, 0 calmer, 1 gone, 2 recurring", r.stdout)
        md = (self.dir / "new/log_analysis_report.md").read_text()
        self.assertLess(md.index("- **new**"), md.index("####"))
        html = (self.dir / "new/log_analysis_report.html").read_text()
        self.assertLess(html.index("С момента базового запуска"), html.index("<article"))
        # no baseline: no change
        plain = self.read_report(self.dir / "old/log_analysis_report.json")
        self.assertIsNone(plain["baseline"])
        self.assertTrue(all(p["change"] is None for p in plain["problems"]))

    def test_fail_on_new_gates_only_new_trouble(self):
        self.assertExit(self.run_pair("--fail-on", "new"), 1)
        r = self.run_pair("--fail-on", "new", "--quiet")
        self.assertExit(r, 1)
        self.assertEqual(r.stderr, "")
        rep = self.read_report(self.dir / "new/log_analysis_report.json")
        order = ["info", "warning", "minor", "major", "critical"]
        new_cls = next(p["classification"] for p in rep["problems"] if p["change"] == "new")
        self.assertExit(self.run_pair("--fail-on", f"new:{new_cls}"), 1)
        if new_cls != "critical":
            self.assertExit(self.run_pair("--fail-on", f"new:{order[order.index(new_cls) + 1]}"), 0)
        # the same input as the baseline: nothing new, the gate stays open
        r = self.run_cli("analyze", "-", *self.offline(), "--out", "old", stdin=timed_lines(self.OLD))
        same = self.dir / "same.json"
        same.write_text((self.dir / "old/log_analysis_report.json").read_text())
        r = self.run_cli("analyze", "-", *self.offline(), "--baseline", same, "--fail-on", "new", stdin=timed_lines(self.OLD))
        self.assertExit(r, 0)
        r = self.run_cli("analyze", "-", *self.offline(), "--fail-on", "new", stdin=timed_lines(self.OLD))
        self.assertExit(r, 2)
        self.assertIn("--baseline", r.stderr)

    def test_diff_of_two_reports(self):
        self.assertExit(self.run_pair(), 0)
        new = self.dir / "new/log_analysis_report.json"
        r = self.run_cli("diff", self.dir / "base.json", new, "--json", "d.json")
        self.assertExit(r, 0)
        self.assertIn("1 new, 1 spiking, 0 calmer, 1 gone", r.stdout)
        self.assertIn("new  [", r.stdout)
        self.assertIn("gone  [", r.stdout)
        d = self.read_report(self.dir / "d.json")
        self.assertEqual(sorted(p["change"] for p in d["problems"]), ["new", "recurring", "recurring", "spiking"])
        self.assertExit(self.run_cli("diff", self.dir / "base.json", new, "--fail-on", "new"), 1)
        self.assertExit(self.run_cli("diff", new, new, "--fail-on", "new"), 0)
        self.assertExit(self.run_cli("diff", new), 2)

    def test_merge_of_hosts_equals_the_whole(self):
        # two hosts (replicas) each see part of the events; the merge is the report of both together
        a = {"disk quota exceeded on volume": 12, "lease renewal failed for worker": 20}
        b = {"disk quota exceeded on volume": 5, "checkpoint upload rejected by storage": 15}
        for name, counts in (("a", a), ("b", b)):
            self.assertExit(self.run_cli("analyze", "-", *self.offline(), "--out", name, "--format", "json",
                                         stdin=timed_lines(counts)), 0)
        ra, rb = (self.dir / f"{n}/log_analysis_report.json" for n in "ab")
        r = self.run_cli("merge", ra, rb, "-o", "all.json")
        self.assertExit(r, 0)
        self.assertIn("merged 2 reports", r.stdout)
        merged = self.read_report(self.dir / "all.json")
        counts = {p["template"].split(" after")[0]: p["count"] for p in merged["problems"]}
        self.assertEqual(counts, {"disk quota exceeded on volume": 17, "lease renewal failed for worker": 20,
                                  "checkpoint upload rejected by storage": 15, "heartbeat tick missed": 4})
        self.assertExit(self.run_cli("merge", rb, ra, "-o", "ba.json"), 0)
        self.assertEqual((self.dir / "all.json").read_text(), (self.dir / "ba.json").read_text(), "order-free")
        self.assertExit(self.run_cli("merge", ra), 2)  # -o is required
        self.assertExit(self.run_cli("merge", ra, self.write("bad.json", "{}"), "-o", "x.json"), 3)

    def test_baselines_that_cannot_be_compared_say_why(self):
        future = self.write("future.json", json.dumps({"schema_version": 99, "problems": []}))
        r = self.run_cli("analyze", "-", *self.offline(), "--baseline", future, stdin=ERROR_LINES)
        self.assertExit(r, 3)
        self.assertIn("future.json", r.stderr)
        self.assertIn("schema_version 99", r.stderr)
        self.assertFalse((self.dir / "reports").exists(), "refused before the run")
        v1 = SOURCE / "tests/data/report/schema_v1_report.json"
        r = self.run_cli("diff", v1, v1)
        self.assertExit(r, 3)
        self.assertIn("schema_version 1", r.stderr)
        self.assertIn("write it again", r.stderr)
        r = self.run_cli("diff", self.write("x.json", "not json"), v1)
        self.assertExit(r, 3)
        self.assertIn("x.json: not a JSON document", r.stderr)
        # a baseline in another language still compares: ids do not depend on the language
        r = self.run_cli("analyze", "-", *self.offline(), "--lang", "en", "--out", "en", stdin=timed_lines(self.OLD))
        self.assertExit(r, 0)
        r = self.run_cli("analyze", "-", *self.offline(), "--lang", "ru", "--baseline", self.dir / "en/log_analysis_report.json",
                         "--fail-on", "new", stdin=timed_lines(self.OLD))
        self.assertExit(r, 0)


def main():
    global LOGLENS, SOURCE, FAKE_LLM, CUSTOM, VALIDATOR
    ap = argparse.ArgumentParser()
    ap.add_argument("--loglens", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--fake-llm", default="")
    ap.add_argument("--custom-pipeline", default="")
    ap.add_argument("--validator", default="", help="loglens_validate_report, to check every JSON report read")
    ap.add_argument("group", nargs="?")
    a, rest = ap.parse_known_args()
    LOGLENS, SOURCE, FAKE_LLM = str(Path(a.loglens).resolve()), Path(a.source).resolve(), a.fake_llm
    CUSTOM = a.custom_pipeline
    VALIDATOR = a.validator
    loader = unittest.defaultTestLoader
    suite = loader.loadTestsFromTestCase(globals()[a.group]) if a.group else loader.loadTestsFromModule(
        sys.modules[__name__])
    return run_suite(suite)


def run_suite(suite):
    """Runs `suite`; the exit status for ctest: 1 on a failure, 77 when every test was skipped, else 0."""
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    if not result.wasSuccessful():
        return 1
    if result.testsRun and len(result.skipped) == result.testsRun:
        return 77
    return 0


if __name__ == "__main__":
    sys.exit(main())
