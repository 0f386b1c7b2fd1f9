#pragma once
// Knowledge-base table: known failures and known noise of Apache Spark (master, workers, drivers).
// SPDX-License-Identifier: MIT

#include <loglens/analyze/kb/signature.hpp>

LOGLENS_NAMESPACE_BEGIN
namespace kb {

inline constexpr kb_signature spark[] = {
    {"spark.java-heap-oom",
     "spark",
     R"(OutOfMemoryError: Java heap space)",
     classification::critical,
     false,
     0.95,
     {"JVM Spark исчерпала heap: OutOfMemoryError.",
      "Драйверу или executor'у не хватает памяти для данных задачи: слишком крупные партиции, collect() на "
      "драйвер, широкий join/groupBy или слишком маленький spark.executor.memory/spark.driver.memory.",
      {"Увеличьте spark.executor.memory / spark.driver.memory (и память контейнера воркера).",
       "Увеличьте число партиций (spark.sql.shuffle.partitions, repartition), чтобы уменьшить их размер.",
       "Уберите collect()/toPandas() больших данных на драйвер.",
       "Проверьте перекос данных (skew) в ключах join/groupBy."}},
     {"A Spark JVM ran out of heap: OutOfMemoryError.",
      "The driver or an executor lacks memory for its data: partitions too large, collect() to the driver, a wide "
      "join/groupBy, or spark.executor.memory/spark.driver.memory set too low.",
      {"Raise spark.executor.memory / spark.driver.memory (and the worker container's memory).",
       "Use more partitions (spark.sql.shuffle.partitions, repartition) so each is smaller.",
       "Avoid collect()/toPandas() of large data on the driver.", "Look for skewed keys in joins and groupBy."}}},

    {"spark.gc-overhead-limit",
     "spark",
     R"(GC overhead limit exceeded)",
     classification::critical,
     false,
     0.95,
     {"JVM Spark почти всё время тратит на сборку мусора: GC overhead limit exceeded.",
      "Heap почти заполнен живыми объектами, и GC освобождает меньше 2% памяти; это предвестник OutOfMemoryError.",
      {"Увеличьте память executor'а/драйвера.",
       "Уменьшите размер партиций и кэшируемых данных (unpersist ненужных DataFrame).",
       "Рассмотрите G1GC: spark.executor.extraJavaOptions=-XX:+UseG1GC."}},
     {"A Spark JVM spends nearly all its time in garbage collection: GC overhead limit exceeded.",
      "The heap is almost full of live objects and GC frees less than 2% of it; this precedes an OutOfMemoryError.",
      {"Give the executor/driver more memory.",
       "Shrink partitions and cached data (unpersist DataFrames no longer needed).",
       "Consider G1GC: spark.executor.extraJavaOptions=-XX:+UseG1GC."}}},

    {"spark.no-resources",
     "spark",
     R"(Initial job has not accepted any resources)",
     classification::major,
     false,
     0.9,
     {"Задание Spark не получило ни одного executor'а.",
      "В кластере нет воркеров со свободными ядрами/памятью, которых просит приложение: воркеры не "
      "зарегистрированы у мастера или spark.executor.memory/cores больше, чем есть у воркера.",
      {"Откройте UI мастера (порт 8080) и проверьте, что воркеры ALIVE и у них есть свободные ресурсы.",
       "Уменьшите spark.executor.memory / spark.executor.cores или увеличьте SPARK_WORKER_MEMORY/CORES.",
       "Проверьте, что другое приложение не заняло все ядра (spark.cores.max)."}},
     {"A Spark job got no executors.",
      "No worker has the free cores/memory the application asks for: workers are not registered with the master, "
      "or spark.executor.memory/cores exceed what a worker offers.",
      {"Open the master UI (port 8080) and check that workers are ALIVE with free resources.",
       "Lower spark.executor.memory / spark.executor.cores or raise SPARK_WORKER_MEMORY/CORES.",
       "Check that another application does not hold every core (spark.cores.max)."}}},

    {"spark.master-unreachable",
     "spark",
     R"(Failed to connect to (the )?master|All masters are unresponsive|Connection refused: [\w.-]*master|)"
     R"(Cannot connect to master|Failed to connect to [\w.-]*spark-master)",
     classification::critical,
     false,
     0.9,
     {"Воркер или драйвер Spark не может подключиться к мастеру.",
      "Мастер не запущен, слушает другой адрес/порт, или адрес spark://host:7077 недоступен из контейнера "
      "(имя сервиса, сеть compose, SPARK_MASTER_HOST).",
      {"Проверьте, что контейнер spark-master запущен и слушает 7077.",
       "Сверьте SPARK_MASTER_URL воркеров и --master драйвера с именем сервиса мастера.",
       "Добавьте healthcheck мастеру и depends_on воркерам."}},
     {"A Spark worker or driver cannot connect to the master.",
      "The master is not running, listens on another address/port, or spark://host:7077 is not reachable from the "
      "container (service name, compose network, SPARK_MASTER_HOST).",
      {"Check that the spark-master container runs and listens on 7077.",
       "Compare the workers' SPARK_MASTER_URL and the driver's --master with the master's service name.",
       "Give the master a healthcheck and the workers depends_on."}}},

    {"spark.executor-lost",
     "spark",
     R"(Lost executor|ExecutorLostFailure|Executor [\w-]+ finished with state (EXITED|FAILED|KILLED|LOST)|)"
     R"(Removing executor .* with no recent heartbeats|Removing executor \S+ because it is (EXITED|FAILED|KILLED|LOST)|Container killed by YARN for exceeding memory|)"
     R"(executor .*exited (unexpectedly|with exit code)|Executor lost: \d+|Shuffle files lost for executor|)"
     R"(Executor updated: \S+ is now (EXITED|FAILED|KILLED|LOST)|Executor \S+ removed: .*(exited|killed|lost))",
     classification::major,
     false,
     0.85,
     {"Spark потерял executor'а: задачи перезапускаются.",
      "Процесс executor'а завершился: чаще всего нехватка памяти контейнера (OOM killer, exit code 137/143), "
      "падение воркера или потеря сети; задачи на нём пересчитываются.",
      {"Посмотрите лог executor'а (work/app-*/<id>/stderr) и код выхода.",
       "При коде 137 увеличьте память воркера или spark.executor.memoryOverhead.",
       "Проверьте стабильность воркера и сети между контейнерами."}},
     {"Spark lost an executor: its tasks are re-run.",
      "The executor process ended: most often container memory (OOM killer, exit code 137/143), a crashed worker "
      "or a network loss; its tasks are recomputed.",
      {"Read the executor's log (work/app-*/<id>/stderr) and exit code.",
       "For exit code 137 give the worker more memory or raise spark.executor.memoryOverhead.",
       "Check that the worker and the network between containers are stable."}}},

    {"spark.native-hadoop-warning",
     "spark",
     R"(Unable to load native-hadoop library for your platform)",
     classification::info,
     true,
     0.95,
     {"Стандартное предупреждение: нативная библиотека Hadoop не найдена — используются Java-реализации.",
      "В образе нет libhadoop для этой платформы; Spark работает корректно, лишь некоторые кодеки медленнее.",
      {"Ничего делать не нужно; при желании скройте через log4j: log4j.logger.org.apache.hadoop.util.NativeCodeLoader=ERROR."}},
     {"A standard warning: the native Hadoop library was not found, the Java implementations are used.",
      "The image has no libhadoop for this platform; Spark works correctly, some codecs are just slower.",
      {"Nothing to do; to hide it set log4j.logger.org.apache.hadoop.util.NativeCodeLoader=ERROR."}}},

    {"spark.procfs-pagesize",
     "spark",
     R"(Exception when trying to compute pagesize)",
     classification::info,
     true,
     0.9,
     {"Предупреждение Spark: метрики дерева процессов недоступны.",
      "В контейнере (или не в Linux) Spark не может узнать размер страницы и отключает эти метрики; на задания не влияет.",
      {"Ничего делать не нужно."}},
     {"A Spark warning: process-tree metrics are unavailable.",
      "In a container (or off Linux) Spark cannot read the page size and turns these metrics off; jobs are not affected.",
      {"Nothing to do."}}},

    {"spark.default-log4j-profile",
     "spark",
     R"(Using Spark's default log4j profile)",
     classification::info,
     true,
     0.95,
     {"Информационное сообщение запуска Spark.",
      "Spark не нашёл свой log4j-конфиг и использует встроенный.",
      {"Ничего делать не нужно."}},
     {"A Spark start-up message.",
      "Spark found no log4j configuration of its own and uses the built-in one.",
      {"Nothing to do."}}},

    {"spark.hostname-loopback",
     "spark",
     R"(resolves to a loopback address|Set SPARK_LOCAL_IP if you need to bind to another address)",
     classification::info,
     true,
     0.9,
     {"Предупреждение: имя хоста контейнера указывает на loopback, Spark выбрал другой интерфейс.",
      "В контейнере hostname разрешается в 127.0.0.1; Spark сам берёт адрес сетевого интерфейса.",
      {"Обычно ничего делать не нужно; при проблемах со связью задайте SPARK_LOCAL_IP."}},
     {"A warning: the container's host name resolves to loopback, Spark picked another interface.",
      "Inside the container the host name resolves to 127.0.0.1; Spark binds to a network interface instead.",
      {"Usually nothing to do; if nodes cannot talk, set SPARK_LOCAL_IP."}}},
};

}  // namespace kb
LOGLENS_NAMESPACE_END
