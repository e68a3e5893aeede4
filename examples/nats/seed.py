"""Store the example's values in the NATS server at $NATS_URL (idempotent)."""

import asyncio
import os

import nats
from nats.js.api import ObjectMeta
from nats.js.errors import BucketNotFoundError

KV = {
    "db_host": b"db.prod.internal",
    "db_port": b"5432",
    "db_pool": b"min: 2\nmax: 20\ntimeout: 30s\n",
}
OBJECTS = [
    ("prod.yaml", None, b"replicas: 3\nfeatures: [auth, api]\n"),
    ("banner.txt", "text/plain", b"Welcome to prod\n"),
    ("logo.png", "image/png", b"\x89PNG\r\n\x1a\n"),
]


async def main() -> None:
    nc = await nats.connect(os.environ["NATS_URL"])
    js = nc.jetstream()
    try:
        kv = await js.key_value("config")
    except BucketNotFoundError:
        kv = await js.create_key_value(bucket="config")
    for key, value in KV.items():
        await kv.put(key, value)
    try:
        store = await js.object_store("configs")
    except BucketNotFoundError:
        store = await js.create_object_store("configs")
    for name, content_type, data in OBJECTS:
        headers = {"Content-Type": [content_type]} if content_type else None
        await store.put(name, data, meta=ObjectMeta(name=name, headers=headers))
    await nc.close()


asyncio.run(main())
