"""The state machine: forward only, no cycles, nothing after paid but refunds."""

from __future__ import annotations

from niaga_payments import states


def test_every_state_has_its_moves():
    assert set(states.NEXT) == set(states.STATES)


def test_no_cycles_so_each_state_is_entered_at_most_once():
    def reachable(start: str) -> set[str]:
        seen, todo = set(), [start]
        while todo:
            for nxt in states.NEXT[todo.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    for state in states.STATES:
        assert state not in reachable(state)


def test_nothing_fails_expires_or_cancels_after_paid():
    for ending in (states.FAILED, states.EXPIRED, states.CANCELLED, states.PENDING):
        assert not states.can_move(states.PAID, ending)
        assert not states.can_move(states.PARTIALLY_REFUNDED, ending)
    assert states.can_move(states.PAID, states.REFUNDED)
    assert states.can_move(states.PAID, states.PARTIALLY_REFUNDED)


def test_a_late_pending_changes_nothing():
    assert not states.can_move(states.PAID, states.PENDING)
    assert not states.can_move(states.REQUIRES_ACTION, states.PENDING)
    assert states.sources_of(states.PENDING) == {states.CREATED}


def test_endings_are_final():
    for ending in (states.FAILED, states.EXPIRED, states.CANCELLED, states.REFUNDED):
        assert states.NEXT[ending] == frozenset()
