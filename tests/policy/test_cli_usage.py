"""The argument errors and --help of the file commands (``fleksi plan check``, ``fleksi plan
propose``, ``fleksi rules-doc``), which share one parser: exit 2 with the usage and
``PROG: message`` on stderr and nothing on stdout; --help exits 0 with the usage on stdout."""

from __future__ import annotations

import pytest

from fleksi.planner.cli import plan_propose_main
from fleksi.policy.cli import plan_check_main, rules_doc_main

COMMANDS = {
    "fleksi plan check": (plan_check_main, ["--employees", "p.csv", "--plan", "r.csv"]),
    "fleksi plan propose": (plan_propose_main, ["--employees", "p.csv", "--from", "2026-03-02", "--weeks", "1"]),
    "fleksi rules-doc": (rules_doc_main, []),
}


@pytest.mark.parametrize("prog", list(COMMANDS))
def test_an_unknown_argument_is_exit_2_with_the_usage_and_the_message_on_stderr(capsys, prog):
    main, argv = COMMANDS[prog]
    assert main([*argv, "--bogus"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"usage: {prog} ")
    assert err.rstrip().splitlines()[-1] == f"{prog}: unrecognized arguments: --bogus"


@pytest.mark.parametrize("prog", ["fleksi plan check", "fleksi plan propose"])
def test_a_missing_argument_or_a_bad_choice_is_exit_2(capsys, prog):
    main, argv = COMMANDS[prog]
    assert main([]) == 2
    assert "the following arguments are required: --employees" in capsys.readouterr().err
    assert main([*argv, "--lang", "fr"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and f"{prog}: argument --lang: invalid choice: 'fr'" in err


@pytest.mark.parametrize("prog", list(COMMANDS))
def test_help_is_exit_0_with_the_usage_on_stdout(capsys, prog):
    main, _ = COMMANDS[prog]
    assert main(["--help"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith(f"usage: {prog} ") and err == ""
