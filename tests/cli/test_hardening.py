#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""End-to-end tests of `loglens` against hostile surroundings: planted links, shared folders, traps posing as
`.env`, file names with terminal escapes, repeated signals, unreadable files among readable ones.

usage: test_hardening.py --loglens PATH --source DIR [--validator PATH] [GROUP]
It reuses the helpers of test_cli.py (same folder). Exit status 77 means every test was skipped.
"""
import os
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_cli  # noqa: E402
from test_cli import ERROR_LINES, cli_case  # noqa: E402

ESC_TITLE = "\x1b]0;pwned\x07"  # OSC 0: would retitle the terminal window
RLO = "\u202e"  # right-to-left override: would show `gol.txt` as `txt.log`


def mode(p):
    return stat.S_IMODE(os.lstat(p).st_mode)


def no_umask():
    os.umask(0)


class safe_writes(cli_case):
    def test_planted_temporary_links_are_never_written_through(self):
        victim = self.write("victim.txt", "precious\n")
        out = self.dir / "reports"
        out.mkdir()
        for ext in ("json", "md", "html"):
            (out / f"log_analysis_report.{ext}.tmp").symlink_to(victim)
        r = self.run_cli("analyze", "-", "--backend", "none", stdin=ERROR_LINES)
        self.assertExit(r, 0)
        self.assertEqual(victim.read_text(), "precious\n")
        self.assertEqual(self.report()["stats"]["lines"], 3)
        for ext in ("json", "md", "html"):
            self.assertTrue((out / f"log_analysis_report.{ext}.tmp").is_symlink(), "the planted link is left alone")
        self.assertEqual(sorted(p.name for p in out.iterdir() if not p.name.endswith(".tmp")),
                         ["log_analysis_report.html", "log_analysis_report.json", "log_analysis_report.md"],
                         "no temporary file is left behind")

    def test_a_link_in_place_of_the_report_is_replaced_not_followed(self):
        victim = self.write("victim.txt", "precious\n")
        out = self.dir / "reports"
        out.mkdir()
        (out / "log_analysis_report.json").symlink_to(victim)
        r = self.run_cli("analyze", "-", "--backend", "none", "--format", "json", stdin=ERROR_LINES)
        self.assertExit(r, 0)
        self.assertEqual(victim.read_text(), "precious\n")
        self.assertFalse((out / "log_analysis_report.json").is_symlink())
        self.assertEqual(self.report()["stats"]["lines"], 3)

    def test_reports_are_private_whatever_the_umask(self):
        r = subprocess.run([test_cli.LOGLENS, "analyze", "-", "--backend", "none", "--out", "a/b/reports"],
                           input=ERROR_LINES, capture_output=True, text=True, env=self.env, cwd=self.dir,
                           timeout=120, preexec_fn=no_umask)
        self.assertExit(r, 0)
        for folder in ("a", "a/b", "a/b/reports"):
            self.assertEqual(mode(self.dir / folder), 0o700, folder)
        files = list((self.dir / "a/b/reports").iterdir())
        self.assertEqual(len(files), 3)
        for f in files:
            self.assertEqual(mode(f), 0o600, f.name)

    def test_file_mode_is_the_users_choice(self):
        r = subprocess.run([test_cli.LOGLENS, "analyze", "-", "--backend", "none", "--file-mode", "0644",
                            "--out", "shared/reports"], input=ERROR_LINES, capture_output=True, text=True,
                           env=self.env, cwd=self.dir, timeout=120, preexec_fn=lambda: os.umask(0o077))
        self.assertExit(r, 0)
        self.assertEqual(mode(self.dir / "shared/reports"), 0o755)
        for f in (self.dir / "shared/reports").iterdir():
            self.assertEqual(mode(f), 0o644, f.name)
        r = self.run_cli("analyze", "-", "--backend", "none", env={"LOGLENS_FILE_MODE": "0640"}, stdin=ERROR_LINES)
        self.assertExit(r, 0)
        self.assertEqual(mode(self.dir / "reports" / "log_analysis_report.json"), 0o640)
        for bad in ("0400", "9", "01777", "rw"):
            r = self.run_cli("analyze", "-", "--backend", "none", "--file-mode", bad, stdin=ERROR_LINES)
            self.assertExit(r, 2)
            self.assertIn("--file-mode", r.stderr)


class strict_config(cli_case):
    def run_with_dotenv(self, make):
        make(self.dir / ".env")
        started = time.monotonic()
        r = self.run_cli("analyze", "-", "--backend", "none", stdin=ERROR_LINES, timeout=30)
        self.assertLess(time.monotonic() - started, 20, "a trap posing as .env does not hang the run")
        self.assertExit(r, 2)
        self.assertIn(".env", r.stderr)
        self.assertFalse((self.dir / "reports").exists())
        return r

    def test_fifo_dotenv_is_refused_at_once(self):
        r = self.run_with_dotenv(os.mkfifo)
        self.assertIn("named pipe", r.stderr)

    def test_dev_zero_dotenv_is_refused(self):
        r = self.run_with_dotenv(lambda p: p.symlink_to("/dev/zero"))
        self.assertIn("device", r.stderr)

    def test_folder_dotenv_is_refused(self):
        r = self.run_with_dotenv(lambda p: p.mkdir())
        self.assertIn("folder", r.stderr)

    def test_huge_dotenv_is_refused(self):
        r = self.run_with_dotenv(lambda p: p.write_text("# padding\n" * 7000 + "OLLAMA_MODEL=x\n"))
        self.assertIn("64 KiB", r.stderr)

    def test_dotenv_linked_to_a_regular_file_is_read(self):
        self.write("settings.env", "OLLAMA_MODEL=linked-model\n")
        (self.dir / ".env").symlink_to("settings.env")
        r = self.run_cli("analyze", "-", "--backend", "ollama", "--url", f"http://127.0.0.1:{test_cli.closed_port()}",
                         "--retries", "0", stdin=ERROR_LINES)
        self.assertExit(r, 4)
        self.assertNotIn("cannot read settings", r.stderr)


class terminal_escapes(cli_case):
    def assertNoRawControls(self, text):
        for raw in ("\x1b", "\x07", RLO, "\x9b"):
            self.assertNotIn(raw, text)

    def test_file_names_are_shown_escaped(self):
        logs = self.dir / "in"
        logs.mkdir()
        (logs / "ok.log").write_text(ERROR_LINES)
        (logs / f"{ESC_TITLE}.log").mkdir()  # a folder named like a log: listed as unread, by name
        (logs / f"evil{RLO}gol.txt").symlink_to(self.dir / "nowhere")
        r = self.run_cli("analyze", "in", "--backend", "none", "--out", f"rep{RLO}orts")
        self.assertExit(r, 5)
        self.assertNoRawControls(r.stdout + r.stderr)
        self.assertIn("^[]0;pwned^G.log", r.stderr)
        self.assertIn("evil<U+202E>gol.txt", r.stderr)
        self.assertIn("rep<U+202E>orts", r.stdout)
        rep = self.report(f"rep{RLO}orts")
        names = {Path(i["path"]).name for i in rep["inputs"]}
        self.assertIn(f"{ESC_TITLE}.log", names, "the report keeps the real name (JSON escapes it)")

    def test_log_text_in_the_summary_is_shown_escaped(self):
        line = f"2025-11-03T20:36:40Z ERROR payment failed {ESC_TITLE} for {RLO}user\x1b[2J\n"
        r = self.run_cli("analyze", "-", "--backend", "none", "--lang", "en", stdin=line * 2)
        self.assertExit(r, 0)
        self.assertNoRawControls(r.stdout + r.stderr)
        self.assertIn("<U+202E>user", r.stdout)

    def test_setting_values_in_errors_are_shown_escaped(self):
        r = self.run_cli("analyze", "-", "--backend", "none", "--lang", f"{ESC_TITLE}{RLO}", stdin=ERROR_LINES)
        self.assertExit(r, 2)
        self.assertNoRawControls(r.stderr)
        self.assertIn("^[]0;pwned^G<U+202E>", r.stderr)


class unreadable_inputs(cli_case):
    def test_one_bad_file_among_good_ones_is_listed_and_skipped(self):
        logs = self.dir / "in"
        logs.mkdir()
        (logs / "a.log").write_text(ERROR_LINES)
        (logs / "z.log").write_text(ERROR_LINES)
        (logs / "b-folder.log").mkdir()
        os.mkfifo(logs / "c-fifo.log")  # no writer: opening or reading it would wait for ever
        (logs / "d-dangling.log").symlink_to(logs / "gone")
        (logs / "e-ioerror.log").symlink_to("/proc/self/mem")  # a real read error (EIO), even for root
        started = time.monotonic()
        r = self.run_cli("analyze", "in", "--backend", "none", timeout=60)
        self.assertLess(time.monotonic() - started, 30)
        self.assertExit(r, 5)
        rep = self.report()
        self.assertEqual(rep["stats"]["lines"], 6, "both readable files are in the report")
        errors = {Path(i["path"]).name: i.get("error") or "" for i in rep["inputs"]}
        self.assertEqual(errors["a.log"], "")
        self.assertEqual(errors["z.log"], "")
        self.assertIn("folder", errors["b-folder.log"])
        self.assertIn("named pipe", errors["c-fifo.log"])
        self.assertIn("symbolic link", errors["d-dangling.log"])
        self.assertIn("Input/output error", errors["e-ioerror.log"])
        for name in ("b-folder.log", "c-fifo.log", "d-dangling.log", "e-ioerror.log"):
            self.assertIn(name, r.stderr)

    @unittest.skipIf(os.geteuid() == 0, "root reads files whatever their mode")
    def test_permission_denied_among_good_ones(self):
        self.write("in/a.log", ERROR_LINES)
        self.write("in/secret.log", ERROR_LINES).chmod(0)
        r = self.run_cli("analyze", "in", "--backend", "none")
        self.assertExit(r, 5)
        self.assertIn("secret.log", r.stderr)
        self.assertEqual(self.report()["stats"]["lines"], 3)

    def test_every_input_unreadable_is_exit_3_with_a_report(self):
        logs = self.dir / "in"
        logs.mkdir()
        (logs / "x.log").mkdir()
        (logs / "y.log").symlink_to("/proc/self/mem")
        r = self.run_cli("analyze", "in", "--backend", "none")
        self.assertExit(r, 3)
        self.assertEqual(len(self.report()["inputs"]), 2)

    def test_templates_goes_on_too(self):
        logs = self.dir / "in"
        logs.mkdir()
        (logs / "a.log").write_text(ERROR_LINES)
        (logs / "b.log").mkdir()
        r = self.run_cli("templates", "in")
        self.assertExit(r, 5)
        self.assertEqual(len(r.stdout.strip().splitlines()), 1 + 3)
        self.assertIn("b.log", r.stderr)


class signals(cli_case):
    def start(self, *args):
        return subprocess.Popen([test_cli.LOGLENS, *map(str, args)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=self.env, cwd=self.dir)

    def test_double_sigterm_still_writes_the_report_5_of_5(self):
        for run in range(5):
            shutil.rmtree(self.dir / "reports", ignore_errors=True)
            p = self.start("analyze", "-", "--backend", "none")
            p.stdin.write(ERROR_LINES)
            p.stdin.flush()
            self.wait_until_read(p, len(ERROR_LINES))
            p.send_signal(signal.SIGTERM)
            p.send_signal(signal.SIGTERM)  # as `timeout` does: to the process, then to its group
            p.wait(timeout=30)  # standard input stays open: only the signal ends the run
            out, err = p.communicate(timeout=60)
            self.assertEqual(p.returncode, 128 + signal.SIGTERM, f"run {run}: {err}")
            self.assertNotIn("quitting without a report", err)
            self.assertTrue(self.report()["partial"], f"run {run}")

    def test_timeout_command_5_of_5(self):
        if not shutil.which("timeout"):
            self.skipTest("no timeout(1) here")
        for run in range(5):
            shutil.rmtree(self.dir / "reports", ignore_errors=True)
            p = subprocess.Popen(["timeout", "3", test_cli.LOGLENS, "analyze", "-", "--backend", "none"],
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                 env=self.env, cwd=self.dir)
            p.stdin.write(ERROR_LINES)
            p.stdin.flush()  # and stays open: only the timeout ends the run
            p.wait(timeout=30)
            out, err = p.communicate(timeout=60)
            self.assertEqual(p.returncode, 124, f"run {run}: {err}")
            self.assertTrue(self.report()["partial"], f"run {run}: {err}")
            self.assertEqual(self.report()["stats"]["lines"], 3)

    def test_stop_inside_an_endless_line_is_prompt(self):
        p = self.start("analyze", "-", "--backend", "none")
        stop = threading.Event()

        def feed():  # one line that never ends, as fast as the pipe takes it
            chunk = "x" * 65536
            try:
                p.stdin.write(ERROR_LINES + "2025-11-03T20:36:43Z ERROR ")
                while not stop.is_set():
                    p.stdin.write(chunk)
            except (BrokenPipeError, ValueError, OSError):
                pass

        t = threading.Thread(target=feed, daemon=True)
        t.start()
        self.wait_until_read(p, 8 << 20)
        started = time.monotonic()
        p.send_signal(signal.SIGTERM)
        p.wait(timeout=30)
        latency = time.monotonic() - started
        stop.set()
        out, err = p.communicate(timeout=30)
        self.assertLess(latency, 2.0, "the stop is honoured inside a long line (loose bound; see the benchmark)")
        self.assertEqual(p.returncode, 128 + signal.SIGTERM, err)
        self.assertTrue(self.report()["partial"])

    def test_signal_before_anything_is_read_is_honoured(self):
        p = self.start("templates", "-")
        time.sleep(0.5)
        p.send_signal(signal.SIGINT)  # `templates` used to ignore Ctrl-C while waiting for input
        out, err = p.communicate(timeout=30)
        self.assertEqual(p.returncode, 130, err)
        self.assertIn("line,group_id,template", out)


def main():
    import argparse
    ap = argparse.ArgumentParser()
    ap.add_argument("--loglens", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--validator", default="")
    ap.add_argument("group", nargs="?")
    a, _ = ap.parse_known_args()
    test_cli.LOGLENS, test_cli.SOURCE = str(Path(a.loglens).resolve()), Path(a.source).resolve()
    test_cli.VALIDATOR = a.validator
    loader = unittest.defaultTestLoader
    suite = loader.loadTestsFromTestCase(globals()[a.group]) if a.group else unittest.TestSuite(
        loader.loadTestsFromTestCase(c) for c in (safe_writes, strict_config, terminal_escapes, unreadable_inputs,
                                                   signals))
    return test_cli.run_suite(suite)


if __name__ == "__main__":
    sys.exit(main())
