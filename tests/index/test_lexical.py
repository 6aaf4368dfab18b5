from __future__ import annotations

import pytest

from index.lexical import Bm25Index, tokenize


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Krupitsky 2002", ["krupitsky", "2002"]),
        ("a rate of 48.2% abstinence", ["rate", "48.2", "abstinence"]),
        ("Miniño AM", ["minino", "am"]),
        ("Spravato (esketamine)", ["spravato", "esketamine"]),
        ("the of and", []),
    ],
)
def test_tokenize(text, expected):
    assert tokenize(text) == expected


def test_doi_is_one_token_and_its_parts_too():
    toks = tokenize("https://doi.org/10.1038/npp.2017.194.")
    assert toks[0] == "10.1038/npp.2017.194"
    assert "194" in toks or "2017.194" in toks


def test_bm25_prefers_exact_names():
    idx = Bm25Index.build(["Krupitsky E, Burakov A. Ketamine psychotherapy. 2002", "Das RK. Ketamine and drinking", ""])
    scores = idx.scores("Krupitsky 2002")
    assert scores.argmax() == 0 and scores[1] == 0 and scores[2] == 0
    assert not idx.scores("zzzz unknownword").any()
    assert not idx.scores("the of").any()


def test_saved_files_do_not_depend_on_the_hash_seed(tmp_path):
    """Identical input gives identical files in any process, so versions are content-addressed."""
    import os
    import subprocess
    import sys

    script = (
        "import sys, hashlib, pathlib; from index.lexical import Bm25Index;"
        "d = pathlib.Path(sys.argv[1]); d.mkdir();"
        "Bm25Index.build(['alpha beta gamma', 'delta alpha', 'zeta eta theta iota']).save(d);"
        "print(sorted((p.name, hashlib.sha256(p.read_bytes()).hexdigest()) for p in d.iterdir()))"
    )
    outs = [
        subprocess.run(
            [sys.executable, "-c", script, str(tmp_path / f"s{seed}")],
            env={**os.environ, "PYTHONHASHSEED": str(seed)}, capture_output=True, text=True, check=True,
        ).stdout
        for seed in (1, 2)
    ]
    assert outs[0] == outs[1]


def _fold_by_characters(text: str) -> str:
    import unicodedata

    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)).lower()


@pytest.mark.parametrize("text", ["Krupitsky 2002", "KETAMINE, 0.5 mg/kg (n = 12)", "", "\t\n~`!@#$%^&*()", "Miniño AM", "ﬁrst café"])
def test_the_ascii_shortcut_folds_as_the_general_path_does(text):
    from index.lexical import fold

    assert fold(text) == _fold_by_characters(text)


def test_the_ascii_shortcut_on_every_ascii_character():
    from index.lexical import fold

    every = "".join(map(chr, range(128)))
    assert fold(every) == _fold_by_characters(every) and fold(every * 3) == _fold_by_characters(every * 3)


def test_term_counts_count_passages_not_occurrences():
    from index.lexical import term_counts

    counts = term_counts(["ketamine ketamine dose", "Ketamine therapy", "the of"])
    assert counts == {"dose": 1, "ketamine": 2, "therapy": 1}
    assert list(counts) == sorted(counts)
