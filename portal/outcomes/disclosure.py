"""Small-number suppression: no count under 5 is shown, and none can be worked out.

Rules (docs/clinical-rules.md, "Small numbers"):

* A displayed count under THRESHOLD (5, zero included) is suppressed (*primary*).
* Tables add up: a total is the sum of its parts, across rows, columns and sites.
  Each such sum is a Relation. A suppressed count that the shown ones would give
  back by subtraction — or by any combination of the sums — is not protected, so
  further counts are suppressed (*secondary*), the smallest first, until none of
  the suppressed counts is determined by what is shown.
* Some counts are never displayed but could still be worked out by subtraction:
  one site's courses of one regimen (a *hidden* cell, unknown from the start), and
  a count's complement — the courses assessed but not improved (a Complement: the
  whole less the part). Each is protected like a shown count when under THRESHOLD.

Whether a count is determined is linear algebra: the suppressed and hidden cells are
the unknowns of the relations' equations, and a linear combination of them is fixed
exactly when it is orthogonal to every solution of the homogeneous system (the null
space). Components of the relation graph are solved apart, so a report of many
small tables costs many small problems, not one large one.
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
class Complement:
    """`whole` less `part`: a count never shown, protected like one when under the threshold.

    It must appear in no Relation: it is known exactly when both its cells are.
    """

    whole: Key
    part: Key


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

    def all_shown(self, *keys: Key) -> bool:
        """True when a figure worked out from these counts may be shown."""
        return all(self.is_shown(k) for k in keys)

    @property
    def displayed(self) -> dict[Key, int]:
        """The counts a reader sees."""
        return {k: v for k, v in self.values.items() if self.is_shown(k)}


class _Solver:
    """The null space of each component of the system, for the unknowns as they stand."""

    def __init__(self, unknown: set[Key], relations: Sequence[Relation]) -> None:
        self.unknown = unknown
        self.place: dict[Key, tuple[int, int]] = {}  # unknown → (component, column)
        self.nulls: list[np.ndarray] = []
        for number, (cells, rows) in enumerate(_components(unknown, relations)):
            index = {key: i for i, key in enumerate(cells)}
            self.place.update({key: (number, i) for key, i in index.items()})
            self.nulls.append(_null_space(_matrix(cells, rows, index)))

    def fixed(self, combination: Mapping[Key, float]) -> bool:
        """Whether a linear combination of cells is determined (known cells add constants)."""
        by_component: dict[int, np.ndarray] = {}
        for key, weight in combination.items():
            if key not in self.unknown:
                continue  # a known cell only adds a constant
            if key not in self.place:
                return False  # an unknown in no relation at all is free: nothing fixes it
            number, column = self.place[key]
            vector = by_component.setdefault(number, np.zeros(self.nulls[number].shape[1]))
            vector[column] += weight
        return all(
            np.abs(self.nulls[n] @ v).max(initial=0.0) < _TOLERANCE for n, v in by_component.items()
        )

    def determined(self, key: Key) -> bool:
        return self.fixed({key: 1.0})


def protect(
    values: Mapping[Key, int],
    relations: Sequence[Relation],
    *,
    hidden: Iterable[Key] = (),
    complements: Sequence[Complement] = (),
    threshold: int = THRESHOLD,
) -> Protected:
    """Suppress every count under `threshold` and what would reveal one."""
    hidden = frozenset(hidden)
    _check(values, relations, hidden, complements)
    small = [c for c in complements if values[c.whole] - values[c.part] < threshold]
    unknown = set(hidden) | {k for k, v in values.items() if v < threshold and k not in hidden}
    totals = {r.total for r in relations}
    while True:
        solver = _Solver(unknown, relations)
        # A small complement is exposed when the whole less the part is determined: its
        # part, if shown, is suppressed first, and everything is looked at again.
        parts = [c.part for c in small if solver.fixed({c.whole: 1.0, c.part: -1.0})]
        shown_parts = {key for key in parts if key not in unknown}
        if shown_parts:
            unknown |= shown_parts
            continue
        exposed = list(dict.fromkeys([
            *parts,
            *(key for key in sorted(unknown, key=repr)
              if (key not in hidden or values[key] < threshold) and solver.determined(key)),
        ]))  # fmt: skip
        if not exposed:
            return Protected(values, frozenset(unknown - hidden), hidden, threshold)
        # One partner at a time, then look again: it may protect the other cells too,
        # and suppressing for each at once would hide more than needed.
        for key in exposed:
            partner = _partner(key, values, relations, unknown, hidden, totals)
            if partner is not None:
                unknown.add(partner)
                break
        else:
            raise RuntimeError(f"{exposed[0]!r} is determined and nothing is left to suppress")


def _check(
    values: Mapping[Key, int],
    relations: Sequence[Relation],
    hidden: frozenset,
    complements: Sequence[Complement],
) -> None:
    named = {k for r in relations for k in r.members} | hidden
    named |= {k for c in complements for k in (c.whole, c.part)}
    missing = named - set(values)
    if missing:
        raise KeyError(f"cells without a value: {sorted(map(repr, missing))[:5]}")
    for relation in relations:
        if values[relation.total] != sum(values[p] for p in relation.parts):
            raise ValueError(f"{relation.total!r} is not the sum of its parts")
    for complement in complements:
        if values[complement.part] > values[complement.whole]:
            raise ValueError(f"{complement.part!r} is larger than {complement.whole!r}")


def _partner(
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


def _matrix(cells: list[Key], rows: list[Relation], index: dict[Key, int]) -> np.ndarray:
    matrix = np.zeros((len(rows), len(cells)))
    for row, relation in enumerate(rows):
        if relation.total in index:
            matrix[row, index[relation.total]] += 1.0
        for part in relation.parts:
            if part in index:
                matrix[row, index[part]] -= 1.0
    return matrix


def _null_space(matrix: np.ndarray) -> np.ndarray:
    """An orthonormal basis of the null space, one vector a row (none: every column fixed)."""
    _, singular, vt = np.linalg.svd(matrix)
    # numpy's own rank tolerance (as matrix_rank): the matrix holds only 0 and ±1.
    cutoff = singular.max(initial=0.0) * max(matrix.shape) * np.finfo(float).eps
    rank = int((singular > cutoff).sum())
    return vt[rank:]


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
