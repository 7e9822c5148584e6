"""geodata.params: one rule each for bbox, integers and OGC datetime,
written for every edge (tourist API, OGC, exports, command line)."""

import pytest

from geodata.params import (
    BBOX_FORMAT,
    FilterError,
    YearInterval,
    check_bbox_span,
    parse_bbox,
    parse_datetime,
    parse_integer,
)


def test_a_bbox_takes_four_numbers_or_six_with_heights_ignored():
    assert parse_bbox("27.1,38.4,27.2,38.5") == (27.1, 38.4, 27.2, 38.5)
    assert parse_bbox("27.1,38.4,0,27.2,38.5,100") == (27.1, 38.4, 27.2, 38.5)


@pytest.mark.parametrize("value", ["1,2,3", "1,2,3,4,5", "1,2,3,4,5,6,7"])
def test_a_bbox_of_another_length_is_told_both_forms(value):
    with pytest.raises(FilterError) as raised:
        parse_bbox(value)

    assert raised.value.parameter == "bbox"
    assert raised.value.message == BBOX_FORMAT
    assert "4 numbers" in BBOX_FORMAT
    assert "6" in BBOX_FORMAT


def test_a_zero_area_bbox_is_a_box():
    assert parse_bbox("27.1,38.4,27.1,38.4") == (27.1, 38.4, 27.1, 38.4)


@pytest.mark.parametrize(
    "value",
    [
        "nan,38,27,39",
        "27,38,inf,39",
        "27,38,1e999,39",
        "27,38,0x1b,39",
        "٢٧,38,28,39",
        "27,38,2_8,39",
        "27,38,,39",
    ],
)
def test_bbox_values_must_be_finite_ascii_numbers(value):
    with pytest.raises(FilterError, match="finite number"):
        parse_bbox(value)


def test_the_span_limit_is_a_separate_check():
    box = parse_bbox("20,30,29,39")

    with pytest.raises(FilterError, match="at most 5 degrees"):
        check_bbox_span(box, max_degrees=5)
    check_bbox_span(box, max_degrees=10)


@pytest.mark.parametrize("value", ["²", "٣", "5.0", "1e3", "+5", "", " ", "0x10", "5_0", "¹²"])
def test_integers_are_ascii_digits_only(value):
    with pytest.raises(FilterError) as raised:
        parse_integer(value, parameter="limit", minimum=0, maximum=1000)

    assert raised.value.parameter == "limit"


def test_integers_are_checked_against_their_range():
    assert parse_integer("42", parameter="offset", minimum=0, maximum=100) == 42
    with pytest.raises(FilterError, match="at least 0"):
        parse_integer("-1", parameter="offset", minimum=0, maximum=100)
    with pytest.raises(FilterError, match="at most 100"):
        parse_integer("192085761079816426094592", parameter="offset", minimum=0, maximum=100)


@pytest.mark.parametrize(
    "value",
    [
        "2024-02-30",
        "2023-02-29",
        "2024-13-45",
        "2024-00-10",
        "2024-01-00",
        "2024-01-01T99:99:99Z",
        "2024-01-01T24:00:00Z",
        "2024-01-01T12:00:00+25:00",
        "2024-01-01T12:00:00",  # RFC 3339 needs an offset
        "٢٠٢٤",
        "1500/2024-02-30",
    ],
)
def test_a_date_that_does_not_exist_is_refused_naming_datetime(value):
    with pytest.raises(FilterError) as raised:
        parse_datetime(value)

    assert raised.value.parameter == "datetime"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-02-29", YearInterval(2024, 2024)),
        ("1900-02-28T23:59:60Z", YearInterval(1900, 1900)),  # a leap second
        ("1453-05-29T00:00:00.5+03:00", YearInterval(1453, 1453)),
        ("-0546/..", YearInterval(-546, None)),
        ("-0544-02-29", YearInterval(-544, -544)),  # proleptic Gregorian leap year
        ("../1453-05", YearInterval(None, 1453)),
    ],
)
def test_real_dates_and_years_are_read_as_years(value, expected):
    assert parse_datetime(value) == expected
