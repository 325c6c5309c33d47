from pathlib import Path

from oscar_mlm import defaults

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_every_setting_is_documented():
    text = (DOCS / "settings.rst").read_text()
    names = [n for n in vars(defaults) if n.startswith("OSCAR_MLM_")]
    assert names
    assert [n for n in names if f"``{n}``" not in text] == []
