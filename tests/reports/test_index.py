import pytest

from reports.index import Band, IndexInputs, IndexWeights, digital_competency_index, suggested_band


def test_everything_met_is_100():
    result = digital_competency_index(
        IndexInputs(target_levels=[(3, 3), (4, 2)], mandatory_total=2, mandatory_on_time=2, training_hours=20)
    )
    assert result.value == 100.0 and result.competency == 1.0 and result.training == 1.0 and result.hours == 1.0


def test_hand_computed_example():
    # competency: (2/4 + 3/3 + 1/2) / 3 = 2/3; training: (1 on time + 0.5 × 1 late) / 4 = 0.375; hours 8/16 = 0.5
    # index = 100 × (0.6 × 2/3 + 0.3 × 0.375 + 0.1 × 0.5) / 1.0 = 56.25 → 56.3
    result = digital_competency_index(
        IndexInputs(
            target_levels=[(2, 4), (3, 3), (1, 2)],
            mandatory_total=4,
            mandatory_on_time=1,
            mandatory_late=1,
            training_hours=8,
        )
    )
    assert result.training == 0.375 and result.hours == 0.5
    assert result.value == 56.3
    assert suggested_band(result.value) == Band.DONE


def test_no_mandatory_training_redistributes_the_weight():
    # (0.6 × 0.5 + 0.1 × 1) / 0.7 = 57.14
    result = digital_competency_index(IndexInputs(target_levels=[(1, 2)], training_hours=40))
    assert result.training is None and result.value == 57.1


def test_without_target_profile_uses_scores_and_nothing_is_zero():
    assert digital_competency_index(IndexInputs(scores=[0.5, 1.0], training_hours=16)).value == pytest.approx(
        100 * (0.6 * 0.75 + 0.1) / 0.7, abs=0.05
    )
    assert digital_competency_index(IndexInputs()).value == 0.0


def test_custom_weights_and_hours_target():
    weights = IndexWeights(competency=1.0, training=0.0, hours=0.0, hours_target=8)
    assert digital_competency_index(IndexInputs(target_levels=[(1, 4)], mandatory_total=1), weights).value == 25.0


@pytest.mark.parametrize(
    ("value", "band"),
    [
        (100, Band.EXCELLENT),
        (90, Band.EXCELLENT),
        (89.9, Band.GOOD),
        (70, Band.GOOD),
        (69.9, Band.DONE),
        (50, Band.DONE),
        (49.9, Band.FAIL),
        (0, Band.FAIL),
    ],
)
def test_default_bands(value, band):
    assert suggested_band(value) == band


def test_configurable_thresholds_and_their_order():
    assert suggested_band(85, (80, 60, 40)) == Band.EXCELLENT
    with pytest.raises(ValueError):
        suggested_band(50, (50, 70, 90))


def test_band_labels_carry_the_civil_service_terms():
    assert "Hoàn thành xuất sắc nhiệm vụ" in str(Band.EXCELLENT.label)
    assert "Không hoàn thành nhiệm vụ" in str(Band.FAIL.label)
