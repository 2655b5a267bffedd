import pytest

from refairn.certification.domain import Level, agent_level


@pytest.mark.parametrize(
    ("certified", "expected"),
    [
        (6, Level.MASTER),  # Sarah M. in the seed
        (5, Level.STRONG),  # Lisa K.
        (4, Level.DEVELOPING),
        (3, Level.DEVELOPING),  # James T.
        (2, Level.NEEDS_ATTENTION),  # Kevin W.
        (1, Level.NEEDS_ATTENTION),
        (0, Level.NEEDS_ATTENTION),
    ],
)
def test_levels_for_six_tracks_match_the_seed(certified, expected):
    assert agent_level(certified, 6) is expected


def test_level_values_are_snake_case():
    assert [level.value for level in Level] == [
        "master",
        "strong",
        "developing",
        "needs_attention",
    ]


def test_no_tracks_needs_attention():
    assert agent_level(0, 0) is Level.NEEDS_ATTENTION


def test_single_track_is_master_or_needs_attention():
    assert agent_level(1, 1) is Level.MASTER
    assert agent_level(0, 1) is Level.NEEDS_ATTENTION


def test_one_of_two_tracks_is_strong():
    assert agent_level(1, 2) is Level.STRONG


def test_half_of_an_odd_count_rounds_up():
    assert agent_level(3, 7) is Level.NEEDS_ATTENTION
    assert agent_level(4, 7) is Level.DEVELOPING


def test_impossible_counts_are_refused():
    with pytest.raises(ValueError):
        agent_level(7, 6)
    with pytest.raises(ValueError):
        agent_level(-1, 6)
