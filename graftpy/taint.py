"""Secret values, followed through evaluation and kept out of every message.

A value is *tainted* when it came from a secret store (an operator with
``yields_secrets = True``: vault, vault-try, awsparam, awssecret, nats) or was
computed from a tainted value. The evaluator follows taint at operator
granularity: an operator that read a tainted value (through ``ctx.evaluate``
or ``ctx.lookup``), or whose result holds one, has its result registered too,
so ``concat``, ``base64``, ``base64-decode``, ``calc``, ``stringify``,
``join``, ``grab``, ``ips``... all pass it on, and so does any plugin.

Every text graftpy prints about a run (errors, ``--debug`` lines, log records,
explain and render reports) goes through ``redact``: each registered string is
replaced by ``REDACTED``. Strings of 4 characters or more are replaced wherever
they occur; shorter ones from a secret store only as whole words (so a secret
``42`` does not mangle ``$.jobs.42x``), and shorter derived values are not
tracked at all (``true``, ``0``).

Cost: nothing until a secret operator has produced a value in the run (one
attribute test per evaluated argument: ``registry.active``). After that, each
operator's inputs and result are checked by set membership, leaf by leaf.

Interface (for operators, backends, explain, render)::

    taint.redact(text) -> str        # the process-wide redaction (CLI, logs, reports)
    taint.redact_data(value)         # the same over JSON-ready data (reports written as JSON)
    reg = taint.registry(ctx)        # the run's SecretRegistry (anything with .state)
    reg.active                       # a secret was produced in this run
    reg.add_source(value)            # from a secret store: every string leaf, any length
    reg.add_derived(value)           # computed from a secret: string leaves of 4+ characters
    reg.add_credential(text)         # a token or password: redacted, starts no propagation
    reg.touches(value) -> bool       # value (deep) holds a registered string
    taint.mask_url_password(url)     # http://user:REDACTED@host, for messages about a URL
"""

from __future__ import annotations

import re
import threading
from typing import Any

REDACTED = "REDACTED"
MIN_SUBSTRING = 4  # shorter secrets are replaced as whole words only


class SecretRegistry:
    """The secret strings known to one run (or, for ``PROCESS``, to every run)."""

    def __init__(self, parent: SecretRegistry | None = None) -> None:
        self.active = False
        self._values: set[str] = set()
        self._lock = threading.Lock()
        self._pattern: re.Pattern[str] | None = None
        self._parent = parent

    def __bool__(self) -> bool:
        return bool(self._values)

    def __repr__(self) -> str:  # never the values
        return f"SecretRegistry({len(self._values)} values, active={self.active})"

    # -- registering -------------------------------------------------------------
    def add_source(self, value: Any) -> None:
        self._add(_strings(value, 1))
        self.active = True

    def add_derived(self, value: Any) -> None:
        self._add(_strings(value, MIN_SUBSTRING))

    def add_credential(self, text: str | None) -> None:
        if text:
            self._add([text])

    def _add(self, strings: list[str]) -> None:
        new = [s for s in strings if s not in self._values and s != REDACTED]
        if not new:
            return
        with self._lock:
            self._values.update(new)
            self._pattern = None
        if self._parent is not None:
            self._parent._add(new)
        else:
            logging_filter_installed()

    def forget(self) -> None:
        """Drop every registered string (tests; a long-lived process between runs)."""
        with self._lock:
            self._values.clear()
            self._pattern = None
        self.active = False

    # -- asking ------------------------------------------------------------------
    def touches(self, value: Any) -> bool:
        values = self._values
        if not values:
            return False
        if isinstance(value, str):
            return value in values
        if isinstance(value, dict):
            return any(self.touches(k) or self.touches(v) for k, v in value.items())
        if isinstance(value, list):
            return any(self.touches(v) for v in value)
        if isinstance(value, bytes):
            return value.decode("utf-8", "replace") in values
        if isinstance(value, int | float) and not isinstance(value, bool):
            return _text(value) in values
        return False

    def redact(self, text: str) -> str:
        if not self._values or not text:
            return text
        pattern = self._pattern
        if pattern is None:
            pattern = self._compile()
        return pattern.sub(REDACTED, text)

    def _compile(self) -> re.Pattern[str]:
        with self._lock:
            # longest first, so a secret containing another is replaced whole
            values = sorted(self._values, key=len, reverse=True)
            parts = [
                re.escape(v) if len(v) >= MIN_SUBSTRING else rf"(?<!\w){re.escape(v)}(?!\w)"
                for v in values
            ]
            self._pattern = re.compile("|".join(parts))
            return self._pattern


