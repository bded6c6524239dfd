"""Problems found in input files and policies, with Indonesian and English texts."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem in an input file.

    ``line`` is the 1-based line in the file (the header is line 1; 0 when the problem is
    about the file as a whole) and ``column`` the header name (empty when not about a column).
    """

    file: str
    line: int
    column: str
    message_id: str
    message_en: str

    def message(self, lang: str = "id") -> str:
        return self.message_en if lang == "en" else self.message_id

    def format(self, lang: str = "id") -> str:
        """``file:line: column: message`` as printed on stderr by ``fleksi plan check``."""
        where = f"{self.file}:{self.line}"
        if self.column:
            return f"{where}: {self.column}: {self.message(lang)}"
        return f"{where}: {self.message(lang)}"

    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.file, self.line, self.column, self.message_id)


class PolicyError(ValueError):
    """An agency policy looser than the regulation, or otherwise invalid."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(p.format("en") for p in self.problems))
