#pragma once
// Knowledge-base table: known failures and known noise of Apache Airflow (scheduler, webserver, workers).
// SPDX-License-Identifier: MIT

#include <loglens/analyze/kb/signature.hpp>

LOGLENS_NAMESPACE_BEGIN
namespace kb {

inline constexpr kb_signature airflow[] = {
    {"airflow.dag-import-missing-module",
     "airflow",
     R"((ModuleNotFoundError|ImportError): No module named|No module named ['"]?[\w.]+)",
     classification::major,
     false,
     0.9,
     {"DAG не загружается: в образе Airflow нет Python-модуля, который импортирует файл DAG.",
      "Файл DAG импортирует пакет, не установленный в контейнерах Airflow (scheduler/worker/webserver), "
      "поэтому DagBag помечает DAG как сломанный и задачи не планируются.",
      {"Добавьте пакет в requirements образа (или _PIP_ADDITIONAL_REQUIREMENTS для разработки) и пересоберите образ.",
       "Проверьте, что версия пакета совместима с версией Airflow и Python в образе.",
       "Убедитесь, что все контейнеры Airflow используют один и тот же образ.",
       "Проверьте импорт командой `airflow dags list-import-errors`."}},
     {"A DAG fails to load: the Airflow image lacks a Python module that the DAG file imports.",
      "The DAG file imports a package that is not installed in the Airflow containers (scheduler/worker/"
      "webserver), so the DagBag marks the DAG as broken and its tasks are never scheduled.",
      {"Add the package to the image's requirements (or _PIP_ADDITIONAL_REQUIREMENTS for development) and rebuild.",
       "Check that the package version fits the image's Airflow and Python versions.",
       "Make sure every Airflow container runs the same image.", "Verify with `airflow dags list-import-errors`."}}},

    {"airflow.dag-import-syntax-error",
     "airflow",
     R"(\b(SyntaxError|IndentationError|TabError)\b)",
     classification::major,
     false,
     0.9,
     {"DAG не загружается: в файле DAG синтаксическая ошибка Python.",
      "Интерпретатор не может разобрать файл DAG (SyntaxError/IndentationError), поэтому DagBag не импортирует его "
      "и DAG пропадает из планировщика.",
      {"Откройте файл и строку из трассировки и исправьте синтаксис.",
       "Проверяйте DAG до деплоя: `python -m py_compile dags/<file>.py` в CI.",
       "Посмотрите список ошибок: `airflow dags list-import-errors`."}},
     {"A DAG fails to load: its file has a Python syntax error.",
      "Python cannot parse the DAG file (SyntaxError/IndentationError), so the DagBag does not import it and the "
      "DAG disappears from the scheduler.",
      {"Open the file and line from the traceback and fix the syntax.",
       "Check DAGs before deploying: `python -m py_compile dags/<file>.py` in CI.",
       "List the errors with `airflow dags list-import-errors`."}}},

    {"airflow.metadata-db-auth-failed",
     "airflow",
     R"(password authentication failed for user|FATAL:\s+role "?[\w-]+"? does not exist|Access denied for user)",
     classification::critical,
     false,
     0.95,
     {"Airflow не может войти в базу метаданных: неверный логин или пароль.",
      "Учётные данные в строке подключения (AIRFLOW__DATABASE__SQL_ALCHEMY_CONN) не совпадают с пользователем в "
      "PostgreSQL/MySQL; scheduler и webserver не могут работать без базы метаданных.",
      {"Сверьте пользователя и пароль в AIRFLOW__DATABASE__SQL_ALCHEMY_CONN с POSTGRES_USER/POSTGRES_PASSWORD.",
       "Если том базы создан раньше со старым паролем, смените пароль в БД или пересоздайте том.",
       "Проверьте вход вручную: `psql <conn>` из контейнера Airflow."}},
     {"Airflow cannot log in to its metadata database: wrong user or password.",
      "The credentials in the connection string (AIRFLOW__DATABASE__SQL_ALCHEMY_CONN) do not match the user in "
      "PostgreSQL/MySQL; the scheduler and webserver cannot run without the metadata database.",
      {"Compare the user and password in AIRFLOW__DATABASE__SQL_ALCHEMY_CONN with POSTGRES_USER/POSTGRES_PASSWORD.",
       "If the database volume was created earlier with another password, change it in the DB or recreate the volume.",
       "Test the login by hand: `psql <conn>` from an Airflow container."}}},

    {"airflow.metadata-db-unreachable",
     "airflow",
     R"(could not connect to server|could not translate host name|connection to server at .* failed|)"
     R"(OperationalError.*(Connection refused|timeout expired|server closed the connection)|)"
     R"(Can't connect to MySQL server|Lost connection to (MySQL|PostgreSQL))",
     classification::critical,
     false,
     0.9,
     {"Airflow не может подключиться к базе метаданных.",
      "Сервер PostgreSQL/MySQL недоступен по адресу из строки подключения: контейнер БД ещё не запущен, упал, "
      "имя хоста неверно или сеть docker compose не общая.",
      {"Проверьте, что контейнер БД запущен и здоров: `docker compose ps`, `docker compose logs postgres`.",
       "Добавьте healthcheck базе и `depends_on: condition: service_healthy` сервисам Airflow.",
       "Сверьте хост и порт в AIRFLOW__DATABASE__SQL_ALCHEMY_CONN с именем сервиса в compose-файле."}},
     {"Airflow cannot connect to its metadata database.",
      "The PostgreSQL/MySQL server is not reachable at the address in the connection string: the DB container is not "
      "up yet or crashed, the host name is wrong, or the services do not share a compose network.",
      {"Check that the DB container is up and healthy: `docker compose ps`, `docker compose logs postgres`.",
       "Give the database a healthcheck and the Airflow services `depends_on: condition: service_healthy`.",
       "Compare host and port in AIRFLOW__DATABASE__SQL_ALCHEMY_CONN with the service name in the compose file."}}},

    {"airflow.config-load-failed",
     "airflow",
     R"(Unable to load the config|AirflowConfigException)",
     classification::critical,
     false,
     0.9,
     {"Airflow не может загрузить конфигурацию.",
      "airflow.cfg или переменные окружения AIRFLOW__* содержат неверное значение или неизвестную секцию, либо "
      "файл конфигурации недоступен; компонент не стартует.",
      {"Прочитайте текст исключения: он называет секцию и ключ.",
       "Проверьте переменные AIRFLOW__<SECTION>__<KEY> в compose-файле и .env.",
       "Проверьте конфигурацию командой `airflow config list` в контейнере."}},
     {"Airflow cannot load its configuration.",
      "airflow.cfg or the AIRFLOW__* environment variables hold an invalid value or unknown section, or the "
      "configuration file cannot be read; the component does not start.",
      {"Read the exception text: it names the section and key.",
       "Check the AIRFLOW__<SECTION>__<KEY> variables in the compose file and .env.",
       "Inspect the configuration with `airflow config list` in the container."}}},

    {"airflow.invalid-fernet-key",
     "airflow",
     R"(cryptography\.fernet\.InvalidToken|\bInvalidToken\b|Fernet key must be 32|Could not create Fernet object|)"
     R"(invalid fernet key|incorrect (fernet|padding))",
     classification::critical,
     false,
     0.9,
     {"Airflow не может расшифровать подключения и переменные: неверный Fernet-ключ.",
      "AIRFLOW__CORE__FERNET_KEY отличается от ключа, которым зашифрованы данные в базе, или не является "
      "32-байтным ключом в base64; у разных контейнеров может быть разный ключ.",
      {"Задайте одинаковый AIRFLOW__CORE__FERNET_KEY всем сервисам Airflow (через .env).",
       "Сгенерируйте правильный ключ: `python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'`.",
       "При смене ключа используйте ротацию: старый и новый ключ через запятую, затем `airflow rotate-fernet-key`."}},
     {"Airflow cannot decrypt connections and variables: the Fernet key is wrong.",
      "AIRFLOW__CORE__FERNET_KEY differs from the key the data in the database was encrypted with, or is not a "
      "32-byte base64 key; containers may have been given different keys.",
      {"Give every Airflow service the same AIRFLOW__CORE__FERNET_KEY (through .env).",
       "Generate a valid key: `python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'`.",
       "To change the key, rotate it: old and new key comma-separated, then `airflow rotate-fernet-key`."}}},

    {"airflow.logs-permission-denied",
     "airflow",
     R"(Permission denied:? '?[\w./-]*/logs|PermissionError: \[Errno 13\].*logs?\b)",
     classification::major,
     false,
     0.9,
     {"Airflow не может писать в папку логов: нет прав.",
      "Смонтированная папка logs принадлежит другому пользователю хоста, а контейнеры Airflow работают под UID "
      "из AIRFLOW_UID (по умолчанию 50000), поэтому задачи и scheduler не могут создать файлы логов.",
      {"Задайте AIRFLOW_UID=$(id -u) в .env и пересоздайте контейнеры.",
       "Исправьте владельца: `sudo chown -R $(id -u):0 ./logs`.", "Не монтируйте папку логов только для чтения."}},
     {"Airflow cannot write to its logs folder: permission denied.",
      "The mounted logs folder belongs to another host user while the Airflow containers run as AIRFLOW_UID "
      "(50000 by default), so tasks and the scheduler cannot create log files.",
      {"Set AIRFLOW_UID=$(id -u) in .env and recreate the containers.", "Fix the owner: `sudo chown -R $(id -u):0 ./logs`.",
       "Do not mount the logs folder read-only."}}},

    {"airflow.zombie-tasks",
     "airflow",
     R"(zombie|Failing \d+ (task instances|jobs) without heartbeat)",
     classification::major,
     false,
     0.85,
     {"Планировщик нашёл зомби-задачи: задачи, которые перестали присылать heartbeat.",
      "Процесс задачи на воркере умер (чаще всего убит OOM killer или при перезапуске контейнера) или воркер "
      "потерял связь с базой, и scheduler помечает задачу как упавшую.",
      {"Проверьте `docker compose logs` воркера и `dmesg` на OOM в момент сбоя.",
       "Увеличьте память контейнера воркера или уменьшите параллелизм (AIRFLOW__CELERY__WORKER_CONCURRENCY).",
       "При долгих задачах проверьте scheduler_zombie_task_threshold."}},
     {"The scheduler found zombie tasks: tasks that stopped sending heartbeats.",
      "The task process on the worker died (most often killed by the OOM killer or a container restart) or the "
      "worker lost its database connection, so the scheduler fails the task.",
      {"Check the worker's `docker compose logs` and `dmesg` for OOM kills at that time.",
       "Give the worker container more memory or lower parallelism (AIRFLOW__CELERY__WORKER_CONCURRENCY).",
       "For long tasks review scheduler_zombie_task_threshold."}}},

    {"airflow.scheduler-heartbeat-lost",
     "airflow",
     R"(scheduler does not appear to be running|Scheduler heartbeat got an exception|)"
     R"(SchedulerJob.*heartbeat|last heartbeat was received .* ago)",
     classification::critical,
     false,
     0.85,
     {"Планировщик Airflow не присылает heartbeat: задачи не планируются.",
      "Процесс scheduler остановился, завис или не может писать heartbeat в базу метаданных (БД перегружена "
      "или недоступна).",
      {"Проверьте, что контейнер airflow-scheduler запущен: `docker compose ps`.",
       "Посмотрите логи scheduler на исключения и перезапуски.", "Проверьте доступность и нагрузку базы метаданных."}},
     {"The Airflow scheduler sends no heartbeat: tasks are not being scheduled.",
      "The scheduler process stopped, hangs, or cannot write its heartbeat to the metadata database (the DB is "
      "overloaded or unreachable).",
      {"Check that the airflow-scheduler container is running: `docker compose ps`.",
       "Read the scheduler's logs for exceptions and restarts.",
       "Check that the metadata database is reachable and not overloaded."}}},

    {"airflow.task-failed",
     "airflow",
     R"(Marking task as FAILED|Task failed with exception|Task exited with return code [1-9]|)"
     R"(TaskInstance Finished:.*state=failed|Executor reports task instance .* finished \(failed\))",
     classification::major,
     false,
     0.8,
     {"Задача Airflow завершилась с ошибкой.",
      "Код задачи выбросил исключение или процесс вернул ненулевой код; причина в трассировке задачи.",
      {"Откройте лог попытки задачи (logs/dag_id=.../run_id=.../task_id=...) и найдите исключение.",
       "Проверьте входные данные и подключения, которые использует задача.",
       "Задайте retries и retry_delay для нестабильных внешних систем."}},
     {"An Airflow task failed.",
      "The task's code raised an exception or its process exited non-zero; the cause is in the task's traceback.",
      {"Open the task attempt's log (logs/dag_id=.../run_id=.../task_id=...) and find the exception.",
       "Check the input data and connections the task uses.", "Set retries and retry_delay for flaky external systems."}}},

    {"airflow.removed-command",
     "airflow",
     R"(airflow command error: .*(has been removed|invalid choice)|Command `airflow [\w -]+` has been removed)",
     classification::major,
     false,
     0.9,
     {"Команда Airflow, которую запускает контейнер, удалена в этой версии.",
      "Compose-файл или entrypoint написан для старой версии (например, `airflow webserver` в Airflow 3 заменён на "
      "`airflow api-server`); контейнер сразу завершается.",
      {"Замените команду той, что названа в сообщении (`command:` в compose).",
       "Сверьте compose-файл с docker-compose.yaml из документации вашей версии Airflow."}},
     {"The Airflow command the container runs was removed in this version.",
      "The compose file or entrypoint was written for an older version (e.g. `airflow webserver` became "
      "`airflow api-server` in Airflow 3); the container exits at once.",
      {"Replace the command with the one the message names (`command:` in compose).",
       "Compare the compose file with the docker-compose.yaml of your Airflow version's docs."}}},

    {"airflow.deprecated-command",
     "airflow",
     R"(`(airflow )?(db init|db upgrade|initdb|upgradedb|resetdb|db reset)` (command )?is deprecated)",
     classification::minor,
     false,
     0.85,
     {"Контейнер запускает устаревшую команду Airflow.",
      "`db init`/`db upgrade` устарели с Airflow 2.7 и удалены в Airflow 3; они не создают подключения по "
      "умолчанию и могут оставить базу не до конца подготовленной.",
      {"Используйте `airflow db migrate` (и `airflow connections create-default-connections` при необходимости)."}},
     {"The container runs a deprecated Airflow command.",
      "`db init`/`db upgrade` are deprecated since Airflow 2.7 and removed in Airflow 3; they create no default "
      "connections and may leave the database half prepared.",
      {"Use `airflow db migrate` (and `airflow connections create-default-connections` if needed)."}}},

    {"airflow.worker-chatter",
     "airflow",
     R"(Running <TaskInstance: .*> on host|This is a development server\. Do not use it in a production deployment|)"
     R"(Use a production WSGI server instead)",
     classification::info,
     true,
     0.85,
     {"Обычные сообщения воркера Airflow.",
      "Celery пишет запуск задачи уровнем WARNING; сервер логов воркера (Flask) предупреждает, что он dev-сервер.",
      {"Ничего делать не нужно."}},
     {"Ordinary Airflow worker messages.",
      "Celery logs a task's start at WARNING; the worker's log server (Flask) warns that it is a development server.",
      {"Nothing to do."}}},

    {"airflow.deprecation-warning",
     "airflow",
     R"(DeprecationWarning|RemovedInAirflow3Warning|FutureWarning|PendingDeprecationWarning)",
     classification::info,
     true,
     0.8,
     {"Предупреждение об устаревшем API — на работу не влияет.",
      "Код DAG, провайдер или сам Airflow использует API, которое будет удалено в будущей версии.",
      {"Обновите код до замены, указанной в предупреждении, до следующего мажорного обновления."}},
     {"A deprecation warning: does not affect the run.",
      "DAG code, a provider or Airflow itself uses an API that a future version removes.",
      {"Move to the replacement the warning names before the next major upgrade."}}},
};

}  // namespace kb
LOGLENS_NAMESPACE_END
