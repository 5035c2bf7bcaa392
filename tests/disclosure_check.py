"""An independent check of small-number suppression: exact row reduction.

portal.outcomes.disclosure decides with a floating-point null space; this module
decides the same question another way — integer row reduction modulo a large prime,
the system written out whole — so the tests do not grade the code with its own method.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence

PRIME = 2**61 - 1  # a Mersenne prime


def derivable(
    shown: Mapping[Hashable, int],
    unknown: Iterable[Hashable],
    sums: Sequence[tuple[Hashable, Sequence[Hashable]]],
) -> set[Hashable]:
    """The unknown cells whose value follows exactly from the shown ones and the sums.

    `sums` are (total, parts) pairs: total = sum of parts. Shown cells move to the
    right-hand side; after reduction an unknown is fixed when its pivot row holds
    no free unknown. Unknowns no sum links are solved apart (the system is block
    diagonal), which changes nothing of the answer and keeps large reports quick.
    """
    unknown = set(unknown)
    stray = {k for total, parts in sums for k in (total, *parts)} - unknown - set(shown)
    assert not stray, f"cells neither shown nor unknown: {sorted(map(repr, stray))[:3]}"
    fixed: set[Hashable] = set()
    for cells, block in _blocks(unknown, sums):
        fixed |= _fixed(cells, block)
    return fixed


def _blocks(unknown: set, sums: Sequence[tuple[Hashable, Sequence[Hashable]]]) -> list:
    parent = {key: key for key in unknown}

    def root(key):
        while parent[key] != key:
            key = parent[key]
        return key

    touching = []
    for total, parts in sums:
        members = [k for k in (total, *parts) if k in parent]
        if members:
            touching.append(((total, parts), members))
            for other in members[1:]:
                parent[root(other)] = root(members[0])
    blocks: dict = {}
    for key in unknown:
        blocks.setdefault(root(key), ([], []))[0].append(key)
    for pair, members in touching:
        blocks[root(members[0])][1].append(pair)
    return list(blocks.values())


def _fixed(cells, sums) -> set[Hashable]:
    """Row reduction of one block, exact in the field of integers modulo a large prime.

    The coefficients are 0 and ±1 and the blocks have at most a few hundred unknowns,
    so no minor reaches PRIME: ranks and pivots are those over the rationals. Rows are
    sparse dicts (column → coefficient), which keeps the reduction quick.
    """
    columns = sorted(cells, key=repr)
    index = {key: i for i, key in enumerate(columns)}
    rows = []
    for total, parts in sums:
        row: dict[int, int] = {}
        for key, sign in [(total, 1), *((p, -1) for p in parts)]:
            if key in index:
                row[index[key]] = (row.get(index[key], 0) + sign) % PRIME
        row = {c: v for c, v in row.items() if v}
        if row:
            rows.append(row)
    pivots = _reduce(rows)
    return {columns[column] for column, row in pivots.items() if len(row) == 1}


def _reduce(rows: list[dict[int, int]]) -> dict[int, dict[int, int]]:
    """Reduced row echelon form over GF(PRIME): pivot column → its reduced row."""
    pivots: dict[int, dict[int, int]] = {}
    for row in rows:
        row = dict(row)
        for column, pivot_row in pivots.items():  # eliminate the pivots found so far
            if column in row:
                _subtract(row, pivot_row, row[column])
        if not row:
            continue
        column = min(row)
        inverse = pow(row[column], PRIME - 2, PRIME)
        row = {c: v * inverse % PRIME for c, v in row.items()}
        for other in pivots.values():  # keep the earlier rows reduced
            if column in other:
                _subtract(other, row, other[column])
        pivots[column] = row
    return pivots


def _subtract(target: dict[int, int], row: dict[int, int], factor: int) -> None:
    for c, v in row.items():
        value = (target.get(c, 0) - factor * v) % PRIME
        if value:
            target[c] = value
        else:
            target.pop(c, None)


def exposed_cells(protected, relations, complements=()) -> set:
    """The counts a suppression gives away, checked with the whole system written out.

    Every complement becomes an unknown of its own with the equation whole = part + rest,
    so nothing of portal.outcomes.disclosure's shortcuts is taken on trust. Exposed: a
    suppressed count, a hidden one under the threshold, or a complement under it that
    the shown counts determine.
    """
    threshold = protected.threshold
    sums = [(r.total, r.parts) for r in relations]
    rests = {}
    for c in complements:
        rest = ("rest", c.whole, c.part)
        rests[rest] = protected.values[c.whole] - protected.values[c.part]
        sums.append((c.whole, (c.part, rest)))
    unknown = set(protected.suppressed) | set(protected.hidden) | set(rests)
    found = derivable(protected.displayed, unknown, sums)
    return {
        key
        for key in found
        if key in protected.suppressed
        or (key in protected.hidden and protected.values[key] < threshold)
        or (key in rests and rests[key] < threshold)
    }
