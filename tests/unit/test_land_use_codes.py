"""Land-use names for the codes the rule tables are keyed by."""
from land_bureau_plugin.analysis import land_use_codes
from land_bureau_plugin.analysis.efficiency_rules import DEFAULT_KEY, EfficiencyRules
from land_bureau_plugin.analysis.upstairs_rules import DEFAULT_INDUSTRIAL_CODES


def test_each_family_is_named_and_longer_codes_by_their_prefix():
    assert land_use_codes.name_of("0601") == land_use_codes.name_of("1001") == "industrial land"
    assert land_use_codes.name_of(" m2 ") == "class 2 industrial land"
    assert land_use_codes.name_of("060101") == "industrial land"  # a finer code of a listed one
    assert land_use_codes.name_of("0701") == land_use_codes.name_of("") == land_use_codes.name_of(None) == ""


def test_every_code_of_the_bundled_rules_has_a_name():
    rules = EfficiencyRules()
    codes = (set(rules.min_far) | set(rules.target_far) | set(DEFAULT_INDUSTRIAL_CODES)) - {DEFAULT_KEY}
    assert {code for code in codes if not land_use_codes.name_of(code)} == set()
