"""Every text core and the plugins show has a Bahasa Indonesia translation, no two
catalogues disagree about a text, and placeholders survive translation.

Texts are found the way a plugin author's ``niaga i18n update`` finds them: Babel
extraction over the package's Python (``_``, ``gettext``, ``pgettext``, ``flash`` and the
first argument of every error class) and its Jinja templates.
"""

from __future__ import annotations

import configparser
import inspect
import re
from fnmatch import fnmatch
from pathlib import Path

import marshmallow.fields
import marshmallow.schema
import marshmallow.validate
import pytest
from babel.messages.catalog import Catalog
from click.testing import CliRunner

from niaga import i18n, scaffold

CHECKOUT = Path(__file__).resolve().parents[2]
CORE = CHECKOUT / "core" / "niaga"
PACKAGES = {
    "niaga": CORE,
    **{path.parent.name: path.parent for path in CHECKOUT.glob("plugins/*/niaga_*/__init__.py")},
    "niaga_whatsapp": CHECKOUT / "examples" / "whatsapp_notify" / "niaga_whatsapp",
    "niaga_sample": CHECKOUT / "tests" / "fixture_plugins" / "sample" / "niaga_sample",
}


@pytest.fixture(scope="module")
def scaffolded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package ``niaga plugin new`` writes, so its template's catalogue is checked too."""
    root = tmp_path_factory.mktemp("scaffold")
    scaffold.create_plugin("toko_sync", root, taken=())
    return root / "niaga_toko_sync"


def catalogue_of(package_dir: Path) -> dict[i18n.Key, str]:
    path = i18n.catalogue_path(package_dir)
    if not path.is_file():
        return {}
    return i18n.translations(i18n.read_catalogue(path, "id", package_dir.name))


def all_catalogues(scaffolded: Path) -> dict[str, dict[i18n.Key, str]]:
    dirs = {**PACKAGES, "niaga_toko_sync": scaffolded}
    return {name: catalogue_of(path) for name, path in dirs.items()}


def test_every_plugin_is_checked():
    assert {"niaga_inventory", "niaga_sales", "niaga_cashbank", "niaga_purchasing"} <= set(PACKAGES)
    assert {"niaga_payments", "niaga_loyalty"} <= set(PACKAGES)


@pytest.mark.parametrize("name", sorted(PACKAGES))
def test_every_text_shown_has_an_indonesian_translation(name):
    package_dir = PACKAGES[name]
    missing = i18n.untranslated(
        i18n.extract(package_dir), [catalogue_of(package_dir), catalogue_of(CORE)]
    )
    assert not missing, f"add these to {i18n.catalogue_path(package_dir)}: {missing}"


def test_the_scaffolded_plugin_starts_fully_translated(scaffolded):
    missing = i18n.untranslated(
        i18n.extract(scaffolded), [catalogue_of(scaffolded), catalogue_of(CORE)]
    )
    assert not missing, missing


def test_no_two_catalogues_translate_the_same_text_differently(scaffolded):
    seen: dict[i18n.Key, tuple[str, str]] = {}
    collisions = []
    for domain, catalogue in sorted(all_catalogues(scaffolded).items()):
        for key, text in catalogue.items():
            if key in seen and seen[key][1] != text:
                collisions.append((key, seen[key], (domain, text)))
            seen.setdefault(key, (domain, text))
    assert not collisions, "tell the meanings apart with pgettext: " + repr(collisions)


def test_placeholders_survive_translation(scaffolded):
    wrong = [
        (domain, msgid, text)
        for domain, catalogue in all_catalogues(scaffolded).items()
        for (_, msgid), text in catalogue.items()
        if i18n.placeholders(msgid) != i18n.placeholders(text)
    ]
    assert not wrong, wrong


def test_catalogues_are_gettext_po_and_are_installed():
    """A non-editable install carries the .po files: package_data covers them."""
    leftovers = [p for p in CHECKOUT.glob("**/translations/*.json") if ".venv" not in p.parts]
    assert not leftovers
    for name, package_dir in PACKAGES.items():
        path = i18n.catalogue_path(package_dir)
        if not path.is_file():
            assert not [m for m in i18n.extract(package_dir) if m.id], name
            continue
        config = configparser.ConfigParser()
        config.read(CHECKOUT / "setup.cfg" if name == "niaga" else package_dir.parent / "setup.cfg")
        globs = config["options.package_data"][name].split()
        relative = path.relative_to(package_dir).as_posix()
        assert any(fnmatch(relative, pattern) for pattern in globs), (name, globs)


