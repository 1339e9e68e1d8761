"""Declarative state machines: a table of transitions, each with its source states, target state,
the permission it needs, guards that explain a refusal by rule id, and an effect.

A case (an enterprise filing, a vehicle, a licence application, a customs declaration, a confirmation
letter) is described by one :class:`StateMachine`. The machine never touches a database: the caller
locks the row, calls :meth:`StateMachine.check`, applies :attr:`Transition.effect`, saves, and writes
the audit event, all in one transaction (``chuhai.web.cases.transitions``).

>>> from dataclasses import dataclass
>>> @dataclass
... class Door:
...     state: str
...     locked: bool = False
>>> def not_locked(door: Door, params: dict[str, object]) -> list[str]:
...     return ["door.locked"] if door.locked else []
>>> def do_open(door: Door, params: dict[str, object]) -> None:
...     door.state = "open"
>>> machine = StateMachine(
...     "door",
...     states=("closed", "open"),
...     transitions=(
...         Transition("open", sources=("closed",), target="open", permission="use",
...                    guards=(not_locked,), effect=do_open),
...     ),
... )
>>> door = Door("closed", locked=True)
>>> machine.check(door, "open", {})
Traceback (most recent call last):
chuhai.errors.TransitionRefused: door: "open" refused by door.locked
>>> door.locked = False
>>> machine.check(door, "open", {}).target
'open'
>>> machine.available(door)
['open']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from chuhai.errors import NotFound, TransitionRefused

S = TypeVar("S")

# A dict, not a read-only Mapping: a guard that computes something the effect needs (a screening
# result, the contract it found) leaves it in the parameters under an underscore key.
Params = dict[str, Any]
Guard = Callable[[S, Params], Iterable[str]]
Effect = Callable[[S, Params], None]

# Rule id used when a transition is not allowed from the subject's current state at all.
NOT_FROM_STATE = "state.transition_not_allowed"


def _no_effect(subject: object, params: Params) -> None:
    return None


@dataclass(frozen=True)
class Transition(Generic[S]):
    """One row of a transition table.

    ``guards`` run in order and each returns the rule ids that refuse the transition (empty: allowed);
    all guards run, so a refusal lists every reason at once. ``permission`` names the capability the
    actor needs (mapped to roles by the caller). ``effect`` mutates the subject in memory.
    """

    name: str
    sources: Sequence[str]
    target: str
    permission: str
    guards: Sequence[Guard[S]] = ()
    effect: Effect[S] = _no_effect
    description: str = ""
    required_params: Sequence[str] = field(default_factory=tuple)


class StateMachine(Generic[S]):
    """A validated transition table for one kind of case."""

    def __init__(
        self,
        name: str,
        states: Sequence[str],
        transitions: Sequence[Transition[S]],
        state_attr: str = "state",
    ) -> None:
        self.name = name
        self.states = tuple(states)
        self.state_attr = state_attr
        known = set(self.states)
        by_name: dict[str, Transition[S]] = {}
        for transition in transitions:
            if transition.name in by_name:
                raise ValueError(f"{name}: transition {transition.name!r} defined twice")
            unknown = {*transition.sources, transition.target} - known
            if unknown:
                raise ValueError(
                    f"{name}: transition {transition.name!r} uses unknown state(s) {sorted(unknown)}"
                )
            if not transition.sources:
                raise ValueError(f"{name}: transition {transition.name!r} has no source state")
            by_name[transition.name] = transition
        self.transitions: Mapping[str, Transition[S]] = by_name

    def state_of(self, subject: S) -> str:
        return str(getattr(subject, self.state_attr))

    def get(self, transition_name: str) -> Transition[S]:
        try:
            return self.transitions[transition_name]
        except KeyError:
            raise NotFound(f"{self.name}: no transition named {transition_name!r}") from None

    def available(self, subject: S) -> list[str]:
        """Transitions whose source states include the subject's state (guards not evaluated)."""
        state = self.state_of(subject)
        return [t.name for t in self.transitions.values() if state in t.sources]

    def check(self, subject: S, transition_name: str, params: Params) -> Transition[S]:
        """The transition if it may run now; otherwise :class:`TransitionRefused` naming the rules."""
        transition = self.get(transition_name)
        state = self.state_of(subject)
        if state not in transition.sources:
            raise TransitionRefused(
                f"{self.name}: {transition_name!r} is not allowed from state {state!r}", (NOT_FROM_STATE,)
            )
        missing = [p for p in transition.required_params if params.get(p) in (None, "")]
        if missing:
            raise TransitionRefused(
                f"{self.name}: {transition_name!r} needs {', '.join(missing)}", ("input.missing_parameter",)
            )
        rules: list[str] = []
        for guard in transition.guards:
            for rule in guard(subject, params):
                if rule not in rules:
                    rules.append(rule)
        if rules:
            raise TransitionRefused(
                f'{self.name}: "{transition_name}" refused by {", ".join(rules)}', tuple(rules)
            )
        return transition

    def table(self) -> list[dict[str, Any]]:
        """The table as plain data (for documentation and the API)."""
        return [
            {
                "name": t.name,
                "from": list(t.sources),
                "to": t.target,
                "permission": t.permission,
                "guards": [getattr(g, "__name__", repr(g)) for g in t.guards],
            }
            for t in self.transitions.values()
        ]
