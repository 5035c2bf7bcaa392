"""An independent check of small-number suppression: exact rational elimination.

portal.outcomes.disclosure decides with a floating-point null space; this module
decides the same question another way, with Fractions and row reduction, so the
tests do not grade the code with its own method.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from fractions import Fraction


def derivable(
    shown: Mapping[Hashable, int],
    unknown: Iterable[Hashable],
    sums: Sequence[tuple[Hashable, Sequence[Hashable]]],
) -> set[Hashable]:
    """The unknown cells whose value follows exactly from the shown ones and the sums.

    `sums` are (total, parts) pairs: total = sum of parts. Shown cells move to the
    right-hand side; after reduction an unknown is fixed when its pivot row holds
    no free unknown.
    """
    columns = sorted(set(unknown), key=repr)
    index = {key: i for i, key in enumerate(columns)}
    rows = []
    for total, parts in sums:
        row = [Fraction(0)] * len(columns)
        constant = Fraction(0)
        for key, sign in [(total, 1), *((p, -1) for p in parts)]:
            if key in index:
                row[index[key]] += sign
            else:
                constant -= sign * shown[key]
        if any(row):
            rows.append(row + [constant])
    pivots = _reduce(rows, len(columns))
    fixed = set()
    for row_number, column in pivots:
        row = rows[row_number]
        if all(row[j] == 0 for j in range(len(columns)) if j != column):
            fixed.add(columns[column])
    return fixed


def _reduce(rows: list[list[Fraction]], width: int) -> list[tuple[int, int]]:
    """Reduced row echelon form in place; the (row, column) of each pivot."""
    pivots = []
    top = 0
    for column in range(width):
        pick = next((r for r in range(top, len(rows)) if rows[r][column] != 0), None)
        if pick is None:
            continue
        rows[top], rows[pick] = rows[pick], rows[top]
        lead = rows[top][column]
        rows[top] = [value / lead for value in rows[top]]
        for r in range(len(rows)):
            if r != top and rows[r][column] != 0:
                factor = rows[r][column]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[top], strict=True)]
        pivots.append((top, column))
        top += 1
    return pivots


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
