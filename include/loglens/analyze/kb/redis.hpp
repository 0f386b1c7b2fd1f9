#pragma once
// Knowledge-base table: known failures and known noise of Redis.
// SPDX-License-Identifier: MIT

#include <loglens/analyze/kb/signature.hpp>

LOGLENS_NAMESPACE_BEGIN
namespace kb {

inline constexpr kb_signature redis[] = {
    {"redis.bgsave-fork-failed",
     "redis",
     R"(Can't save in background: fork: Cannot allocate memory)",
     classification::critical,
     false,
     0.95,
     {"Redis не может сохранить снимок RDB: fork() не получил память.",
      "Для BGSAVE Redis делает fork(); при vm.overcommit_memory=0 и большом наборе данных ядро отказывает, "
      "снимки не пишутся, и при stop-writes-on-bgsave-error Redis перестаёт принимать записи.",
      {"Включите overcommit на хосте: `sysctl vm.overcommit_memory=1` (и в /etc/sysctl.conf).",
       "Дайте контейнеру больше памяти или ограничьте maxmemory.",
       "Проверьте результат: `redis-cli INFO persistence` (rdb_last_bgsave_status:ok)."}},
     {"Redis cannot write an RDB snapshot: fork() got no memory.",
      "BGSAVE forks the server; with vm.overcommit_memory=0 and a large dataset the kernel refuses, snapshots are "
      "not written, and with stop-writes-on-bgsave-error Redis stops accepting writes.",
      {"Enable overcommit on the host: `sysctl vm.overcommit_memory=1` (and in /etc/sysctl.conf).",
       "Give the container more memory or cap maxmemory.",
       "Verify: `redis-cli INFO persistence` (rdb_last_bgsave_status:ok)."}}},

    {"redis.overcommit-memory-warning",
     "redis",
     R"(overcommit_memory is set to 0|Memory overcommit must be enabled)",
     classification::warning,
     false,
     0.9,
     {"Предупреждение Redis: на хосте выключен overcommit памяти.",
      "При vm.overcommit_memory=0 фоновые сохранения (BGSAVE, перезапись AOF) могут упасть с ошибкой fork при "
      "нехватке памяти.",
      {"Выполните на хосте Docker `sysctl vm.overcommit_memory=1` и закрепите в /etc/sysctl.conf.",
       "Перезапустите контейнер Redis."}},
     {"A Redis warning: memory overcommit is disabled on the host.",
      "With vm.overcommit_memory=0, background saves (BGSAVE, AOF rewrite) may fail to fork under memory "
      "pressure.",
      {"Run `sysctl vm.overcommit_memory=1` on the Docker host and persist it in /etc/sysctl.conf.",
       "Restart the Redis container."}}},

    {"redis.persistence-permission-denied",
     "redis",
     R"((Failed opening the (temp )?RDB file|Can't open the append-only file|Opening the temp file for AOF rewrite|)"
     R"(Error trying to save the DB|Can't open or create append-only dir).*Permission denied)",
     classification::critical,
     false,
     0.95,
     {"Redis не может записать файлы персистентности (RDB/AOF): нет прав.",
      "Каталог данных (обычно смонтированный /data) не доступен на запись пользователю redis (UID 999) в "
      "контейнере; снимки и AOF не сохраняются.",
      {"Исправьте владельца тома: `sudo chown -R 999:999 ./redis-data`.",
       "Проверьте, что том не смонтирован только для чтения.",
       "Проверьте `CONFIG GET dir` — Redis должен писать в смонтированный каталог."}},
     {"Redis cannot write its persistence files (RDB/AOF): permission denied.",
      "The data folder (usually a mounted /data) is not writable by the redis user (UID 999) in the container; "
      "snapshots and the AOF are not saved.",
      {"Fix the volume's owner: `sudo chown -R 999:999 ./redis-data`.", "Check that the volume is not mounted read-only.",
       "Check `CONFIG GET dir`: Redis must write to the mounted folder."}}},

    {"redis.rdb-aof-corrupt",
     "redis",
     R"(Bad file format reading the append only file|Short read or OOM loading DB|Wrong signature trying to load DB|)"
     R"(Unexpected EOF reading RDB file|Can't handle RDB format version|Unrecoverable error reading the append only|)"
     R"(AOF .* is not valid|Bad file format reading)",
     classification::critical,
     false,
     0.9,
     {"Redis не может загрузить файл данных: RDB или AOF повреждён или несовместим.",
      "Файл обрезан (аварийная остановка, нехватка места) или записан более новой версией Redis; сервер не стартует.",
      {"Сделайте копию файла, затем проверьте/почините: `redis-check-aof --fix <file>` или `redis-check-rdb <file>`.",
       "Проверьте версию образа Redis: новая версия формата RDB не читается старым Redis.",
       "Проверьте свободное место на диске с томом."}},
     {"Redis cannot load its data file: the RDB or AOF is corrupt or incompatible.",
      "The file was truncated (crash, full disk) or written by a newer Redis version; the server does not start.",
      {"Back the file up, then check/repair it: `redis-check-aof --fix <file>` or `redis-check-rdb <file>`.",
       "Check the Redis image version: a newer RDB format is unreadable by an older Redis.",
       "Check the free space on the volume's disk."}}},

    {"redis.misconf",
     "redis",
     R"(MISCONF Redis is configured to save RDB snapshots)",
     classification::critical,
     false,
     0.95,
     {"Redis отклоняет записи: последний снимок RDB не сохранился (MISCONF).",
      "Фоновое сохранение упало (нет прав, нет места, fork не удался), а stop-writes-on-bgsave-error=yes "
      "блокирует команды записи; клиенты (Airflow/Celery) получают ошибки.",
      {"Найдите в логе Redis причину неудачного BGSAVE и устраните её (права, место, overcommit).",
       "Проверьте `redis-cli INFO persistence`.",
       "Только если персистентность не нужна: `CONFIG SET stop-writes-on-bgsave-error no`."}},
     {"Redis refuses writes: the last RDB snapshot failed (MISCONF).",
      "A background save failed (permissions, disk space, fork) and stop-writes-on-bgsave-error=yes blocks write "
      "commands; clients (Airflow/Celery) get errors.",
      {"Find why BGSAVE failed in the Redis log and fix it (permissions, space, overcommit).",
       "Check `redis-cli INFO persistence`.",
       "Only if persistence is not needed: `CONFIG SET stop-writes-on-bgsave-error no`."}},
     true},

    {"redis.maxmemory-oom",
     "redis",
     R"(OOM command not allowed when used memory > 'maxmemory')",
     classification::major,
     false,
     0.95,
     {"Redis отклоняет записи: достигнут лимит maxmemory.",
      "Данных больше, чем maxmemory, а политика вытеснения noeviction (или ключи без TTL при volatile-*) не "
      "позволяет освободить место.",
      {"Увеличьте maxmemory или память контейнера.",
       "Выберите политику вытеснения: `maxmemory-policy allkeys-lru` для кэша.",
       "Найдите крупные ключи: `redis-cli --bigkeys`; для Celery удаляйте результаты (result_expires)."}},
     {"Redis refuses writes: maxmemory is reached.",
      "The data exceed maxmemory and the eviction policy noeviction (or keys without TTL under volatile-*) cannot "
      "free space.",
      {"Raise maxmemory or the container's memory.",
       "Choose an eviction policy: `maxmemory-policy allkeys-lru` for a cache.",
       "Find large keys: `redis-cli --bigkeys`; for Celery expire results (result_expires)."}},
     true},

    {"redis.persistence-disabled",
     "redis",
     R"(persistence (is )?disabled|DB (saving|persistence) (is )?disabled|RDB and AOF (are )?disabled)",
     classification::minor,
     false,
     0.75,
     {"Персистентность Redis выключена: данные пропадут при перезапуске.",
      "Снимки RDB и AOF отключены в конфигурации; для брокера Celery или хранилища состояния это означает потерю "
      "очереди при рестарте контейнера.",
      {"Если Redis хранит очередь или состояние, включите `appendonly yes` или `save 60 1000`.",
       "Если это только кэш — можно игнорировать."}},
     {"Redis persistence is disabled: data is lost on restart.",
      "RDB snapshots and AOF are switched off; for a Celery broker or a state store the queue is lost when the "
      "container restarts.",
      {"If Redis holds a queue or state, enable `appendonly yes` or `save 60 1000`.",
       "If it is only a cache, this can be ignored."}}},

    {"redis.thp-enabled",
     "redis",
     R"(Transparent Huge Pages \(THP\) support enabled)",
     classification::warning,
     false,
     0.85,
     {"Предупреждение Redis: включены Transparent Huge Pages.",
      "THP на хосте увеличивает задержки и расход памяти при fork для сохранений.",
      {"На хосте: `echo never > /sys/kernel/mm/transparent_hugepage/enabled` и закрепить при загрузке."}},
     {"A Redis warning: Transparent Huge Pages are enabled.",
      "THP on the host raises latency and memory use when forking for saves.",
      {"On the host: `echo never > /sys/kernel/mm/transparent_hugepage/enabled`, persisted at boot."}}},

    {"redis.tcp-backlog",
     "redis",
     R"(TCP backlog setting of \d+ cannot be enforced)",
     classification::warning,
     false,
     0.9,
     {"Настройка хоста: net.core.somaxconn меньше tcp-backlog Redis.",
      "Ядро ограничивает очередь входящих соединений значением somaxconn; при всплеске подключений клиенты "
      "получают отказы и таймауты.",
      {"Задайте сервису в compose `sysctls: net.core.somaxconn: 1024` (или `sysctl -w net.core.somaxconn=1024` на хосте).",
       "Перезапустите Redis и убедитесь, что предупреждение исчезло."}},
     {"Host tuning: net.core.somaxconn is below Redis' tcp-backlog.",
      "The kernel caps the accept queue at somaxconn; under a burst of connections clients are refused or time out.",
      {"Set `sysctls: net.core.somaxconn: 1024` on the compose service (or `sysctl -w net.core.somaxconn=1024` on the host).",
       "Restart Redis and check that the warning is gone."}}},

    {"redis.replica-of-public-master",
     "redis",
     R"(Connecting to MASTER (?!(10|127)\.|172\.(1[6-9]|2\d|3[01])\.|192\.168\.|169\.254\.)\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}:\d+)",
     classification::critical,
     false,
     0.85,
     {"Redis стал репликой неизвестного публичного сервера: вероятно, его взломали.",
      "Открытый наружу Redis без пароля получает `REPLICAOF <адрес злоумышленника>` и загружает чужие данные "
      "или модуль; это известная атака на незащищённые Redis.",
      {"Закройте порт 6379 от интернета (уберите `ports:` в compose или привяжите к 127.0.0.1).",
       "Задайте пароль (`requirepass`) и переименуйте/запретите REPLICAOF, CONFIG и MODULE.",
       "Пересоздайте контейнер и том данных: считайте сервер скомпрометированным."}},
     {"Redis became a replica of an unknown public server: it was probably compromised.",
      "A Redis exposed to the internet without a password receives `REPLICAOF <attacker>` and loads foreign data or "
      "a module; a well-known attack on unprotected Redis.",
      {"Close port 6379 to the internet (drop `ports:` in compose or bind it to 127.0.0.1).",
       "Set a password (`requirepass`) and rename or disable REPLICAOF, CONFIG and MODULE.",
       "Recreate the container and its data volume: treat the server as compromised."}}},

    {"redis.replica-sync-failing",
     "redis",
     R"(Error reply to PING from master|Sending command to master in replication handshake|Error condition on socket for SYNC|)"
     R"(Timeout connecting to the MASTER|Master did not respond to command during SYNC handshake|Unable to connect to MASTER)",
     classification::major,
     false,
     0.85,
     {"Реплика Redis не может синхронизироваться с мастером.",
      "Рукопожатие репликации обрывается: мастер недоступен, требует пароль (masterauth) или закрывает соединение.",
      {"Проверьте доступность мастера: `redis-cli -h <master> -p <port> PING` из контейнера реплики.",
       "Если у мастера есть requirepass, задайте реплике `masterauth`.",
       "Проверьте `INFO replication` на мастере и реплике."}},
     {"A Redis replica cannot sync with its master.",
      "The replication handshake breaks: the master is unreachable, wants a password (masterauth) or closes the "
      "connection.",
      {"Check the master from the replica's container: `redis-cli -h <master> -p <port> PING`.",
       "If the master has requirepass, set `masterauth` on the replica.", "Check `INFO replication` on both."}}},

    {"redis.sentinel-master-down",
     "redis",
     R"(\+[so]down master |\+switch-master |\+try-failover |-failover-abort)",
     classification::major,
     false,
     0.85,
     {"Sentinel считает мастер Redis недоступным и переключает его (failover).",
      "Мастер не отвечал дольше down-after-milliseconds; кворум Sentinel выбрал новую реплику мастером. Клиенты, "
      "подключённые к старому адресу, получают ошибки.",
      {"Выясните, почему мастер упал: логи его контейнера, память (OOM), сеть.",
       "Убедитесь, что клиенты получают адрес мастера от Sentinel, а не по фиксированному адресу.",
       "Проверьте `SENTINEL masters` и `INFO replication` на новом мастере."}},
     {"Sentinel considers the Redis master down and fails it over.",
      "The master did not answer for longer than down-after-milliseconds; the Sentinel quorum promoted a replica. "
      "Clients connected to the old address get errors.",
      {"Find why the master went down: its container's log, memory (OOM), network.",
       "Make sure clients ask Sentinel for the master instead of using a fixed address.",
       "Check `SENTINEL masters` and `INFO replication` on the new master."}}},

    {"redis.sentinel-instance-down",
     "redis",
     R"(\+sdown (slave|sentinel) )",
     classification::warning,
     false,
     0.8,
     {"Sentinel потерял связь с репликой или другим Sentinel.",
      "Экземпляр не отвечал дольше down-after-milliseconds; если это повторяется, кворуму может не хватить голосов.",
      {"Проверьте контейнер экземпляра и сеть между ними.",
       "Следите за парой `+sdown`/`-sdown`: частое мигание — признак сетевых проблем."}},
     {"Sentinel lost contact with a replica or another Sentinel.",
      "The instance did not answer for longer than down-after-milliseconds; if it repeats, the quorum may lack votes.",
      {"Check the instance's container and the network between them.",
       "Watch for `+sdown`/`-sdown` pairs: frequent flapping points at the network."}}},

    {"redis.startup-chatter",
     "redis",
     R"(Redis is starting|just started|^\W*Configuration loaded|Server initialized|Running mode=|)"
     R"(Server started, Redis version|monotonic clock|DB loaded from disk|Done loading RDB|Sentinel ID is|)"
     R"(\+monitor master|\+new-epoch|\+vote-for-leader|\+elected-leader|\+failover-state|\+selected-slave|)"
     R"(\+promoted-slave|\+config-update-from|\+slave slave|\+sentinel sentinel|Next failover delay|-sdown |-odown |)"
     R"(\+convert-to-slave|\+failover-end|\+slave-reconf|Master replication ID changed|Loading RDB produced by|)"
     R"(RDB age \d+|RDB memory usage|MASTER <-> REPLICA sync: (Finished with success|Flushing old data|Loading DB|receiving))",
     classification::info,
     true,
     0.9,
     {"Обычные сообщения Redis и Sentinel при запуске и переключении.",
      "Информационные строки (часто уровня `#`).",
      {"Ничего делать не нужно."}},
     {"Ordinary Redis and Sentinel start-up and failover messages.",
      "Informational lines (often at level `#`).",
      {"Nothing to do."}}},

    {"redis.no-config-file",
     "redis",
     R"(no config file specified, using the default config)",
     classification::info,
     true,
     0.95,
     {"Информационное сообщение: Redis запущен без файла конфигурации.",
      "Официальный образ по умолчанию стартует со встроенной конфигурацией.",
      {"Ничего делать не нужно, если настройки по умолчанию подходят."}},
     {"An informational message: Redis started without a configuration file.",
      "The official image starts with the built-in configuration by default.",
      {"Nothing to do if the defaults fit."}}},
};

}  // namespace kb
LOGLENS_NAMESPACE_END
