import pytest

from refairn.assessments.gift import GiftError, parse_gift

GOOD = "::Ok:: Fine {=a ~b}\n\n"  # lines 1-2


def error_of(text: str) -> GiftError:
    with pytest.raises(GiftError) as caught:
        parse_gift(text)
    return caught.value


def test_unterminated_brace_names_the_line_of_the_brace():
    error = error_of(GOOD + "::Q:: A question\nover lines {\n=a\n~b\n\nNext {}")

    assert error.line == 4
    assert "not closed" in error.message
    assert str(error).startswith("line 4: ")
    assert error.code == "invalid_gift"


def test_closing_brace_without_opening_names_its_line():
    assert error_of(GOOD + "Q\nwith } here").line == 4


def test_question_without_answer_block_names_its_first_line():
    error = error_of(GOOD + "// a comment\nJust a description.")

    assert error.line == 4
    assert "no answer block" in error.message


def test_empty_answer_set_for_declared_multiple_choice():
    error = error_of(GOOD + "// refairn: type=multiple_choice\nPick one {}")

    assert error.line == 4
    assert "needs answers" in error.message


def test_multiple_choice_with_one_answer():
    error = error_of(GOOD + "Pick {~only}")

    assert error.line == 3
    assert "at least two" in error.message


def test_multiple_choice_without_a_correct_answer():
    error = error_of(GOOD + "Pick {~a ~b}")

    assert (error.line, "correct" in error.message) == (3, True)


@pytest.mark.parametrize("weight", ["%abc%", "%150%", "%50", "%-101%", "%5.%"])
def test_unknown_weight_names_the_line_of_the_answer(weight):
    error = error_of(GOOD + f"Pick {{\n=a\n~{weight}b\n}}")

    assert error.line == 5
    assert "weight" in error.message


def test_matching_is_not_supported():
    error = error_of(GOOD + "Match {=cat -> food =dog -> bone}")

    assert (error.line, "matching" in error.message) == (3, True)


def test_numerical_is_not_supported():
    error = error_of(GOOD + "\nBorn? {#1822:5}")

    assert (error.line, "numerical" in error.message) == (4, True)


def test_unknown_answer_syntax():
    error = error_of(GOOD + "Sure? {maybe}")

    assert (error.line, "maybe" in error.message) == (3, True)


def test_text_before_the_first_answer_mark():
    assert error_of(GOOD + "Q {oops =a ~b}").line == 3


def test_empty_answer():
    error = error_of(GOOD + "Q {=a ~ }")

    assert (error.line, error.message) == (3, "empty answer")


def test_brace_inside_an_answer_block():
    assert error_of(GOOD + "Q {=a\n~{b}").line == 4


def test_second_answer_block():
    assert error_of(GOOD + "Q {=a ~b} and {=c ~d}").line == 3


def test_unclosed_title():
    error = error_of(GOOD + "::Title without end {=a ~b}")

    assert (error.line, "title" in error.message) == (3, True)


def test_question_without_text():
    assert error_of(GOOD + "::T:: {=a ~b}").line == 3


def test_unknown_refairn_setting_names_its_line():
    error = error_of(GOOD + "// refairn: points=2 colour=red\nQ {}")

    assert (error.line, "colour=red" in error.message) == (3, True)


@pytest.mark.parametrize("setting", ["points=0", "points=x", "critical=maybe", "type=essay"])
def test_invalid_refairn_values(setting):
    assert error_of(f"// refairn: {setting}\nQ {{}}").line == 1


def test_refairn_metadata_separated_from_its_question():
    assert error_of(GOOD + "// refairn: points=2\n\nQ {}").line == 3


def test_declared_reviewer_type_with_answers():
    error = error_of("// refairn: type=simulation\nQ {=a ~b}")

    assert (error.line, "empty answer block" in error.message) == (2, True)


def test_declared_short_answer_with_a_wrong_answer():
    assert error_of("// refairn: type=short_answer\nQ {=a ~b}").line == 2


def test_declared_scenario_cannot_be_true_false():
    assert error_of("// refairn: type=scenario\nQ {T}").line == 2
