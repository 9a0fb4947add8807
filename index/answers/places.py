"""Which place lies within which, as far as the texts themselves say.

No gazetteer is available offline, but news text states containment all the time by writing
a place followed by its region or country: "in Lyon, France", "in Santa Clara, California",
"in Kumasi, Ghana's second city". Facts gathered that way from the passages being compared
let "Kumasi" and "Ghana" count as the same answer at two levels of detail instead of two
different answers.
"""

from __future__ import annotations

from index.answers.values import fold


class Containment:
    def __init__(self, facts: list[tuple[str, str]] | None = None) -> None:
        self._outer: dict[str, set[str]] = {}
        for inner, outer in facts or []:
            self.add(inner, outer)

    def add(self, inner: str, outer: str) -> None:
        a, b = fold(inner), fold(outer)
        if a and b and a != b:
            self._outer.setdefault(a, set()).add(b)

    def within(self, inner: str, outer: str) -> bool:
        """Whether `inner` names a place inside `outer` ("Lyon, France" is in "France")."""
        a, b = fold(inner), fold(outer)
        if not a or not b or a == b:
            return False
        parts = [p.strip() for p in inner.split(",")]
        if len(parts) > 1 and any(fold(p) == b for p in parts[1:]):
            return True
        seen: set[str] = set()
        frontier = {a, fold(parts[0])}
        while frontier:  # follow facts transitively: city → region → country
            place = frontier.pop()
            seen.add(place)
            outers = self._outer.get(place, set())
            if b in outers:
                return True
            frontier |= outers - seen
        return False

    def __len__(self) -> int:
        return sum(len(v) for v in self._outer.values())
