"""What adopting a decision changes in the capabilities above this one (a workplan adopted by its
decision): each registers a function, called with the proposal and its decision inside the
adoption's transaction. Decisions import none of them."""

from collections.abc import Callable

OnAdoption = Callable[..., None]
ON_ADOPTION: list[OnAdoption] = []


def on_adoption(fn: OnAdoption) -> OnAdoption:
    ON_ADOPTION.append(fn)
    return fn


def adopted(*, proposal, decision, by) -> None:
    for fn in ON_ADOPTION:
        fn(proposal=proposal, decision=decision, by=by)
