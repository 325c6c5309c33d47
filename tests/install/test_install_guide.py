"""docs/install.rst, followed literally on a fresh Oscar project.

The project is what ``django-admin startproject`` writes plus Oscar's documented
settings and URLs (``oscar_settings.txt``, ``oscar_urls.txt``); nothing comes
from the sandbox. Then every block of the guide is applied as it stands on the
page: blocks captioned ``settings.py`` are appended to the settings, the one
captioned ``urls.py`` becomes the URLconf, and the ``python manage.py`` lines
of the ``console`` blocks run in order. ``scenario.py`` then signs a customer up
on a storefront, has a partner generate a code and places an order with it and
loyalty credit through the web checkout.

On the PostgreSQL stage the project uses a fresh database on that server.
"""

import os
import re
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path
from urllib.parse import urlparse

import pytest

HERE = Path(__file__).resolve().parent
GUIDE = HERE.parent.parent / "docs" / "install.rst"
DIRECTIVE = re.compile(r"^\.\. code-block:: (\w+)\s*$")


def guide_blocks(text):
    """Every code block of the guide as (language, caption, code), in page order."""
    lines, blocks, i = text.splitlines(), [], 0
    while i < len(lines):
        match = DIRECTIVE.match(lines[i])
        i += 1
        if not match:
            continue
        caption = None
        while i < len(lines) and lines[i].strip().startswith(":"):
            option = lines[i].strip()
            if option.startswith(":caption:"):
                caption = option.split(":caption:", 1)[1].strip()
            i += 1
        body = []
        while i < len(lines) and (not lines[i].strip() or lines[i].startswith("    ")):
            body.append(lines[i])
            i += 1
        blocks.append((match.group(1), caption, textwrap.dedent("\n".join(body)).strip() + "\n"))
    return blocks


def test_the_guide_has_the_blocks_this_test_follows():
    blocks = guide_blocks(GUIDE.read_text())
    captions = [caption for _language, caption, _code in blocks if caption]
    assert captions.count("urls.py") == 1
    assert captions.count("settings.py") >= 3
    commands = [line for lang, _c, code in blocks if lang == "console" for line in code.split("\n")]
    assert "$ python manage.py migrate" in commands
    assert "$ python manage.py mlm_init" in commands
    assert "$ python manage.py check" in commands


def run(args, cwd, env, timeout=900):
    result = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert result.returncode == 0, f"{' '.join(map(str, args))}\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture
def database_settings():
    """Test-only settings below the guide's: a fresh PostgreSQL database on that stage."""
    url = os.environ.get("MLM_TEST_DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield ""
        return
    import psycopg

    name = f"mlm_install_{uuid.uuid4().hex[:8]}"
    parsed = urlparse(url)
    admin = psycopg.connect(url, autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield textwrap.dedent(
            f"""
            DATABASES = {{
                "default": {{
                    "ENGINE": "django.db.backends.postgresql",
                    "NAME": {name!r},
                    "USER": {parsed.username or ""!r},
                    "PASSWORD": {parsed.password or ""!r},
                    "HOST": {parsed.hostname or ""!r},
                    "PORT": {str(parsed.port or "")!r},
                    "ATOMIC_REQUESTS": True,
                }}
            }}
            """
        )
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_following_the_guide_on_a_fresh_oscar_project(tmp_path, database_settings):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "MLM_TEST_"))}
    env["PYTHONPATH"] = str(tmp_path)  # the project only: no sandbox, no tests package
    env["DJANGO_SETTINGS_MODULE"] = "shop.settings"
    run([sys.executable, "-m", "django", "startproject", "shop", str(tmp_path)], tmp_path, env)
    settings_py, urls_py = tmp_path / "shop" / "settings.py", tmp_path / "shop" / "urls.py"
    settings_text = settings_py.read_text() + "\n" + (HERE / "oscar_settings.txt").read_text()
    urls_py.write_text((HERE / "oscar_urls.txt").read_text())

    commands = []
    for language, caption, code in guide_blocks(GUIDE.read_text()):
        if caption == "settings.py":
            settings_text += f"\n# --- docs/install.rst ---\n{code}"
        elif caption == "urls.py":
            urls_py.write_text(code)
        elif language == "console":
            for line in code.splitlines():
                if line.startswith("$ python manage.py "):
                    commands.append(line.removeprefix("$ python manage.py ").split())
                elif line.startswith("$ pip install "):
                    run([sys.executable, "-c", "import oscar_mlm"], tmp_path, env)
    settings_py.write_text(settings_text + database_settings)

    outputs = {}
    for command in commands:
        outputs[command[0]] = run([sys.executable, "manage.py", *command], tmp_path, env)
    assert [c[0] for c in commands] == ["migrate", "mlm_init", "check"]
    # The guide's settings leave nothing for our checks (or Django's) to warn about.
    assert "System check identified no issues (0 silenced)." in outputs["check"]

    (tmp_path / "scenario.py").write_text((HERE / "scenario.py").read_text())
    output = run([sys.executable, "scenario.py"], tmp_path, env)
    assert output.rstrip().endswith("SCENARIO OK"), output
