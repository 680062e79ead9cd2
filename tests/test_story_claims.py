"""Every caption of the built-in stories is true of the event its step picks.

The claims a caption makes (a collection is there, the centrality class, the
candidate type, real or simulated, how much the nuclei overlap) are checked by
:mod:`collider_viz.export.story_claims` against the resolved step.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from collider_viz.export.stories import builtin_stories, load_story
from collider_viz.export.story_claims import check_claims, claims, overlap_fraction
from collider_viz.export.story_steps import resolve_step

STEPS = [(name, number) for name in builtin_stories()
         for number in range(1, len(load_story(name)) + 1)]


@pytest.mark.parametrize(("name", "number"), STEPS, ids=[f"{n}-{i}" for n, i in STEPS])
def test_caption_is_true_of_its_event(name, number):
    story = load_story(name)
    resolved = resolve_step(story, number)
    if resolved.skipped:
        pytest.skip(resolved.note)
    assert claims(resolved.step.caption), "the caption makes no claim the test can check"
    assert check_claims(resolved) == []


def test_overlap_of_two_discs():
    assert overlap_fraction(0.0, 6.38) == pytest.approx(1.0)
    assert overlap_fraction(12.76, 6.38) == pytest.approx(0.0)
    # b = R: two circles through each other's centre overlap by 2/3 - sqrt(3)/(2 pi)
    assert overlap_fraction(6.38, 6.38) == pytest.approx(2 / 3 - 3 ** 0.5 / (2 * 3.141592653589793))


def test_a_false_caption_is_caught():
    """A muon claim on a four-electron candidate and 'head-on' on a 10–20 % event fail."""
    event = SimpleNamespace(meta=SimpleNamespace(extra={"bClass": 1, "b": 5.4}, time=None),
                            info=SimpleNamespace(collision_system="Au+Au", is_simulation=True),
                            get=lambda name: None)
    step = SimpleNamespace(caption="Muons cross the whole detector; a nearly head-on "
                                   "collision where almost all 394 nucleons take part.",
                           title="t", select="h4l")
    resolved = SimpleNamespace(step=step, number=1, event=event, spectrum=None,
                               highlight={"electrons": [0, 1, 2, 3]})
    problems = check_claims(resolved)
    assert any("no muons" in p for p in problems)
    assert any("centrality 0–10 %" in p and "10–20 %" in p for p in problems)
    assert any("overlap by 48%" in p for p in problems)


@pytest.mark.parametrize("name", sorted(builtin_stories()))
def test_subtitle_energy_is_the_energy_of_every_step(name):
    """A subtitle naming one √s is shown under every step: each step's collisions must have it."""
    import re

    from collider_viz.export.annotate import event_sqrt_s

    story = load_story(name)
    said = re.search(r"√s(?:NN)? = ([\d.]+) (TeV|GeV)", story.subtitle)
    if said is None:
        return
    gev = float(said.group(1)) * (1000.0 if said.group(2) == "TeV" else 1.0)
    for number in range(1, len(story) + 1):
        resolved = resolve_step(story, number)
        if resolved.event is not None:
            assert event_sqrt_s(resolved.event) == pytest.approx(gev), (number, story.subtitle)
