"""The adaptive strategy's measurements: cost per operator kind, concurrency per backend.

Where an operator kind runs. Handing a call to a worker thread and getting its
result back costs tens of microseconds, and under the GIL a worker only helps
while a call *waits* (network, disk, a sleeping server). So a kind runs on the
pool when its calls take long (``POOL_ABOVE``) *and* most of that time is spent
waiting rather than computing (thread CPU time over wall time, sampled).
Everything else runs inline on the main thread. Until a kind has ``WARMUP``
samples, its declaration decides (``io_bound`` kinds start on the pool).

"Take long" means a slow mean *and* enough slow calls (``POOL_ABOVE`` or more),
a share that depends on the declaration. An ``io_bound`` kind stays on the pool
with 1 slow call in 10: a secret store answering 80 % of reads from its cache
and 20 % from the network is worth a worker. Any other kind needs half its
calls slow. A quick call that the OS happened to deschedule (a busy machine)
looks slow and off-CPU, but only now and then.

How many calls a backend gets at once. Each backend (vault, aws, load, ...) has
a concurrency limit driven like TCP's congestion window:
  * slow start: the limit doubles after each round while throughput grows (the
    adaptive strategy starts backends at the pool's size, so this only matters
    for an ``AIMDLimit`` made with a smaller ``initial``);
  * additive increase: +1 per round while throughput still grows;
  * multiplicative decrease: a throttled call (429/503) halves the limit, at most
    once per round, and additive growth resumes from there.
A round is ``limit`` completed calls; throughput is judged only in rounds where
the limit was binding (calls were waiting for room), since otherwise the limit
is not what holds throughput back.
"""

from __future__ import annotations

POOL_ABOVE = 0.0005  # s: mean wall time below which a call runs inline
WAITING_SHARE = 0.5  # share of wall time spent off-CPU needed to go to the pool
SLOW_SHARE_IO = 0.1  # share of slow calls that keeps an io_bound kind on the pool
SLOW_SHARE = 0.5  # share of slow calls that sends another kind to the pool
WARMUP = 8  # samples before measurements overrule the declared io_bound
REDECIDE_EVERY = 16  # after 2 x WARMUP samples, reconsider the lane this often
CPU_SAMPLE_EVERY = 64  # after warm-up, sample thread CPU time on 1 call in this many
INITIAL_LIMIT = 4  # default starting concurrency of an AIMDLimit
GROWTH_CREDIT = 0.5  # a grown limit must bring at least this share of its expected gain
MIN_GAIN = 0.02  # and at least this much more throughput (measurement noise)


class KindStats:
    """Running totals for one operator kind, and where its calls should run."""

    __slots__ = ("io_bound", "count", "slow", "wall", "cpu", "cpu_wall", "pool")

    def __init__(self, io_bound: bool) -> None:
        self.io_bound = io_bound
        self.count = 0
        self.slow = 0  # calls that took at least POOL_ABOVE
        self.wall = 0.0
        self.cpu = 0.0  # thread CPU time of the sampled calls
        self.cpu_wall = 0.0  # wall time of the same sampled calls
        self.pool = io_bound

    def wants_cpu_sample(self) -> bool:
        return self.count < WARMUP or self.count % CPU_SAMPLE_EVERY == 0

    def observe(self, wall: float, cpu: float | None) -> bool:
        """Count one call; True when this changed the kind's lane."""
        self.count += 1
        self.wall += wall
        if wall >= POOL_ABOVE:
            self.slow += 1
        if cpu is not None:
            self.cpu += cpu
            self.cpu_wall += wall
        n = self.count
        if n < WARMUP or (n >= 2 * WARMUP and n % REDECIDE_EVERY):
            return False
        pool = self._decide()
        if pool is self.pool:
            return False
        self.pool = pool
        return True

    @property
    def mean(self) -> float:
        return self.wall / self.count if self.count else 0.0

    def _decide(self) -> bool:
        share = SLOW_SHARE_IO if self.io_bound else SLOW_SHARE
        if self.mean < POOL_ABOVE or self.slow < share * self.count:
            return False
        if self.cpu_wall <= 0.0:
            return True
        waiting = 1.0 - self.cpu / self.cpu_wall
        return waiting >= WAITING_SHARE


class Unlimited:
    """A backend with no limit of its own (the pool's size still applies)."""

    __slots__ = ("in_flight", "limit")

    def __init__(self, cap: int) -> None:
        self.limit = cap
        self.in_flight = 0

    def has_room(self) -> bool:
        return True

    def blocked(self) -> None:
        pass

    def started(self, now: float) -> None:
        self.in_flight += 1

    def finished(self, now: float, throttled: bool) -> None:
        self.in_flight -= 1


class AIMDLimit:
    """One backend's concurrency limit: slow start, additive increase, halving on throttle."""

    __slots__ = (
        "cap",
        "limit",
        "in_flight",
        "slow_start",
        "history",
        "_start",
        "_done",
        "_target",
        "_binding",
        "_last_rate",
        "_last_limit",
        "_cut_in_round",
    )

    def __init__(self, cap: int, initial: int = INITIAL_LIMIT) -> None:
        self.cap = max(1, cap)
        self.limit = max(1, min(self.cap, initial))
        self.in_flight = 0
        self.slow_start = True
        self.history: list[int] = [self.limit]  # every limit it took, for debugging and tests
        self._start: float | None = None
        self._done = 0
        self._target = self.limit
        self._binding = False
        self._last_rate = 0.0
        self._last_limit = self.limit
        self._cut_in_round = False

    def has_room(self) -> bool:
        return self.in_flight < self.limit

    def blocked(self) -> None:
        """A call was ready but the limit had no room."""
        self._binding = True

    def started(self, now: float) -> None:
        self.in_flight += 1
        if self._start is None:
            self._start = now
            self._done = 0
            self._target = self.limit
            self._binding = False
            self._cut_in_round = False

    def finished(self, now: float, throttled: bool) -> None:
        self.in_flight -= 1
        if throttled and not self._cut_in_round:
            self._set(max(1, self.limit // 2))
            self.slow_start = False
            self._last_rate = 0.0  # throughput at the new limit starts a new comparison
            self._cut_in_round = True
        self._done += 1
        if self._start is not None and self._done >= self._target:
            self._end_round(now)

    def _end_round(self, now: float) -> None:
        start, self._start = self._start, None
        if self._cut_in_round or not self._binding or start is None:
            return
        rate = self._done / max(now - start, 1e-9)
        if self._last_rate > 0.0:
            expected = self.limit / self._last_limit - 1.0
            grew = rate > self._last_rate * (1.0 + max(GROWTH_CREDIT * expected, MIN_GAIN))
        else:
            grew = True
        self._last_rate = rate
        self._last_limit = self.limit
        if not grew:
            self.slow_start = False
            return
        self._set(min(self.cap, self.limit * 2 if self.slow_start else self.limit + 1))

    def _set(self, limit: int) -> None:
        if limit != self.limit:
            self.limit = limit
            self.history.append(limit)