def marshmallow_messages() -> set[str]:
    """marshmallow's default messages as a user receives them (operators filled in)."""
    found = set(marshmallow.schema.Schema._default_error_messages.values())
    for cls in vars(marshmallow.fields).values():
        if inspect.isclass(cls):
            found.update(getattr(cls, "default_error_messages", {}).values())
    for cls in vars(marshmallow.validate).values():
        if inspect.isclass(cls):
            found.update(
                value
                for key, value in vars(cls).items()
                if isinstance(value, str)
                and (key.startswith("message") or key == "error")
                or key == "default_message"
            )
    # Range builds its messages from operators, the date fields fill in their kind
    lower = ["greater than or equal to", "greater than"]
    upper = ["less than or equal to", "less than"]
    kinds = ["datetime", "date", "time"]
    rendered = {
        message
        for message in found
        if message not in lower + upper and not re.search(r"_op}|obj_type|awareness", message)
    }
    rendered |= {f"Not a valid {kind}." for kind in kinds}
    rendered |= {f'"{{input}}" cannot be formatted as a {kind}.' for kind in kinds}
    rendered |= {f"Not a valid {awareness} datetime." for awareness in ("naive", "aware")}
    rendered |= {f"Must be {op} {{min}}." for op in lower}
    rendered |= {f"Must be {op} {{max}}." for op in upper}
    rendered |= {f"Must be {a} {{min}} and {b} {{max}}." for a in lower for b in upper}
    return rendered


def test_every_marshmallow_message_has_an_indonesian_translation():
    core = catalogue_of(CORE)
    missing = sorted(m for m in marshmallow_messages() if (None, m) not in core)
    assert not missing, missing


@pytest.mark.parametrize(
    ("english", "indonesian"),
    [
        ("Missing data for required field.", "Wajib diisi."),
        ("Must be one of: cash, bank_transfer.", "Harus salah satu dari: cash, bank_transfer."),
        ("Length must be between 1 and 80.", "Panjang harus antara 1 dan 80."),
        ("Must be greater than or equal to 0.", "Harus paling sedikit 0."),
        ("Must be greater than 0.", "Harus lebih dari 0."),
        ("Must be greater than 0 and less than or equal to 9.", "Harus lebih dari 0 dan paling banyak 9."),  # noqa: E501
        ('"31-02" cannot be formatted as a date.', '"31-02" tidak bisa dibaca sebagai tanggal.'),
        ("'3h' cannot be formatted as a timedelta.", "'3h' tidak bisa dibaca sebagai jangka waktu."),  # noqa: E501
        ("12.5 is not a number; type it like 12,5", "12.5 bukan angka; ketik seperti 12,5"),
        ("Something no catalogue knows.", "Something no catalogue knows."),
    ],
)  # fmt: skip
def test_field_messages_are_translated_with_their_values(english, indonesian):
    i18n.load_package_catalogues("niaga")
    assert i18n.translate_field_messages([english], "id") == [indonesian]
    assert i18n.translate_field_messages([english], "en") == [english]


def test_nested_field_messages_keep_their_shape():
    i18n.load_package_catalogues("niaga")
    messages = {"lines": {"0": {"quantity": ["Not a valid number."]}}, "note": "Unknown field."}
    assert i18n.translate_field_messages(messages, "id") == {
        "lines": {"0": {"quantity": ["Bukan angka yang valid."]}},
        "note": "Isian tidak dikenal.",
    }


def test_update_adds_new_texts_and_keeps_every_translation(tmp_path, monkeypatch):
    package = tmp_path / "niaga_etalase"
    (package / "templates" / "etalase").mkdir(parents=True)
    (package / "__init__.py").write_text(
        "from niaga.errors import Refused\n"
        "from niaga.i18n import gettext, pgettext\n\n"
        "class ShelfFull(Refused):\n    pass\n\n"
        "def texts():\n"
        '    gettext("Shelf")\n'
        '    pgettext("money handed back", "Change")\n'
        '    raise ShelfFull("Shelf {name} is full", name="A")\n'
    )
    (package / "templates" / "etalase" / "index.html").write_text(
        "<h1>{{ _('Shelf') }}</h1>{{ _('Kept by hand') if 0 }}{{ pgettext('shelf', 'Open') }}"
    )
    path = i18n.catalogue_path(package)
    catalogue = Catalog(locale="id", domain="niaga_etalase")
    catalogue.add("Shelf", "Rak")
    catalogue.add("Shown through a variable", "Ditampilkan lewat variabel")
    i18n.write_catalogue(catalogue, path)
    monkeypatch.setenv("NIAGA_HOME", str(tmp_path / "home"))

    from niaga.cli import main

    result = CliRunner().invoke(main, ["i18n", "update", str(tmp_path / "niaga_etalase")])
    assert result.exit_code == 0, result.output
    assert "to translate: Shelf {name} is full" in result.output

    updated = i18n.read_catalogue(path, "id", "niaga_etalase")
    entries = {(m.context, m.id): m.string for m in updated if m.id}
    assert entries == {
        (None, "Shelf"): "Rak",
        (None, "Shown through a variable"): "Ditampilkan lewat variabel",
        (None, "Kept by hand"): "",
        ("money handed back", "Change"): "",
        ("shelf", "Open"): "",
        (None, "Shelf {name} is full"): "",
    }
