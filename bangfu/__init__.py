"""bangfu (帮扶): a platform for paired assistance and relapse monitoring."""

import os

# polars' allocator (jemalloc) keeps freed pages for ten seconds by default; an import of a million rows frees and
# allocates hundreds of megabytes phase after phase, so that those kept pages, not the data, set its peak memory.
# Set before polars is first imported; an operator's own setting wins.
os.environ.setdefault("_RJEM_MALLOC_CONF", "dirty_decay_ms:0,muzzy_decay_ms:0")
