"""Exact shares of a count: the demo shows published proportions (needs, moods) whatever its size."""

from __future__ import annotations

import random
from collections.abc import Mapping


def quota_draw(rng: random.Random, count: int, weights: Mapping[str, float]) -> list[str]:
    """Exactly `count` keys of `weights` in its proportions (largest remainder), in a random order."""
    total = sum(weights.values())
    exact = {key: count * weight / total for key, weight in weights.items()}
    quota = {key: int(value) for key, value in exact.items()}
    for key in sorted(exact, key=lambda k: exact[k] - quota[k], reverse=True)[: count - sum(quota.values())]:
        quota[key] += 1
    keys = [key for key, n in quota.items() for _ in range(n)]
    rng.shuffle(keys)
    return keys
