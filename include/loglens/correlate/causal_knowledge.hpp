#pragma once
// Causal knowledge of the stack, as data: failure kinds, the words that reveal them, and what causes what.
// SPDX-License-Identifier: MIT

#include <loglens/version.hpp>

#include <string_view>

LOGLENS_NAMESPACE_BEGIN
namespace correlate {

/// @brief One kind of failure, recognised from a problem's text (template, exception, samples) and its
/// knowledge-base signature, never from a container's name: a Redis server says "Can't save in background"
/// whatever the service is called.
///
/// `words` and `signatures` are `|`-separated, lower-case; a problem is of this kind when its text holds one
/// of `words` (or its signature id starts with one of `signatures`) and none of `unless`. Kinds are tried in
/// table order, so the symptoms seen in clients (which quote the server) come before the server's own kinds.
struct failure_kind {
    std::string_view id;
    std::string_view domain;  ///< what the failure is about: `redis`, `db`, `s3`, `spark`, `host`, `airflow`
    std::string_view words;
    std::string_view signatures;
    std::string_view unless;
    std::string_view en;  ///< a few words for an incident's chain: "Redis refuses writes"
    std::string_view ru;
};

/// A failure of kind `cause` produces failures of kind `effect` (in the same or another service).
struct causal_link {
    std::string_view cause;
    std::string_view effect;
};

// Symptoms in clients first: they quote the server's words (a Celery error carries Redis' MISCONF).
inline constexpr failure_kind failure_kinds[] = {
    {"airflow.task-failed", "airflow",
     "task failed with exception|marking task as failed|marked as failed|zombie|finished (failed)|"
     "task exited with return code 1|dag run failed|state: failed|failed to execute task",
     "airflow.zombie|airflow.task-failed", "", "Airflow tasks fail", "задачи Airflow падают"},
    {"celery.broker-error", "redis",
     "error sending celery task|misconf|oom command not allowed|cannot connect to redis|error 111 connecting to redis|"
     "kombu.exceptions.operationalerror|connection to broker lost|consumer: cannot connect|"
     "redis.exceptions.connectionerror|redis.exceptions.responseerror|readonly you can't write against a read only",
     "redis.misconf|celery.", "", "Celery cannot use its Redis broker or result backend",
     "Celery не может работать с брокером Redis"},
    {"airflow.db-error", "db",
     "operationalerror|database not reachable|sqlalchemy.exc|psycopg2|server closed the connection unexpectedly|"
     "could not connect to server|can't connect to mysql|lost connection to mysql",
     "airflow.metadata-db", "", "Airflow loses its metadata database", "Airflow теряет базу метаданных"},
    {"s3.client-error", "s3",
     "s3a|amazons3exception|s3exception|botocore|xminio|nosuchbucket|invalidaccesskeyid|signaturedoesnotmatch|"
     "unable to execute http request|s3hook|slowdown",
     "spark.s3|airflow.s3", "minio/", "S3 clients (Spark s3a, Airflow S3 hooks) fail",
     "клиенты S3 (Spark s3a, S3-хуки Airflow) получают ошибки"},
    {"spark.job-failed", "spark",
     "aborting job|job aborted|aborting taskset|sparkexception: job|an error occurred while calling|"
     "failed 4 times|job failed",
     "spark.job-", "", "Spark jobs fail", "задания Spark падают"},
    {"spark.no-resources", "spark", "initial job has not accepted any resources", "spark.no-resources", "",
     "Spark jobs get no executors", "заданиям Spark не выделяются исполнители"},
    {"spark.worker-not-registered", "spark",
     "not registered with master|worker not registered|retrying connection to master|no worker registered|"
     "failed to connect to master|all masters are unresponsive|connection to master",
     "spark.master-unreachable|spark.worker-", "", "Spark workers cannot register with the master",
     "воркеры Spark не регистрируются у мастера"},
    {"spark.oom", "spark", "outofmemoryerror|gc overhead limit exceeded|java heap space", "spark.java-heap-oom", "",
     "Spark JVMs run out of heap", "JVM Spark исчерпывают кучу"},
    {"spark.executor-lost", "spark",
     "lost executor|executor lost|executorlostfailure|remote rpc client disassociated|unknown executor|"
     "removing executor|got no heartbeat|exited with exit code|executor app-",
     "spark.executor-lost", "", "Spark executors are lost", "исполнители Spark теряются"},
    // The servers' own words.
    {"redis.overcommit", "host", "overcommit_memory|memory overcommit", "redis.overcommit", "",
     "memory overcommit is off on the host", "на хосте выключен overcommit памяти"},
    {"redis.write-refused", "redis",
     "can't save in background|background saving error|write error saving db|failed opening the rdb file|"
     "can't open the append-only file|disk is full|asynchronous aof fsync is taking too long|"
     "maxmemory|oom command",
     "redis.bgsave|redis.persistence|redis.aof|redis.maxmemory", "", "Redis refuses writes",
     "Redis отказывается принимать записи"},
    {"redis.down", "redis", "received sigterm scheduling shutdown|redis is now ready to exit|fatal error loading",
     "redis.rdb-aof-corrupt|redis.down", "", "Redis is down", "Redis остановлен"},
    {"db.auth-failed", "db", "password authentication failed|access denied for user",
     "airflow.metadata-db-auth|postgres.auth|mysql.auth", "", "the database rejects the password",
     "база данных отклоняет пароль"},
    {"db.down", "db",
     "the database system is shutting down|the database system is starting up|could not write to file|"
     "no space left on device|database system was interrupted|too many connections",
     "postgres.|mysql.", "", "the database is unavailable", "база данных недоступна"},
    {"minio.storage", "s3",
     "drive path full|storage resources are insufficient|write quorum|read quorum|disk not found|drive offline|"
     "drive is offline|unformatted drive|storage reached its minimum free",
     "minio.storage|minio.quorum|minio.drive", "", "MinIO cannot store objects", "MinIO не может сохранять объекты"},
    {"minio.denied", "s3", "access denied|the access key id you provided does not exist|signature we calculated",
     "minio.access|minio.auth", "", "MinIO denies access", "MinIO отказывает в доступе"},
    {"host.oom", "host", "out of memory: killed process|oom-kill|oomkilled|exit code 137|exited with code 137", "host.oom",
     "", "the host runs out of memory", "на хосте кончается память"},
    {"host.disk-full", "host", "no space left on device", "host.disk", "", "a disk of the host is full",
     "на хосте кончилось место на диске"},
};

inline constexpr causal_link causal_links[] = {
    {"redis.overcommit", "redis.write-refused"},
    {"redis.write-refused", "celery.broker-error"},
    {"redis.write-refused", "airflow.task-failed"},
    {"redis.down", "airflow.task-failed"},
    {"redis.down", "celery.broker-error"},
    {"celery.broker-error", "airflow.task-failed"},
    {"db.auth-failed", "airflow.db-error"},
    {"db.down", "airflow.db-error"},
    {"airflow.db-error", "airflow.task-failed"},
    {"minio.storage", "s3.client-error"},
    {"minio.denied", "s3.client-error"},
    {"minio.storage", "airflow.task-failed"},
    {"minio.storage", "spark.job-failed"},
    {"s3.client-error", "spark.job-failed"},
    {"s3.client-error", "airflow.task-failed"},
    {"spark.worker-not-registered", "spark.no-resources"},
    {"spark.no-resources", "spark.job-failed"},
    {"spark.no-resources", "airflow.task-failed"},
    {"spark.worker-not-registered", "airflow.task-failed"},
    {"spark.oom", "spark.executor-lost"},
    {"spark.oom", "spark.job-failed"},
    {"spark.executor-lost", "spark.oom"},
    {"spark.executor-lost", "spark.job-failed"},
    {"spark.job-failed", "airflow.task-failed"},
    {"host.oom", "redis.write-refused"},
    {"host.oom", "spark.executor-lost"},
    {"host.oom", "db.down"},
    {"host.disk-full", "redis.write-refused"},
    {"host.disk-full", "minio.storage"},
    {"host.disk-full", "db.down"},
};

}  // namespace correlate
LOGLENS_NAMESPACE_END
