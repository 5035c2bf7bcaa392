"""Small-number suppression: no count under 5 is shown, and none can be worked out.

Rules (docs/clinical-rules.md, "Small numbers"):

* A displayed count under THRESHOLD (5, zero included) is suppressed (*primary*).
* Tables add up: a total is the sum of its parts, across rows, columns and sites,
  and a count is often its complement's partner (improved + not improved = paired).
  Each such sum is a Relation. A suppressed count that the shown ones would give
  back by subtraction — or by any combination of the sums — is not protected, so
  further counts are suppressed (*secondary*), the smallest first, until none of
  the suppressed counts is determined by what is shown.
* Some counts are never displayed but could still be worked out (the courses that
  did *not* improve, one site's courses of one regimen): they are *hidden* cells,
  unknown from the start, and protected like shown ones when under THRESHOLD.

Whether a cell is determined is linear algebra: the suppressed and hidden cells
are the unknowns of the relations' equations, and an unknown is fixed exactly when
every solution of the homogeneous system leaves it at zero (its coordinate of the
null space is zero). Components of the relation graph are solved apart.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

THRESHOLD = 5
_TOLERANCE = 1e-7  # a null-space coordinate this small is zero

Key = Hashable


@dataclass(frozen=True)
class Relation:
    """`total` is the sum of `parts`."""

    total: Key
    parts: tuple[Key, ...]

    @property
    def members(self) -> tuple[Key, ...]:
        return (self.total, *self.parts)


@dataclass(frozen=True)
class Protected:
    """Every cell's count, and which of them may not be shown."""

    values: Mapping[Key, int]
    suppressed: frozenset[Key]
    hidden: frozenset[Key]
    threshold: int = THRESHOLD

    def shown(self, key: Key) -> int | None:
        """The count to display, or None where it is suppressed."""
        if key in self.suppressed or key in self.hidden:
            return None
        return self.values[key]

    def is_shown(self, key: Key) -> bool:
        return key not in self.suppressed and key not in self.hidden

    @property
    def displayed(self) -> dict[Key, int]:
        """The counts a reader sees."""
        return {k: v for k, v in self.values.items() if self.is_shown(k)}


def protect(
    values: Mapping[Key, int],
    relations: Sequence[Relation],
    *,
    hidden: Iterable[Key] = (),
    threshold: int = THRESHOLD,
) -> Protected:
    """Suppress every count under `threshold` and what would reveal one."""
    hidden = frozenset(hidden)
    _check(values, relations, hidden)
    unknown = set(hidden) | {k for k, v in values.items() if v < threshold and k not in hidden}
    totals = {r.total for r in relations}
    while True:
        exposed = [
            key
            for key in _determined(unknown, relations)
            if key not in hidden or values[key] < threshold
        ]
        if not exposed:
            break
        added = False
        for key in sorted(exposed, key=repr):
            # One partner per exposed cell, then look again: a partner added for one
            # cell may already protect the next.
            partner = _complement(key, values, relations, unknown, hidden, totals)
            if partner is not None:
                unknown.add(partner)
                added = True
        if not added:
            raise RuntimeError(f"{exposed[0]!r} is determined and nothing is left to suppress")
    return Protected(values, frozenset(unknown - hidden), hidden, threshold)


def _check(values: Mapping[Key, int], relations: Sequence[Relation], hidden: frozenset) -> None:
    missing = {k for r in relations for k in r.members if k not in values} | (hidden - set(values))
    if missing:
        raise KeyError(f"cells without a value: {sorted(map(repr, missing))[:5]}")
    for relation in relations:
        if values[relation.total] != sum(values[p] for p in relation.parts):
            raise ValueError(f"{relation.total!r} is not the sum of its parts")


def _complement(
    key: Key,
    values: Mapping[Key, int],
    relations: Sequence[Relation],
    unknown: set[Key],
    hidden: frozenset[Key],
    totals: set[Key],
) -> Key | None:
    """The shown cell to suppress next to protect `key`: the smallest nearest to it.

    Relations holding `key` are searched first, then those linked to them through
    other unknown cells, outwards; parts go before totals at equal counts, so
    margins stay shown where they can.
    """
    reached, frontier = set(), {key}
    while frontier:
        near = [r for r in relations if r not in reached and frontier & set(r.members)]
        reached.update(near)
        members = {k for r in near for k in r.members}
        candidates = {k for k in members if k not in unknown and k not in hidden}
        if candidates:
            return min(candidates, key=lambda k: (values[k], k in totals, repr(k)))
        frontier = {k for k in members if k in unknown} - frontier
    return None


def _determined(unknown: set[Key], relations: Sequence[Relation]) -> set[Key]:
    """The unknown cells whose value the relations fix, given every known cell."""
    found: set[Key] = set()
    for cells, rows in _components(unknown, relations):
        index = {key: i for i, key in enumerate(cells)}
        matrix = np.zeros((len(rows), len(cells)))
        for row, relation in enumerate(rows):
            if relation.total in index:
                matrix[row, index[relation.total]] += 1.0
            for part in relation.parts:
                if part in index:
                    matrix[row, index[part]] -= 1.0
        found.update(cells[i] for i in _fixed_columns(matrix))
    return found


def _fixed_columns(matrix: np.ndarray) -> list[int]:
    """Columns j for which every null-space vector of `matrix` is 0 at j."""
    _, singular, vt = np.linalg.svd(matrix)
    # numpy's own rank tolerance (as matrix_rank): the matrix holds only 0 and ±1.
    cutoff = singular.max(initial=0.0) * max(matrix.shape) * np.finfo(float).eps
    rank = int((singular > cutoff).sum())
    null_space = vt[rank:]
    if null_space.shape[0] == 0:
        return list(range(matrix.shape[1]))
    weight = np.abs(null_space).max(axis=0)
    return [j for j in range(matrix.shape[1]) if weight[j] < _TOLERANCE]


def _components(
    unknown: set[Key], relations: Sequence[Relation]
) -> list[tuple[list[Key], list[Relation]]]:
    """Groups of unknown cells linked through relations, each with its relations."""
    parent: dict[Key, Key] = {key: key for key in unknown}

    def root(key: Key) -> Key:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    touching = []
    for relation in relations:
        members = [k for k in relation.members if k in parent]
        if not members:
            continue
        touching.append((relation, members))
        first = root(members[0])
        for other in members[1:]:
            parent[root(other)] = first
    cells: dict[Key, list[Key]] = {}
    for key in sorted(unknown, key=repr):
        cells.setdefault(root(key), []).append(key)
    rows: dict[Key, list[Relation]] = {}
    for relation, members in touching:
        rows.setdefault(root(members[0]), []).append(relation)
    return [(group, rows[top]) for top, group in cells.items() if top in rows]
