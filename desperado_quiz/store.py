"""Question banks as the commands that play them load them: found, read through the
checked cache (``bank_cache``), and checked across files. No terminal I/O.

`validate` does not come here: it reads every file itself, every time.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from desperado_quiz.bank_cache import Loader, SetRelation
from desperado_quiz.loader import BankPathError, Found, LoadResult, bank_files, duplicate_ids
from desperado_quiz.paths import bundled_questions_dir
from desperado_quiz.text import closest_value

__all__ = ["BankPathError", "load_bank_specs", "load_banks"]


def load_banks(paths: Sequence[Path] | None = None) -> LoadResult:
    """Load the given files and folders, or the bundled banks when none are given."""
    return _load(bank_files(paths or [bundled_questions_dir()]))


def load_bank_specs(specs: Sequence[str]) -> LoadResult:
    """Banks named by id (bundled) or by path (a file or folder); all bundled if none."""
    if not specs:
        return load_banks()
    paths = [Path(spec) for spec in specs if Path(spec).exists()]
    ids = [spec for spec in specs if not Path(spec).exists()]
    found = bank_files(paths)
    if ids:
        bundled = bank_files([bundled_questions_dir()])
        named = _load(bundled, check_ids=False)
        known = sorted(bank.id for bank in named.banks)
        if unknown := [i for i in ids if i not in known]:
            guess = closest_value(unknown[0], known)
            meant = f"; did you mean {guess!r}?" if guess else ""
            raise BankPathError(
                f"no bank with id {unknown[0]!r} and no such file or folder{meant} "
                f"(bundled banks: {', '.join(known)})"
            )
        wanted = {bank.path for bank in named.banks if bank.id in ids}
        found.files += [path for path in bundled.files if path in wanted]
        found.findings += bundled.findings
    return _load(found)


def _load(found: Found, check_ids: bool = True) -> LoadResult:
    """Every file found, from the cache where it can be; ids checked across the files
    unless this set of files was loaded whole before (then they were, and its relation
    is kept)."""
    loader = Loader()
    result = LoadResult(findings=list(found.findings))
    keys: list[tuple[str, str]] = []
    clean = not found.findings
    for path in found.files:
        bank, findings, key = loader.load(path)
        result.findings.extend(findings)
        if bank is not None:
            result.banks.append(bank)
        if key is None or bank is None:
            clean = False
        else:
            keys.append((bank.id, key))
    loader.save()
    if not check_ids:
        return result
    store = SetRelation(loader.folder, keys, sum(bank.size for bank in result.banks))
    if not (clean and store.exists()):
        result.findings.extend(duplicate_ids(result.banks))
    if clean and result.ok:
        result.relation_store = store
    return result
