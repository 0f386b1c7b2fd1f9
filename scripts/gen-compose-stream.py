#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes a generated `docker compose logs -t` stream of five services (Airflow scheduler and worker, Spark
master, Redis, MinIO) in their own line formats, with values that vary, warnings and errors among the chatter,
and a Python traceback every 5,000 lines: the input of the whole-CLI benchmarks (scripts/bench-ratio.sh).

usage: gen-compose-stream.py LINES > stream.log
The same LINES always give the same bytes.
"""
import random
import sys


def main():
    lines = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000_000
    rnd = random.Random(42)
    out = sys.stdout
    buf = []
    tasks = ["extract_orders", "train_model", "score_batch", "load_features", "publish_report"]
    for i in range(lines):
        ms = i * 7
        h, m, s, frac = 20 + (ms // 3600000) % 4, (ms // 60000) % 60, (ms // 1000) % 60, ms % 1000
        ts = f"2025-11-03T{h:02d}:{m:02d}:{s:02d}.{frac:03d}{rnd.randrange(1000000):06d}Z"
        kind = i % 5
        r = rnd.random()
        if kind == 0:
            svc = "airflow-scheduler-1"
            if r < 0.02:
                msg = (f"[2025-11-03T{h:02d}:{m:02d}:{s:02d}.{frac:03d}+0000] {{scheduler_job_runner.py:{700 + i % 9}}} "
                       f"ERROR - Executor reports task instance <TaskInstance: etl.{tasks[i % 5]} run_{i % 97} "
                       f"[queued]> finished (failed) although the task says it's queued")
            else:
                msg = (f"[2025-11-03T{h:02d}:{m:02d}:{s:02d}.{frac:03d}+0000] {{scheduler_job_runner.py:{400 + i % 7}}} "
                       f"INFO - Sending TaskInstanceKey(dag_id='etl', task_id='{tasks[i % 5]}', "
                       f"run_id='scheduled__{i % 1000}', try_number=1) to executor with priority {i % 20}")
        elif kind == 1:
            svc = "airflow-worker-1"
            if i % 5000 == 1:
                buf.append(f"{svc}  | {ts} [2025-11-03T{h:02d}:{m:02d}:{s:02d}.{frac:03d}+0000] "
                           f"{{taskinstance.py:2905}} ERROR - Task failed with exception\n")
                for frame in ("Traceback (most recent call last):",
                              '  File "/opt/airflow/dags/etl.py", line 42, in load',
                              "    conn = redis.Redis(host='redis', port=6379).ping()",
                              '  File "/usr/local/lib/python3.11/site-packages/redis/client.py", line 1269, in ping',
                              "    return self.execute_command('PING')",
                              f"redis.exceptions.ConnectionError: Error 111 connecting to redis:6379. Connection refused."):
                    buf.append(f"{svc}  | {ts} {frame}\n")
                continue
            msg = (f"[2025-11-03T{h:02d}:{m:02d}:{s:02d}.{frac:03d}+0000] {{local_task_job_runner.py:123}} INFO - "
                   f"Task {tasks[i % 5]} finished with state success after {rnd.randrange(1, 900)} s, "
                   f"rows={rnd.randrange(100000)}")
        elif kind == 2:
            svc = "spark-master-1"
            if r < 0.03:
                msg = (f"25/11/03 {h:02d}:{m:02d}:{s:02d} WARN TaskSetManager: Lost task {i % 200}.0 in stage "
                       f"{i % 50}.0 (TID {i}) (10.0.0.{i % 250} executor {i % 8}): ExecutorLostFailure")
            else:
                msg = (f"25/11/03 {h:02d}:{m:02d}:{s:02d} INFO BlockManagerInfo: Added broadcast_{i % 300}_piece0 "
                       f"in memory on 10.0.0.{i % 250}:{30000 + i % 5000} (size: {rnd.randrange(999)}.0 KiB)")
        elif kind == 3:
            svc = "redis-1"
            if r < 0.01:
                msg = f"1:M 03 Nov 2025 {h:02d}:{m:02d}:{s:02d}.{frac:03d} # Background saving error"
            else:
                msg = (f"1:M 03 Nov 2025 {h:02d}:{m:02d}:{s:02d}.{frac:03d} * {rnd.randrange(1, 100)} changes in "
                       f"{rnd.randrange(60, 900)} seconds. Saving...")
        else:
            svc = "minio-1"
            if r < 0.01:
                msg = (f"API: PutObject(bucket=features, object=part-{i % 1000:05d}.parquet) Time: "
                       f"{h:02d}:{m:02d}:{s:02d} UTC 11/03/2025 Error: Storage reached its minimum free drive threshold.")
            else:
                msg = f"Healthy drive /data{i % 4}: {rnd.randrange(100, 900)} GiB free, latency {rnd.randrange(1, 50)} ms"
        buf.append(f"{svc}  | {ts} {msg}\n")
        if len(buf) >= 10000:
            out.write("".join(buf))
            buf.clear()
    out.write("".join(buf))


if __name__ == "__main__":
    main()
