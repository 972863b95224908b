"""Every command's help reads as written: no stray `%%` or unexpanded `%(...)s` (argparse
formats help texts with %, and a description shown raw keeps a doubled %)."""

from __future__ import annotations

import argparse
import re

import pytest

from icpdsl.cli import COMMANDS, build_parser, main

_STRAY = re.compile(r"%%|%\(\w+\)[sdr]")


def _subparser(command: str) -> argparse.ArgumentParser:
    parser = build_parser(command)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            chosen: argparse.ArgumentParser = action.choices[command]
            return chosen
    raise AssertionError(f"no subcommand {command}")


@pytest.mark.parametrize("command", COMMANDS)
def test_help_has_no_stray_percent_signs(command: str) -> None:
    text = _subparser(command).format_help()
    assert not _STRAY.findall(text), text
    usage = _subparser(command).format_usage()
    assert not _STRAY.findall(usage)


def test_the_top_level_help_has_none_either(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert not _STRAY.findall(capsys.readouterr().out)


def test_validate_says_95_percent_once() -> None:
    assert "95% Wilson" in _subparser("validate").format_help()


def test_percent_signs_in_option_help_are_shown_single() -> None:
    assert "2% of the accounts" in _subparser("suggest").format_help()