PROCESS = SecretRegistry()  # the union of every run's secrets: what the CLI redacts with


def new_registry() -> SecretRegistry:
    """A registry for one run; what it learns is also added to ``PROCESS``."""
    return SecretRegistry(parent=PROCESS)


def registry(ctx: Any) -> SecretRegistry:
    """The run's registry, from an ``EvalContext`` (or anything with ``.state``)."""
    return ctx.state.secrets


def redact(text: str) -> str:
    """``text`` with every secret this process has met replaced by ``REDACTED``."""
    return PROCESS.redact(text) if PROCESS else text


def redact_data(value: Any) -> Any:
    """``value`` (JSON-ready data: maps, lists, strings) with ``redact`` applied to every
    string in it, keys too: for reports written as JSON, where a secret holding a quote
    or a newline would no longer match once escaped."""
    if not PROCESS:
        return value
    if isinstance(value, str):
        return PROCESS.redact(value)
    if isinstance(value, dict):
        return {redact_data(k): redact_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact_data(v) for v in value]
    return value


def mask_url_password(url: str) -> str:
    """``http://user:pass@host`` -> ``http://user:REDACTED@host`` (for messages)."""
    scheme, sep, rest = url.partition("://")
    userinfo, at, host = rest.partition("@")
    if not sep or not at or "/" in userinfo or ":" not in userinfo:
        return url
    user = userinfo.split(":", 1)[0]
    return f"{scheme}://{user}:{REDACTED}@{host}"


def url_password(url: str) -> str | None:
    """The password of ``http://user:pass@host``, or None."""
    from urllib.parse import unquote, urlsplit

    try:
        password = urlsplit(url).password
    except ValueError:
        return None
    return unquote(password) if password else None


def _strings(value: Any, minimum: int) -> list[str]:
    out: list[str] = []

    def walk(v: Any) -> None:
        if isinstance(v, str):
            if len(v) >= minimum:
                out.append(v)
        elif isinstance(v, dict):
            # values only: the keys of a secret map (password, port) name its parts and
            # are in the manifest's paths and in graft's messages: no secret of their own
            for item in v.values():
                walk(item)
        elif isinstance(v, list):
            for item in v:
                walk(item)
        elif isinstance(v, bytes):
            walk(v.decode("utf-8", "replace"))
        elif isinstance(v, int | float) and not isinstance(v, bool):
            walk(_text(v))

    walk(value)
    return out


def _text(number: int | float) -> str:
    from graftpy.gofmt import sprint

    return sprint(number)


_factory_lock = threading.Lock()
_factory_on: list[Any] = []


def logging_filter_installed() -> None:
    """Make every log record redacted when it is created (once a secret is known).

    A record factory rather than a logger filter: filters of a logger do not see
    the records of its children (``graftpy.backends``), and third-party clients
    (botocore, urllib3, hvac) log under their own names.
    """
    if _factory_on:
        return
    import logging  # not on a run's start-up: only once a secret is known

    with _factory_lock:
        if _factory_on:
            return
        previous = logging.getLogRecordFactory()

        def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = previous(*args, **kwargs)
            try:
                message = record.getMessage()
            except Exception:  # a malformed record: leave it to logging's own reporting
                return record
            clean = redact(message)
            if clean != message:
                record.msg, record.args = clean, None
            return record

        logging.setLogRecordFactory(factory)
        _factory_on.append(factory)
