from pathlib import Path

from oscar_mlm import defaults

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_every_setting_is_documented():
    text = (DOCS / "settings.rst").read_text()
    names = [n for n in vars(defaults) if n.startswith("OSCAR_MLM_")]
    assert names
    assert [n for n in names if f"``{n}``" not in text] == []


def test_readme_and_install_guide_name_every_app():
    apps = sorted(
        p.name
        for p in (DOCS.parent / "oscar_mlm" / "apps").iterdir()
        if p.is_dir() and (p / "apps.py").exists()
    )
    assert "mlm_network" in apps and "checkout" in apps
    layout = (DOCS.parent / "README.md").read_text().split("## Layout", 1)[1]
    guide = (DOCS / "install.rst").read_text()
    assert [a for a in apps if f"apps/{a}" not in layout] == []
    assert [a for a in apps if a not in guide] == []
