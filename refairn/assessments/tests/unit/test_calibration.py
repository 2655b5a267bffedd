import numpy as np
import pytest

from refairn.assessments.domain.calibration import (
    ItemStatus,
    ResponseMatrix,
    calibrate,
    simulate_responses,
)
from refairn.assessments.domain.irt import ItemParameters


def true_items(count: int, rng: np.random.Generator) -> list[ItemParameters]:
    return [
        ItemParameters(
            float(rng.lognormal(0.1, 0.25)), float(rng.normal(0, 1)), float(rng.uniform(0.1, 0.25))
        )
        for _ in range(count)
    ]


def matrix(responses: np.ndarray, prefix: str = "q") -> ResponseMatrix:
    people, items = responses.shape
    return ResponseMatrix(
        tuple(f"agent{i}" for i in range(people)),
        tuple(f"{prefix}{j:02d}" for j in range(items)),
        responses,
    )


@pytest.fixture(scope="module")
def sparse_recovery() -> tuple[list[ItemParameters], ResponseMatrix]:
    """30 items, 2,000 agents each asked about half of them: ~1,000 responses per item."""
    rng = np.random.default_rng(2026)
    items = true_items(30, rng)
    thetas = rng.normal(0, 1, 2000)
    asked = rng.random((2000, 30)) < 0.5
    return items, matrix(simulate_responses(items, thetas, rng, asked))


def test_parameters_are_recovered_from_sparse_responses(sparse_recovery):
    items, data = sparse_recovery

    report = calibrate(data)

    assert report.converged
    assert min(data.counts().values()) >= 900
    estimated = [report.calibrated[f"q{j:02d}"] for j in range(30)]
    b_true, b_est = [i.b for i in items], [e.b for e in estimated]
    a_true, a_est = [i.a for i in items], [e.a for e in estimated]
    assert np.corrcoef(b_true, b_est)[0, 1] >= 0.9
    assert np.sqrt(np.mean((np.array(b_true) - b_est) ** 2)) < 0.3
    # Discrimination is the harder parameter (true spread 0.25 here): a looser check.
    assert np.sqrt(np.mean((np.array(a_true) - a_est) ** 2)) < 0.35
    assert all(0 < e.c < 0.45 for e in estimated)
    assert report.misfitting == ()


def test_each_item_reports_the_responses_behind_it(sparse_recovery):
    _, data = sparse_recovery
    report = calibrate(data)
    counts = data.counts()
    assert {i: c.responses for i, c in report.items.items()} == counts
    assert all(c.status is ItemStatus.CALIBRATED for c in report.items.values())


def test_items_below_the_minimum_are_left_uncalibrated_and_never_asked_ones_reported():
    rng = np.random.default_rng(5)
    items = true_items(8, rng)
    responses = simulate_responses(items, rng.normal(0, 1, 400), rng)
    responses[:250, 6] = np.nan  # 150 responses
    responses[:, 7] = np.nan  # never asked

    report = calibrate(matrix(responses), min_responses=200)

    assert report.items["q06"].status is ItemStatus.TOO_FEW_RESPONSES
    assert report.items["q06"].responses == 150 and report.items["q06"].parameters is None
    assert report.never_asked == ("q07",)
    assert report.too_few_responses == ("q06",)
    assert set(report.calibrated) == {f"q{j:02d}" for j in range(6)}
    assert calibrate(matrix(responses), min_responses=100).items["q06"].parameters is not None


def test_an_item_whose_success_falls_with_ability_fits_badly(sparse_recovery):
    items, data = sparse_recovery
    middle = min(range(30), key=lambda j: abs(items[j].b))
    flipped = data.correct.copy()
    flipped[:, middle] = 1.0 - flipped[:, middle]  # a wrong answer key; NaN stays NaN

    report = calibrate(ResponseMatrix(data.respondents, data.items, flipped))

    assert report.misfitting == (f"q{middle:02d}",)
    assert report.items[f"q{middle:02d}"].rmsd > 0.1


def test_all_right_and_all_wrong_items_stay_within_bounds():
    rng = np.random.default_rng(9)
    items = true_items(6, rng)
    responses = simulate_responses(items, rng.normal(0, 1, 300), rng)
    responses[:, 0] = 1.0
    responses[:, 1] = 0.0

    report = calibrate(matrix(responses))

    assert report.items["q00"].parameters is not None and report.items["q00"].parameters.b < -1
    assert report.items["q01"].parameters is not None and report.items["q01"].parameters.b > 1


def test_matrix_from_attempt_triples_keeps_missing_as_nan():
    data = ResponseMatrix.from_responses(
        [("ann", "q1", True), ("ann", "q2", False), ("bob", "q2", True)], items=["q3"]
    )
    assert data.items == ("q1", "q2", "q3")
    assert data.respondents == ("ann", "bob")
    assert np.array_equal(
        data.correct, np.array([[1, 0, np.nan], [np.nan, 1, np.nan]]), equal_nan=True
    )
    assert data.counts() == {"q1": 1, "q2": 2, "q3": 0}


def test_progress_is_reported_every_cycle():
    rng = np.random.default_rng(1)
    items = true_items(5, rng)
    seen: list[tuple[int, int]] = []

    report = calibrate(
        matrix(simulate_responses(items, rng.normal(0, 1, 300), rng)),
        progress=lambda n, total: seen.append((n, total)),
    )

    assert [n for n, _ in seen] == list(range(1, report.iterations + 1))


def test_responses_other_than_right_wrong_or_missing_are_refused():
    with pytest.raises(ValueError):
        ResponseMatrix(("a",), ("q",), np.array([[0.5]]))
