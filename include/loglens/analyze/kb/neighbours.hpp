#pragma once
// Knowledge-base table: known failures and known noise of the stack's neighbours: PostgreSQL, MySQL, gunicorn, Celery.
// SPDX-License-Identifier: MIT

#include <loglens/analyze/kb/signature.hpp>

LOGLENS_NAMESPACE_BEGIN
namespace kb {

// These run inside (or are quoted by) the Airflow containers, so every entry is tried on every service.
inline constexpr kb_signature neighbours[] = {
    {"gunicorn.worker-timeout",
     "gunicorn",
     R"(WORKER TIMEOUT \(pid:\d+\)|Worker with pid \d+ was terminated due to signal 9|Worker \(pid:\d+\) was sent SIGKILL)",
     classification::major,
     false,
     0.85,
     {"Воркеры gunicorn не отвечают дольше таймаута и убиваются.",
      "Запрос или запуск воркера (у Airflow webserver — загрузка приложения) длится дольше `timeout`; мастер "
      "gunicorn убивает воркер (сигнал 9) и запускает новый. Часто причина — нехватка памяти или CPU.",
      {"Дайте контейнеру больше памяти/CPU; проверьте `docker stats`.",
       "Увеличьте таймаут: для Airflow `AIRFLOW__WEBSERVER__WEB_SERVER_WORKER_TIMEOUT`, для gunicorn `--timeout`.",
       "Уменьшите число воркеров (`AIRFLOW__WEBSERVER__WORKERS`)."}},
     {"gunicorn workers stop answering within the timeout and are killed.",
      "A request or a worker's start (for the Airflow webserver, loading the app) takes longer than `timeout`; the "
      "gunicorn master kills the worker (signal 9) and boots another. Memory or CPU shortage is the usual cause.",
      {"Give the container more memory/CPU; check `docker stats`.",
       "Raise the timeout: `AIRFLOW__WEBSERVER__WEB_SERVER_WORKER_TIMEOUT` for Airflow, `--timeout` for gunicorn.",
       "Run fewer workers (`AIRFLOW__WEBSERVER__WORKERS`)."}},
     true},

    {"gunicorn.startup-chatter",
     "gunicorn",
     R"(Starting gunicorn \d|Listening at: |Using worker: |Booting worker with pid|Handling signal: (ttin|ttou|winch|hup)|Worker exiting \(pid)",
     classification::info,
     true,
     0.9,
     {"Обычные сообщения gunicorn о запуске и перезапуске воркеров.",
      "Информационные строки.",
      {"Ничего делать не нужно."}},
     {"Ordinary gunicorn messages about starting and recycling workers.", "Informational lines.", {"Nothing to do."}},
     true},

    {"postgres.role-or-database-missing",
     "postgres",
     R"((role|database) "[^"]+" does not exist)",
     classification::major,
     false,
     0.85,
     {"PostgreSQL: роль или база данных, к которой подключается клиент, не существует.",
      "Клиент (Airflow, приложение, healthcheck) подключается под пользователем или к базе, которых нет: "
      "POSTGRES_USER/POSTGRES_DB применяются только при первой инициализации пустого тома.",
      {"Проверьте строку подключения клиента и переменные POSTGRES_USER/POSTGRES_DB.",
       "Создайте роль/базу: `createuser`/`createdb` или `CREATE ROLE ...; CREATE DATABASE ...`.",
       "Если том уже был инициализирован с другими значениями, пересоздайте его (после резервной копии)."}},
     {"PostgreSQL: the role or database a client connects to does not exist.",
      "A client (Airflow, an app, a health check) connects as a user or to a database that is not there: "
      "POSTGRES_USER/POSTGRES_DB apply only when an empty volume is first initialised.",
      {"Check the client's connection string and POSTGRES_USER/POSTGRES_DB.",
       "Create the role/database: `createuser`/`createdb` or `CREATE ROLE ...; CREATE DATABASE ...`.",
       "If the volume was initialised with other values, recreate it (after a backup)."}},
     true},

    {"postgres.startup-chatter",
     "postgres",
     R"(database system is ready to accept connections|autovacuum launcher started|database system was shut down at|)"
     R"(MultiXact member wraparound protections|Skipping initialization|listening on IPv[46] address|incomplete startup packet|)"
     R"(starting PostgreSQL \d|checkpoint (starting|complete))",
     classification::info,
     true,
     0.9,
     {"Обычные сообщения PostgreSQL при запуске.",
      "Информационные строки; `incomplete startup packet` — проверка порта.",
      {"Ничего делать не нужно."}},
     {"Ordinary PostgreSQL start-up messages.",
      "Informational lines; `incomplete startup packet` is a port check.",
      {"Nothing to do."}},
     true},

    {"mysql.data-dir-in-use",
     "mysql",
     R"(Unable to lock \./ibdata1|Another process with pid \d+ is using unix socket file|Unable to setup unix socket lock file|)"
     R"(Do you already have another mysqld server running)",
     classification::critical,
     false,
     0.9,
     {"MySQL не стартует: каталог данных или сокет заняты другим процессом mysqld.",
      "Второй mysqld (старый контейнер, том, смонтированный в два контейнера, или оставшийся lock-файл) держит "
      "ibdata1 или сокет.",
      {"Убедитесь, что том данных смонтирован только в один контейнер: `docker ps`, `docker volume inspect`.",
       "Остановите лишний mysqld; удалите устаревший `mysqld.sock.lock`, если процесса уже нет.",
       "Перезапустите контейнер MySQL."}},
     {"MySQL cannot start: its data folder or socket is held by another mysqld.",
      "A second mysqld (an old container, a volume mounted into two containers, or a stale lock file) holds ibdata1 "
      "or the socket.",
      {"Make sure the data volume is mounted into one container only: `docker ps`, `docker volume inspect`.",
       "Stop the extra mysqld; remove a stale `mysqld.sock.lock` if no process is left.", "Restart the MySQL container."}},
     true},

    {"mysql.startup-notes",
     "mysql",
     R"(Changed limits: |TIMESTAMP with implicit DEFAULT value is deprecated|InnoDB: New log files created|)"
     R"(Creating foreign key constraint system tables|No existing UUID has been found|Insecure configuration for --pid-file|)"
     R"(CA certificate ca\.pem is self signed|root@localhost is created with an empty password)",
     classification::info,
     true,
     0.85,
     {"Обычные предупреждения MySQL при первом запуске.",
      "Строки уровня Warning, которые пишет каждая инициализация.",
      {"Ничего делать не нужно."}},
     {"Ordinary MySQL first-start warnings.", "Warning-level lines every initialisation writes.", {"Nothing to do."}},
     true},

    {"mysql.aborted-connection",
     "mysql",
     R"(Aborted connection \d+ to db: )",
     classification::info,
     true,
     0.8,
     {"MySQL: клиент закрыл соединение, не попрощавшись.",
      "Клиент (часто Airflow/SQLAlchemy) завершился или оборвал соединение без mysql_close; при единичных строках "
      "на работу не влияет.",
      {"Ничего делать не нужно, если строк мало; при потоке таких строк проверьте wait_timeout и пул соединений клиента."}},
     {"MySQL: a client closed its connection without saying goodbye.",
      "The client (often Airflow/SQLAlchemy) exited or dropped the connection without mysql_close; a few such lines "
      "do not affect work.",
      {"Nothing to do for a few lines; for a stream of them check wait_timeout and the client's connection pool."}},
     true},

    {"celery.broker-unreachable",
     "celery",
     R"(consumer: Cannot connect to (redis|amqp|rediss|sentinel)|Connection to broker lost|consumer: Connection to broker lost)",
     classification::major,
     false,
     0.85,
     {"Воркер Celery не может подключиться к брокеру (Redis/RabbitMQ).",
      "Брокер не запущен, недоступен по сети или требует пароль; воркер повторяет попытки и не берёт задачи.",
      {"Проверьте, что контейнер брокера запущен и здоров: `docker compose ps`.",
       "Проверьте URL брокера (AIRFLOW__CELERY__BROKER_URL / CELERY_BROKER_URL): хост, порт, пароль.",
       "Проверьте из контейнера воркера: `redis-cli -h redis PING`."}},
     {"A Celery worker cannot reach its broker (Redis/RabbitMQ).",
      "The broker is not running, unreachable or wants a password; the worker keeps retrying and takes no tasks.",
      {"Check that the broker container is up and healthy: `docker compose ps`.",
       "Check the broker URL (AIRFLOW__CELERY__BROKER_URL / CELERY_BROKER_URL): host, port, password.",
       "Test from the worker's container: `redis-cli -h redis PING`."}},
     true},

    {"celery.worker-process-killed",
     "celery",
     R"(Process '?ForkPoolWorker-\d+'? pid:\d+ exited with 'signal (9|15)|WorkerLostError|Worker exited prematurely)",
     classification::major,
     false,
     0.85,
     {"Процесс воркера Celery убит во время задачи.",
      "Сигнал 9 — обычно OOM killer (памяти контейнера не хватило задаче); сигнал 15 — остановка контейнера без "
      "ожидания завершения задач.",
      {"Для сигнала 9: дайте контейнеру больше памяти или уменьшите concurrency воркера.",
       "Для сигнала 15: увеличьте `stop_grace_period` в compose, чтобы задачи успели завершиться.",
       "Проверьте `docker inspect <container>` (OOMKilled) и `dmesg`."}},
     {"A Celery worker process was killed during a task.",
      "Signal 9 is usually the OOM killer (the task needed more memory than the container has); signal 15 is the "
      "container being stopped without waiting for its tasks.",
      {"For signal 9: give the container more memory or lower the worker's concurrency.",
       "For signal 15: raise `stop_grace_period` in compose so tasks can finish.",
       "Check `docker inspect <container>` (OOMKilled) and `dmesg`."}},
     true},

    {"celery.superuser-warning",
     "celery",
     R"(running the worker with superuser privileges)",
     classification::info,
     true,
     0.85,
     {"Предупреждение Celery: воркер запущен от root.",
      "Образ запускает воркер от суперпользователя; на работу не влияет.",
      {"Ничего делать не нужно; при желании задайте пользователя через `--uid`."}},
     {"A Celery warning: the worker runs as root.",
      "The image runs the worker as the superuser; it does not affect work.",
      {"Nothing to do; set a user with `--uid` if you like."}},
     true},
};

}  // namespace kb
LOGLENS_NAMESPACE_END
