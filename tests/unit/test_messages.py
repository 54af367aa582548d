"""Reason sentences: filled column-wise, joined per row in the order the parts were given."""
import pandas as pd
import pytest

from land_bureau_plugin.analysis.messages import SEPARATOR, fill, join_reasons, split_reasons


def test_fill_formats_dates_as_days_and_numbers_as_text():
    index = pd.Index([3, 7])
    due = pd.Series(pd.to_datetime(["2024-02-29", "2025-01-01"]), index=[3, 7])
    days = pd.Series([5, 12], index=[3, 7])
    out = fill("due {due}, {days} days", index, due=due, days=days)
    assert out.tolist() == ["due 2024-02-29, 5 days", "due 2025-01-01, 12 days"]


def test_fill_uses_only_the_rows_it_is_given():
    values = pd.Series(["a", "b", "c"], index=[0, 1, 2])
    assert fill("<{v}>", pd.Index([2, 0]), v=values).tolist() == ["<c>", "<a>"]


def test_fill_keeps_percent_signs_and_missing_values_as_written():
    """A row's sentence is made by one % formatting: a % in the template, in a fixed value or in a column's text is
    kept as it is, and so are %-codes in the template and a missing value ("nan", as `_as_text` writes it)."""
    index = pd.Index([0, 1, 2])
    share = pd.Series(["12", "100%", None], index=[0, 1, 2], dtype=object)
    out = fill("coverage {share}% below {floor} (%s %d)", index, share=share, floor="30%")
    assert out.tolist() == ["coverage 12% below 30% (%s %d)",
                            "coverage 100%% below 30% (%s %d)",  # the value's % and then the template's
                            "coverage nan% below 30% (%s %d)"]
    assert fill("no placeholder 100%", index).tolist() == ["no placeholder 100%"] * 3
    assert fill("{a} %", pd.Index([]), a=share).tolist() == []


def test_join_keeps_part_order_within_each_row_and_skips_empty_parts():
    index = pd.Index([10, 11, 12])
    first = pd.Series(["late", ""], index=[12, 10])
    second = pd.Series(["bad date", "dup"], index=[10, 12])
    third = pd.Series([None], index=[10], dtype=object)
    joined = join_reasons([first, second, third], index)
    assert joined.tolist() == ["bad date", "", f"late{SEPARATOR}dup"]


def test_join_ignores_rows_outside_the_index_and_handles_no_parts():
    index = pd.Index([1, 2])
    assert join_reasons([pd.Series(["x"], index=[99])], index).tolist() == ["", ""]
    assert join_reasons([], index).tolist() == ["", ""]


def test_join_uses_the_separator_it_is_given():
    index = pd.Index([0, 1])
    parts = [pd.Series(["超期"], index=[1]), pd.Series(["重复", "缺图"], index=[0, 1])]
    assert join_reasons(parts, index, "；").tolist() == ["重复", "超期；缺图"]


def test_split_undoes_join_in_either_language():
    index = pd.Index([0])
    parts = [pd.Series(["late"], index=[0]), pd.Series(["no plot"], index=[0])]
    for separator in (SEPARATOR, "；"):
        assert split_reasons(join_reasons(parts, index, separator).iloc[0], separator) == ["late", "no plot"]
    # a layer written in English, read in Chinese (and the other way round) still splits into its reasons
    assert split_reasons(f"late{SEPARATOR}no plot", "；") == ["late", "no plot"]
    assert split_reasons("超期；缺图", "；") == ["超期", "缺图"]


def test_split_of_nothing_is_no_reasons():
    assert split_reasons("") == [] and split_reasons(None) == [] and split_reasons(float("nan")) == []


def test_a_message_reads_in_english_and_fills_a_translated_template():
    from land_bureau_plugin.analysis.messages import Message

    message = Message("must be below {max}", max=24)
    assert message == "must be below 24"
    assert message.translated({"must be below {max}": "须小于 {max}"}.get) == "须小于 24"
    assert message.translated(lambda template: "broken {placeholder}") == "must be below 24"


def test_fill_reads_doubled_braces_as_literal_braces_as_format_does():
    """A cited source whose title holds braces arrives escaped ({{ }}, rules.criteria.cited): the sentence shows
    the braces and the placeholders still fill — as str.format would fill the same template."""
    index = pd.Index([0, 1])
    far = pd.Series([0.8, 1.2], index=index)
    template = "FAR {far} (per 《规定{{甲}}》 {{word}})"
    out = fill(template, index, far=far)
    assert out.tolist() == [template.format(far=0.8), template.format(far=1.2)]
    assert out[0] == "FAR 0.8 (per 《规定{甲}》 {word})"


def test_fill_refuses_a_format_spec_rather_than_dropping_it():
    with pytest.raises(ValueError, match="far"):
        fill("FAR {far:.1f}", pd.Index([0]), far=pd.Series([0.8]))
