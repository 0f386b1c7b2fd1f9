#pragma once
// Knowledge-base table: known failures and known noise of MinIO.
// SPDX-License-Identifier: MIT

#include <loglens/analyze/kb/signature.hpp>

LOGLENS_NAMESPACE_BEGIN
namespace kb {

inline constexpr kb_signature minio[] = {
    {"minio.default-credentials", "minio",
     R"(Detected default credentials|default credentials '?minioadmin|minioadmin:minioadmin)",
     classification::major, false, 0.95,
     {"MinIO работает с учётными данными по умолчанию (minioadmin:minioadmin).",
      "MINIO_ROOT_USER/MINIO_ROOT_PASSWORD не заданы, поэтому любой, кто достучится до порта, получает полный доступ.",
      {"Задайте MINIO_ROOT_USER и MINIO_ROOT_PASSWORD (не короче 8 символов) в .env и пересоздайте контейнер.",
       "Обновите ключи в клиентах (Airflow connection, Spark fs.s3a.access.key/secret.key).",
       "Не публикуйте порты 9000/9001 наружу без необходимости."}},
     {"MinIO runs with the default credentials (minioadmin:minioadmin).",
      "MINIO_ROOT_USER/MINIO_ROOT_PASSWORD are not set, so anyone who reaches the port has full access.",
      {"Set MINIO_ROOT_USER and MINIO_ROOT_PASSWORD (8+ characters) in .env and recreate the container.",
       "Update the keys in the clients (Airflow connection, Spark fs.s3a.access.key/secret.key).",
       "Do not publish ports 9000/9001 unless needed."}}},

    {"minio.unsupported-backend", "minio",
     R"(found backend type \w+, expected xl|Unsupported backend format|unsupported backend|)"
     R"(Unable to recognize backend format)",
     classification::critical, false, 0.9,
     {"MinIO не стартует: данные на диске в неподдерживаемом формате (старый FS/gateway режим).",
      "Том создан старой версией MinIO в режиме FS, который новые версии больше не поддерживают.",
      {"Закрепите старую версию образа MinIO, совместимую с данными, или",
       "перенесите данные: поднимите старую версию, сделайте `mc mirror` в новый экземпляр на пустом томе.",
       "Не используйте тег latest для MinIO в compose."}},
     {"MinIO does not start: the data on disk is in an unsupported format (old FS/gateway mode).",
      "The volume was created by an old MinIO in FS mode, which newer versions no longer support.",
      {"Pin an older MinIO image that matches the data, or",
       "migrate: run the old version and `mc mirror` into a new instance on an empty volume.",
       "Do not use the latest tag for MinIO in compose."}}},

    {"minio.storage-full", "minio",
     R"(Storage resources are insufficient|XMinioStorageFull|drive path full|No space left on device|)"
     R"(Storage reached its minimum free drive threshold)",
     classification::critical, false, 0.95,
     {"MinIO не может записывать объекты: на диске закончилось место.",
      "Свободное место на томе MinIO ниже порога; запись (загрузка артефактов, логов, датасетов) отклоняется.",
      {"Освободите место на хосте: `df -h`, `docker system df`.",
       "Удалите старые объекты или задайте правила жизненного цикла: `mc ilm rule add`.",
       "Перенесите том на диск большего размера."}},
     {"MinIO cannot write objects: the disk is full.",
      "Free space on MinIO's volume is below the threshold; writes (artifacts, logs, datasets) are rejected.",
      {"Free host disk space: `df -h`, `docker system df`.",
       "Delete old objects or add lifecycle rules: `mc ilm rule add`.",
       "Move the volume to a larger disk."}}, true},

    {"minio.unformatted-drive", "minio", R"(unformatted (drive|disk)|errUnformattedDisk)", classification::major,
     false, 0.85,
     {"MinIO нашёл неотформатированный диск.",
      "Один из дисков/томов пуст или заменён, а остальные уже содержат данные; MinIO ждёт его лечения.",
      {"Проверьте, что все тома смонтированы в правильные пути.",
       "Для заменённого диска запустите `mc admin heal -r <alias>`."}},
     {"MinIO found an unformatted drive.",
      "One drive/volume is empty or replaced while the others hold data; MinIO waits for it to be healed.",
      {"Check that every volume is mounted at the right path.",
       "For a replaced drive run `mc admin heal -r <alias>`."}}},

    {"minio.drive-not-found", "minio",
     R"((drive|disk) not found|errDiskNotFound|Unable to use the drive|(drive|disk) .* is offline|)"
     R"(Marking .* offline|Drive .* (returned an|is) unexpected error)",
     classification::critical, false, 0.85,
     {"MinIO не видит диск (drive not found / offline).",
      "Путь данных не существует или не смонтирован в контейнере (неверный том, опечатка в команде `server /data`), "
      "или диск отказал.",
      {"Сверьте путь в `command: server /data` с `volumes:` сервиса.",
       "Проверьте, что каталог на хосте существует и доступен на запись.",
       "Проверьте состояние: `mc admin info <alias>`."}},
     {"MinIO cannot see a drive (drive not found / offline).",
      "The data path does not exist or is not mounted in the container (wrong volume, typo in `server /data`), or "
      "the disk failed.",
      {"Compare the path in `command: server /data` with the service's `volumes:`.",
       "Check that the host folder exists and is writable.",
       "Check the state: `mc admin info <alias>`."}}},

    {"minio.waiting-for-servers", "minio",
     R"(Waiting for (all )?(other )?servers to (be|come) online|Waiting for a minimum of \d+ (drives|disks) to come online|)"
     R"(Waiting for all MinIO sub-systems to be initialized|Waiting for the first server to format)",
     classification::warning, false, 0.85,
     {"MinIO ждёт остальные узлы или диски и ещё не обслуживает запросы.",
      "В распределённом режиме не набран кворум узлов/дисков: другие контейнеры не запущены или недоступны по сети.",
      {"Проверьте, что все узлы MinIO запущены и видят друг друга по именам из команды server.",
       "Если сообщение появляется только при старте и исчезает — это нормально."}},
     {"MinIO waits for the other nodes or drives and does not serve requests yet.",
      "In distributed mode the quorum of nodes/drives is not reached: other containers are down or unreachable.",
      {"Check that every MinIO node runs and resolves the others by the names in the server command.",
       "If it shows only at start-up and then stops, this is normal."}}},

    {"minio.invalid-access-key", "minio",
     R"(InvalidAccessKeyId|The Access Key Id you provided does not exist|SignatureDoesNotMatch|)"
     R"(request signature we calculated does not match)",
     classification::major, false, 0.9,
     {"Клиент обращается к MinIO с неверным ключом доступа или подписью.",
      "Access key не существует или secret key не совпадает (сменили MINIO_ROOT_* без обновления клиентов), "
      "либо неверен регион/время на клиенте.",
      {"Сверьте ключи в клиентах (Airflow connection, Spark fs.s3a.*) с MINIO_ROOT_USER/пользователями MinIO.",
       "Для Spark/boto задайте path-style доступ и endpoint http://minio:9000.",
       "Проверьте часы контейнеров: расхождение больше 15 минут ломает подпись."}},
     {"A client calls MinIO with a wrong access key or signature.",
      "The access key does not exist or the secret key does not match (MINIO_ROOT_* changed without updating "
      "clients), or the client's region/clock is wrong.",
      {"Compare the keys in the clients (Airflow connection, Spark fs.s3a.*) with MINIO_ROOT_USER / MinIO users.",
       "For Spark/boto use path-style access and the endpoint http://minio:9000.",
       "Check the containers' clocks: more than 15 minutes of skew breaks signatures."}}, true},

    {"minio.drive-offline", "minio", R"(Status:\s+\d+ Online, [1-9]\d* Offline)", classification::major, false, 0.85,
     {"MinIO сообщает, что часть дисков или узлов офлайн.",
      "Диски не смонтированы, узлы не запущены или недоступны по сети; при потере кворума запись (или чтение) "
      "невозможна, иначе данные хранятся с меньшей избыточностью.",
      {"Найдите офлайн-диски и узлы: `mc admin info <alias>`.",
       "Проверьте монтирование томов и сеть между узлами.",
       "После восстановления запустите `mc admin heal -r <alias>`."}},
     {"MinIO reports some drives or nodes offline.",
      "Drives are not mounted, nodes are down or unreachable; without quorum writes (or reads) fail, otherwise data "
      "is kept with less redundancy.",
      {"Find the offline drives and nodes: `mc admin info <alias>`.", "Check the volume mounts and the network between nodes.",
       "Once they are back, run `mc admin heal -r <alias>`."}}},

    {"minio.parity-zero", "minio", R"(standard parity is set to 0)", classification::warning, false, 0.85,
     {"MinIO работает без избыточности (parity 0): отказ диска теряет данные.",
      "Один диск или EC:0 — данные хранятся в одном экземпляре. Для разработки нормально, для данных — нет.",
      {"Для важных данных разверните MinIO на 4+ дисках (erasure coding).", "Делайте резервные копии бакетов (`mc mirror`)."}},
     {"MinIO runs without redundancy (parity 0): a failed drive loses data.",
      "One drive or EC:0 keeps a single copy of the data. Fine for development, not for data you keep.",
      {"For data you keep deploy MinIO on 4+ drives (erasure coding).", "Back up the buckets (`mc mirror`)."}}},

    {"minio.startup-banner", "minio", R"(^\s*(API|WebUI|Console|RootUser|RootPass|Status|Documentation):\s)",
     classification::info, true, 0.8,
     {"Баннер запуска MinIO: адреса API и консоли.", "Обычное сообщение при старте сервера.", {"Ничего делать не нужно."}},
     {"MinIO's start-up banner: API and console addresses.", "A normal message when the server starts.",
      {"Nothing to do."}}},
};

}  // namespace kb
LOGLENS_NAMESPACE_END
