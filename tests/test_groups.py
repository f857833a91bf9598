"""Stakeholder groups in the team view: side by side, gaps named, a small group never exposed."""

from __future__ import annotations

import pytest
from definitions import PAGES, small
from hypothesis import given, settings
from hypothesis import strategies as st

from widgets import DefinitionError, definition_to_data, parse_definition
from widgets.groups import DEFAULT_GROUPS, OTHER, group_view
from widgets.members import Member

HIGH = {"t1": "5", "t2": "5", "t3": "1", "t4": "5", "m1": "1", "m2": "5"}  # trust 100, money 100
LOW = {"t1": "2", "t2": "2", "t3": "4", "t4": "2", "m1": "0", "m2": "2"}  # trust 25, money 12.5
GROUP_IDS = [gid for gid, _ in DEFAULT_GROUPS]


def team(*spec: tuple[str, dict]) -> tuple[list[Member], dict[int, str]]:
    members = [
        Member(label=f"M{i}", answers=a, source=f"{i}.json", position=i, id=f"{i:016x}")
        for i, (_, a) in enumerate(spec, 1)
    ]
    return members, {i: group for i, (group, _) in enumerate(spec, 1)}


def test_groups_side_by_side_with_the_largest_gap_named(assessment):
    members, groups = team(*[("commissioner", HIGH)] * 3, *[("nhs-provider", LOW)] * 3)
    view = group_view(assessment, members, groups)
    assert [(g.label, g.members, g.scores) for g in view.groups] == [
        ("Commissioner", 3, (100.0, 100.0)),
        ("NHS provider", 3, (25.0, 12.5)),
    ]
    assert [gap.sentence for gap in view.gaps] == [  # the widest gap first
        "On \u201cMoney\u201d, the NHS provider group scores 87.5 points lower than the Commissioner group.",
        "On \u201cTrust\u201d, the NHS provider group scores 75 points lower than the Commissioner group.",
    ]


def test_a_group_of_two_is_folded_into_other_groups(assessment):
    members, groups = team(
        *[("commissioner", HIGH)] * 3, *[("nhs-provider", LOW)] * 2, ("frontline", LOW), ("not-said", HIGH)
    )
    view = group_view(assessment, members, groups)
    assert [(g.id, g.members) for g in view.groups] == [("commissioner", 3), (OTHER, 4)]
    assert view.groups[1].folded == ("NHS provider", "Frontline staff", "Prefer not to say")
    assert "Folded into \u201cOther groups\u201d: NHS provider, Frontline staff, Prefer not to say." in view.note


def test_a_remainder_too_small_to_show_takes_the_smallest_group_with_it(assessment):
    # Commissioners 4, providers 3, and a pair of carers: showing both large groups would let
    # anyone subtract them from the team total and read off the pair.
    members, groups = team(
        *[("commissioner", HIGH)] * 4, *[("nhs-provider", LOW)] * 3, *[("people-and-carers", LOW)] * 2
    )
    view = group_view(assessment, members, groups)
    assert [(g.id, g.members) for g in view.groups] == [("commissioner", 4), (OTHER, 5)]
    assert view.groups[1].folded == ("NHS provider", "People who use services and carers")


def test_no_group_large_enough_shows_none(assessment):
    members, groups = team(("commissioner", HIGH), ("commissioner", LOW), ("frontline", LOW))
    view = group_view(assessment, members, groups)
    assert view.groups == () and view.hidden == 3 and view.gaps == ()
    assert "No group is large enough to be shown" in view.note


def test_the_threshold_can_be_set_and_unknown_groups_count_as_not_said(assessment):
    members, groups = team(*[("commissioner", HIGH)] * 2, *[("made-up", LOW)] * 2)
    view = group_view(assessment, members, groups, threshold=2)
    assert [(g.id, g.members, g.folded) for g in view.groups] == [
        ("commissioner", 2, ()),
        (OTHER, 2, ("Prefer not to say",)),
    ]


@settings(max_examples=300, derandomize=True, deadline=None)
@given(
    st.lists(st.sampled_from([*GROUP_IDS, "made-up", None]), min_size=1, max_size=25),
    st.integers(min_value=2, max_value=5),
)
def test_no_output_ever_shows_fewer_members_than_the_threshold(choices, threshold):
    assessment = parse_definition(small(), pages=PAGES)
    members, groups = team(*[(choice, HIGH if i % 2 else LOW) for i, choice in enumerate(choices)])
    view = group_view(assessment, members, groups, threshold=threshold)
    assert all(group.members >= threshold for group in view.groups)
    shown = sum(group.members for group in view.groups)
    # Either every member is in a group shown, or no group is shown at all: never a small remainder.
    assert shown == len(members) or (shown == 0 and view.hidden == len(members))


def test_an_assessment_declares_its_own_groups_and_threshold():
    definition = small()
    definition["groups"] = [{"id": "school", "label": "School"}, {"id": "police", "label": "Police"}]
    definition["group_threshold"] = 2
    definition["dimensions"][0]["prompt"] = "What would build trust?"
    definition["questions"][0]["prompt"] = "Who has kept their word?"
    assessment = parse_definition(definition, pages=PAGES)
    assert assessment.groups == (("school", "School"), ("police", "Police"))
    assert assessment.group_threshold == 2
    assert (assessment.dimensions[0].prompt, assessment.questions[0].prompt) == (
        "What would build trust?",
        "Who has kept their word?",
    )
    assert parse_definition(definition_to_data(assessment), pages=PAGES) == assessment
    members, groups = team(*[("school", HIGH)] * 2, *[("police", LOW)] * 2)
    view = group_view(assessment, members, groups)
    assert [(g.label, g.members) for g in view.groups] == [("School", 2), ("Police", 2)]


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        (lambda d: d.update(groups=[{"id": "a", "label": "A"}, {"id": "a", "label": "B"}]), "groups[1].id", "used"),
        (lambda d: d.update(group_threshold=1), "group_threshold", "must be 2 or more"),
        (lambda d: d["questions"][4].update(kind="choice", options=[{"value": "x", "label": "X"}]), "", ""),
    ],
)
def test_broken_group_settings_are_refused(change, path, message):
    definition = small()
    change(definition)
    if not path:  # a prompt is for ratings only
        definition["questions"][4].pop("scale", None)
        definition["questions"][4].pop("dimension", None)
        definition["questions"][4]["prompt"] = "Why?"
        path, message = "questions[4].prompt", "only a rating has a prompt"
    with pytest.raises(DefinitionError) as caught:
        parse_definition(definition, pages=PAGES)
    assert any(p.path == path and message in p.message for p in caught.value.problems), caught.value.problems
