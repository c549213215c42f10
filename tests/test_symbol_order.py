"""The symbol table order (for_all_symbols) hangs on the C tools' string hash: the bucket
function must agree with the full 32-bit FNV hash taken modulo the table size."""

from __future__ import annotations

import random

from kbuild.kconfig.symbol import fnv32, hash_bucket, hash_buckets


def test_bucket_is_hash_modulo_table_size():
    rng = random.Random(7)
    names = ["".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789abcxyz") for _ in range(rng.randint(1, 60)))
             for _ in range(5000)]
    # non-ASCII and undecodable bytes hash as signed chars in C
    names += ["\u00e9t\u00e9", "\u4e2d\u6587_X", b"x\x80\xffy".decode("utf-8", "surrogateescape"), ""]
    for n in names:
        assert hash_bucket(n) == fnv32(n) % (1 << 14), n
    # all at once, lanes of one big int per length
    assert hash_buckets(names) == [hash_bucket(n) for n in names]
