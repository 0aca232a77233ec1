"""The cache the rate limits count in: shared by every worker, and counting atomically.

settings.CACHES uses `DatabaseCache` below unless CACHE_URL names Redis. Django's own
database cache implements `incr` as a read followed by a write, so two workers counting
the same key at once could both write the same number; it also resets the entry's expiry
to the default timeout. Here `incr` locks the row (SELECT ... FOR UPDATE) for the read
and the write, and keeps the expiry the entry was added with. Redis's INCRBY already
behaves so.

`set` and `set_many` write with one INSERT ... ON CONFLICT for all their entries, after
one count for culling: Django's writes each entry with a count, a look-up and an
insert or update, so a result list of twenty new entries cost eighty statements.
"""

import base64
import pickle
from datetime import UTC, datetime

from django.core.cache.backends import db
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.db import connections, router, transaction
from django.utils.timezone import now


class DatabaseCache(db.DatabaseCache):
    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        alias = router.db_for_write(self.cache_model_class)
        connection = connections[alias]
        table = connection.ops.quote_name(self._table)
        with transaction.atomic(using=alias), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT value, expires FROM {table} WHERE cache_key = %s FOR UPDATE", [key]
            )
            row = cursor.fetchone()
            if row is None or row[1] < now():
                raise ValueError(f"Key '{key}' not found")
            value = pickle.loads(base64.b64decode(row[0].encode())) + delta
            stored = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(f"UPDATE {table} SET value = %s WHERE cache_key = %s", [stored, key])
        return value

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self.set_many({key: value}, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        if not data:
            return []
        expiry = self.get_backend_timeout(timeout)
        expires = (datetime.max if expiry is None else datetime.fromtimestamp(expiry)).replace(
            microsecond=0, tzinfo=UTC
        )
        keys, values = [], []
        for key, value in data.items():
            keys.append(self.make_and_validate_key(key, version=version))
            pickled = pickle.dumps(value, self.pickle_protocol)
            values.append(base64.b64encode(pickled).decode("latin1"))
        alias = router.db_for_write(self.cache_model_class)
        connection = connections[alias]
        table = connection.ops.quote_name(self._table)
        with transaction.atomic(using=alias), connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {table}")
            count = cursor.fetchone()[0]
            if count > self._max_entries:
                self._cull(alias, cursor, now().replace(microsecond=0), count)
            cursor.execute(
                f"INSERT INTO {table} (cache_key, value, expires)"
                " SELECT k, v, %s FROM unnest(%s::text[], %s::text[]) AS new (k, v)"
                " ON CONFLICT (cache_key) DO UPDATE"
                " SET value = EXCLUDED.value, expires = EXCLUDED.expires",
                [expires, keys, values],
            )
        return []
