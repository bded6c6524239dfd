from __future__ import annotations

from pathlib import Path

from fleksi.policy.cli import rules_doc_main
from fleksi.policy.docs import rules_markdown
from fleksi.policy.model import RuleCode

ROOT = Path(__file__).resolve().parents[2]


def test_every_code_is_documented() -> None:
    text = rules_markdown()
    for code in RuleCode:
        assert f"`{code.value}`" in text
        assert code.basis in text


def test_committed_rules_md_is_fresh() -> None:
    assert rules_doc_main(["--check", "--output", str(ROOT / "docs" / "rules.md")]) == 0


def test_check_detects_stale_file(tmp_path: Path) -> None:
    target = tmp_path / "rules.md"
    assert rules_doc_main(["--check", "--output", str(target)]) == 1
    assert rules_doc_main(["--output", str(target)]) == 0
    assert rules_doc_main(["--check", "--output", str(target)]) == 0
    target.write_text("old", encoding="utf-8")
    assert rules_doc_main(["--check", "--output", str(target)]) == 1
