"""The one error hierarchy (land_bureau_plugin/errors.py): what the user reads, in their language, with where."""
import pytest

from land_bureau_plugin import errors
from land_bureau_plugin.analysis.messages import Message
from land_bureau_plugin.errors import (
    InputError,
    LandBureauError,
    OutputError,
    ProfileError,
    UnexpectedError,
    as_land_bureau_error,
    note_where,
)


@pytest.fixture()
def chinese():
    table = {("errors", "layer {value}"): "图层 {value}", ("errors", "feature id {value}"): "要素 {value}",
             ("errors", "field {value}"): "字段 {value}", ("errors", ", "): "，",
             ("errors", "{where}: {message}"): "{where}：{message}",
             ("errors", "Rule profile error: {error}"): "规则配置错误：{error}",
             ("profile", "must not be negative"): "不能为负数",
             ("errors", "no date: {value}"): "不是日期：{value}"}
    errors.use_translator(lambda context, text: table.get((context, text), text))
    yield
    errors.use_translator(None)


def test_every_error_class_is_a_land_bureau_error():
    for cls in (ProfileError, InputError, OutputError, UnexpectedError):
        assert issubclass(cls, LandBureauError)
    assert issubclass(ProfileError, ValueError)  # callers catching ValueError keep working


def test_the_message_names_layer_feature_and_field_in_that_order():
    error = InputError("not a number: abc", layer="地块", feature_id=12, field="RJL")
    assert str(error) == "Layer 地块, feature id 12, field RJL: not a number: abc"
    assert InputError("plain").text() == "plain"
    assert InputError("x", field="RJL").text() == "Field RJL: x"


def test_a_message_template_is_filled_in_the_users_language_when_shown(chinese):
    error = InputError(Message("no date: {value}", value="2024"), layer="征迁项目", feature_id=3, field="ZQRQ")
    assert error.text() == "图层 征迁项目，要素 3，字段 ZQRQ：不是日期：2024"
    assert error.message == "no date: 2024"  # the English sentence stays available (logs, tests)


def test_a_profile_error_keeps_its_key_form_and_gets_its_title_where_shown(chinese):
    error = ProfileError(Message("must not be negative"), key="resettlement.yellow_days")
    assert str(error) == "resettlement.yellow_days：不能为负数"
    assert error.shown() == "规则配置错误：resettlement.yellow_days：不能为负数"
    assert error.level == "warning"


def test_level_and_details_are_kept_and_a_bad_level_falls_back_to_the_class_default():
    error = OutputError("refused", details="more", level="info")
    assert (error.level, error.details) == ("info", "more")
    assert OutputError("refused", level="loud").level == "critical"


def test_an_unexpected_exception_becomes_a_message_naming_its_type_and_where_it_was_noted():
    try:
        try:
            int("abc")
        except ValueError as exc:
            raise note_where(exc, layer="地块", feature_id=7, field="CS") from None
    except ValueError as exc:
        error = as_land_bureau_error(exc, details="Traceback …")
    assert isinstance(error, UnexpectedError)
    assert error.text().startswith("Layer 地块, feature id 7, field CS: Unexpected error (ValueError): invalid literal")
    assert error.details == "Traceback …" and "Traceback" not in error.shown()


def test_the_innermost_note_wins_and_a_land_bureau_error_is_returned_as_it_is():
    exc = note_where(note_where(KeyError("x"), feature_id=3), layer="L", feature_id=99)
    assert exc.land_bureau_where == {"layer": "L", "feature_id": 3}
    own = InputError("mine")
    assert as_land_bureau_error(own) is own
    assert "Unexpected error (RuntimeError): RuntimeError" in as_land_bureau_error(RuntimeError()).text()
