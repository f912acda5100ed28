"""Everything the repository cites is in the repository.

A clone is all a newcomer, a reviewer or CI has: a comment, a suite's notes or a doc page
that points at a document or a path the clone lacks sends the reader nowhere. The
project's own contract is docs/sources.md (delivery formats) and docs/indicators.md
(indicators); only the test fixtures may reach the real registry files beside the
checkout (tests/conftest.py).
"""

from __future__ import annotations

import fnmatch
import itertools
import posixpath
import re
import subprocess
from functools import cache
from pathlib import Path

from pipelines.settings import PROJECT_ROOT

# Files whose text is data, not prose that cites anything; and this file, whose
# counter-examples cite what does not exist on purpose.
NOT_PROSE = ("tests/data/", "requirements.lock", ".gitignore", "tests/unit/test_repository_docs.py")
# The repository's top-level folders: a path starting with one of them is a citation.
TOP_LEVEL = ("pipelines", "tests", "dags", "warehouse", "expectations", "docs", "config",
             "deploy")
_BOUNDARY = r"(?<![\w./<>*{}-])"
_PATH = re.compile(_BOUNDARY + r"((?:\.\./)?(?:" + "|".join(TOP_LEVEL) + r")/[\w./<>*{},-]*)")
_MD_NAME = re.compile(_BOUNDARY + r"((?:\.\./|\./)?[\w./-]*[\w-]\.md)\b")
# The sibling folder of the checkout that holds the real registry files.
_OUTSIDE = re.compile(r"\.\./shared\b|[\"']shared[\"']\s*/")
OUTSIDE_ALLOWED = {"tests/conftest.py"}
# Names of documents the pipeline writes into its home, not documents it cites.
WRITTEN = {"data_dictionary.md"}


@cache
def tracked() -> tuple[str, ...]:
    # --others: files a branch adds count before they are committed
    out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                         cwd=PROJECT_ROOT, check=True, capture_output=True, text=True).stdout
    return tuple(sorted({p for p in out.split("\0") if p}))


def prose_files() -> list[str]:
    files = []
    for rel in tracked():
        if rel.startswith(NOT_PROSE) or not (PROJECT_ROOT / rel).is_file():
            continue
        try:
            (PROJECT_ROOT / rel).read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # binary
        files.append(rel)
    return files


def _expand_braces(pattern: str) -> list[str]:
    parts = re.split(r"\{([^{}]*)\}", pattern)
    fixed, choices = parts[0::2], [p.split(",") for p in parts[1::2]]
    return ["".join(f + c for f, c in itertools.zip_longest(fixed, combo, fillvalue=""))
            for combo in itertools.product(*choices)]


def exists(cited: str, citing: str) -> bool:
    """A cited path exists when some tracked file is it or lies under it, read from the
    repository's root or, for a relative link, from the citing file's folder. `<name>`,
    `NNN`, `YYYY`, `*` and `{a,b}` are placeholders and globs: at least one file must fit."""
    cited = cited.split("#", 1)[0].rstrip(".,:;)")
    if not cited:
        return True
    bases = [Path(".")]
    if not cited.startswith(TOP_LEVEL):
        bases.insert(0, Path(citing).parent)
    if citing == "pyproject.toml":
        bases.append(Path("pipelines"))  # package-data paths are the package's own
    files = tracked()
    for base in bases:
        target = posixpath.normpath((base / cited).as_posix())  # relative, never resolved
        if target.startswith("../"):
            continue  # above the repository
        target = re.sub(r"<[^<>]*>|(?<![A-Za-z])(?:N{2,}|YYYY|MM|DD)(?![a-z])", "*", target)
        for pattern in _expand_braces(target):
            pattern = pattern.rstrip("/")
            if any(f == pattern or f.startswith(pattern + "/") or fnmatch.fnmatch(f, pattern)
                   or fnmatch.fnmatch(f, pattern + "/*") for f in files):
                return True
    return False


def citations(rel: str) -> list[tuple[int, str]]:
    found = []
    for no, line in enumerate((PROJECT_ROOT / rel).read_text(encoding="utf-8").splitlines(), 1):
        for m in itertools.chain(_PATH.finditer(line), _MD_NAME.finditer(line)):
            if (no, m.group(1)) not in found:
                found.append((no, m.group(1)))
    return found


def test_every_cited_document_and_path_is_in_the_repository() -> None:
    basenames = {Path(f).name for f in tracked()}
    missing = []
    for rel in prose_files():
        for no, cited in citations(rel):
            bare_md = "/" not in cited and cited.endswith(".md")
            if (bare_md and cited in basenames | WRITTEN) or exists(cited, rel):
                continue
            missing.append(f"{rel}:{no}: {cited}")
    assert not missing, "cited but not in the repository:\n" + "\n".join(missing)


def test_nothing_but_the_fixtures_reaches_outside_the_checkout() -> None:
    outside = [
        f"{rel}:{no}: {line.strip()}"
        for rel in prose_files() if rel not in OUTSIDE_ALLOWED
        for no, line in enumerate((PROJECT_ROOT / rel).read_text(encoding="utf-8").splitlines(), 1)
        if _OUTSIDE.search(line)
    ]
    assert not outside, "refers outside the repository:\n" + "\n".join(outside)


def test_the_checker_sees_what_it_must() -> None:
    """The two rules catch a missing document, a missing path and a reach outside, and
    accept placeholders, globs, relative links and anchors that fit real files."""
    assert not exists("ARCHIVE" + ".md", "README.md")
    assert not exists("docs/nowhere.md", "README.md")
    assert not exists("tests/test_gone.py", "README.md")
    assert not exists("pipelines/sources/", "README.md")
    assert exists("docs/sources.md#1a-kemendagri-editions", "README.md")
    assert exists("registry.md", "docs/sources.md")
    assert exists("../README_towers.md", "docs/sources.md")
    assert exists("expectations/<dataset>.json", "README.md")
    assert exists("warehouse/models/{staging,core,marts}/", "README.md")
    assert exists("warehouse/migrations/400_*.sql", "README.md")
    assert exists("warehouse/migrations/NNN_*.sql", "README.md")
    assert [c for _, c in citations("README.md")]  # the scanner finds citations at all
    assert _OUTSIDE.search('PROJECT_ROOT.parent / "shared" / "data"')
    assert _OUTSIDE.search("see ../shared/data/registry")
