"""The README documents every canonical field (the model table stays in step with analysis/fields.py)."""
from pathlib import Path

from land_bureau_plugin.analysis.fields import FIELDS

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_readme_starts_with_the_two_commands():
    head = README[:600]
    assert "make demo" in head and "make test" in head


def test_every_canonical_field_is_in_the_model_table():
    missing = [name for name in FIELDS if f"| `{name}` |" not in README]
    assert not missing, f"add to the README's model table: {missing}"


def test_every_rule_with_a_source_is_in_the_profile_table():
    from land_bureau_plugin.rules.profile import load_profile

    profile = load_profile()
    missing = [f"{name}.{rule}" for name in ("resettlement", "efficiency", "upstairs")
               for rule in profile[name]["sources"] if f"`{rule}`" not in README.split("## Rule profile")[1]]
    assert not missing, f"add to the README's rule profile table: {missing}"
