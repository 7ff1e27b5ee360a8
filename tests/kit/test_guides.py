"""The guides stay true: every command they show exists with its options (core's, and each
installed plugin's), and both user guides mark the same screenshots, each listed for the
browser tests."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest

from niaga.cli import main
from niaga.plugins import PluginHost

DOCS = Path(__file__).resolve().parents[2] / "docs"
GUIDES = ["operations.md", "plugins.md", "user-guide.en.md", "user-guide.id.md"]
#: command groups of plugins, checked when the plugin is installed (etalase is the tutorial's)
PLUGIN_GROUPS = {"inventory", "sales", "cashbank", "purchasing", "payments", "loyalty", "etalase"}


@pytest.fixture(scope="module")
def plugin_commands() -> dict[str, click.Command]:
    """The command groups of the plugins installed here."""
    host = PluginHost()
    host.discover()
    found = {}
    for name in host.loaded_names():
        found.update({command.name: command for command in host.contributions(name, "cli")})
    return found


def shown_commands(text: str) -> list[list[str]]:
    """``niaga ...`` command lines in code blocks and inline code."""
    found = re.findall(r"^\s*(niaga [^\n#]*)", text, re.M)
    found += re.findall(r"`(niaga [^`]*)`", text)
    commands = []
    for line in found:
        words = shlex.split(line.replace("...", "").split("  #")[0])
        commands.append(words[1:])
    return commands


def resolve(root: click.Command, words: list[str]) -> tuple[click.Command, list[str]]:
    """The deepest command under ``root`` named by ``words`` and the words left over."""
    command = root
    while words and isinstance(command, click.Group) and words[0] in command.commands:
        command, words = command.commands[words[0]], words[1:]
    return command, words


@pytest.mark.parametrize("guide", GUIDES)
def test_every_command_shown_exists_with_its_options(guide, plugin_commands):
    root = click.Group("niaga", commands={**plugin_commands, **main.commands})
    for words in shown_commands((DOCS / guide).read_text(encoding="utf-8")):
        if not words or not re.fullmatch(r"[a-z_]+", words[0]):
            continue
        if words[0] in PLUGIN_GROUPS and words[0] not in plugin_commands:
            continue
        command, rest = resolve(root, words)
        assert command is not root, f"{guide}: niaga {' '.join(words)}: no such command"
        assert not isinstance(command, click.Group) or not rest or rest[0].startswith("-"), (
            f"{guide}: niaga {' '.join(words)}: no subcommand {rest[0]!r}"
        )
        known = {opt for param in command.params for opt in param.opts}
        known |= {"--help"}
        for word in rest:
            if word.startswith("--"):
                assert word.split("=")[0] in known, f"{guide}: niaga {' '.join(words)}: {word}?"


def screenshots(text: str) -> list[str]:
    return re.findall(r"!\[[^\]]*\]\(screenshots/[a-z]{2}/(\S+?\.png)\)", text)


def test_both_user_guides_mark_the_same_screenshots_and_list_them():
    english = (DOCS / "user-guide.en.md").read_text(encoding="utf-8")
    indonesian = (DOCS / "user-guide.id.md").read_text(encoding="utf-8")
    assert screenshots(english) == screenshots(indonesian)
    listed = re.findall(r"^\| `(\S+\.png)` \|", english, re.M)
    assert sorted(listed) == sorted(set(screenshots(english)))


def test_the_tutorial_names_the_files_the_scaffold_writes(tmp_path):
    from niaga import scaffold

    written = [path.as_posix() for path in scaffold.create_plugin("etalase", tmp_path, taken=())]
    text = (DOCS / "plugins.md").read_text(encoding="utf-8")
    section = text.split("### 1. Generate it")[1].split("### 2.")[0]
    named = [
        name
        for cell in re.findall(r"^\| ([^|]+) \|", section, re.M)
        for name in re.findall(r"`([^`]+)`", cell)
    ]
    assert len(named) > 10
    for name in named:
        assert any(path == name or path.endswith(f"/{name}") for path in written), name
