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


def _bm25s_reference(texts):
    """What `Bm25Index.build` did before it built the matrix itself: bm25s's own `index` on token lists."""
    import bm25s

    docs = [tokenize(t) or ["\u2205"] for t in texts]
    vocab = {tok: i for i, tok in enumerate(sorted({tok for d in docs for tok in d}))}
    r = bm25s.BM25()
    r.index(bm25s.tokenization.Tokenized(ids=[[vocab[t] for t in d] for d in docs], vocab=vocab), show_progress=False)
    return r


def _mixed_texts(n: int, seed: int) -> list[str]:
    import random

    rng = random.Random(seed)
    words = ("ketamine dose the of 48.2 alcohol Miniño ﬁrst relapse craving therapy 10.1038/npp.2017.194 "
             "Krupitsky won't a b c 2002 mg/kg esketamine café").split()
    texts = [" ".join(rng.choice(words) for _ in range(rng.randint(0, 60))) for _ in range(n)]
    return texts + ["", "the of and", "ketamine " * 200, "Ketamine"]


@pytest.mark.parametrize("step", [1, 7, 1 << 20])
def test_the_built_matrix_is_bm25s_own_array_for_array(monkeypatch, tmp_path, step):
    """Streaming the postings (in steps of any size) gives bm25s's scores, vocabulary and files, byte for byte."""
    import index.lexical as lexical

    monkeypatch.setattr(lexical, "_SCATTER", step)
    texts = _mixed_texts(400 if step == 1 else 3000, seed=step)
    ours, theirs = Bm25Index.build(iter(texts))._r, _bm25s_reference(texts)
    for key in ("data", "indices", "indptr"):
        assert ours.scores[key].dtype == theirs.scores[key].dtype
        assert ours.scores[key].tobytes() == theirs.scores[key].tobytes(), key
    assert ours.scores["num_docs"] == theirs.scores["num_docs"] == len(texts)
    assert ours.vocab_dict == theirs.vocab_dict and list(ours.vocab_dict) == list(theirs.vocab_dict)
    (tmp_path / "ours").mkdir(), (tmp_path / "theirs").mkdir()
    Bm25Index(ours, len(texts)).save(tmp_path / "ours")
    Bm25Index(theirs, len(texts)).save(tmp_path / "theirs")
    names = sorted(p.name for p in (tmp_path / "theirs").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "ours").iterdir()) and len(names) == 5
    for name in names:
        assert (tmp_path / "ours" / name).read_bytes() == (tmp_path / "theirs" / name).read_bytes(), name
    for query in ["ketamine dose", "Krupitsky 2002", "10.1038/npp.2017.194", "unknownword"]:
        assert Bm25Index(ours, len(texts)).scores(query).tobytes() == Bm25Index(theirs, len(texts)).scores(query).tobytes()


@pytest.mark.parametrize("texts", [[], [""], ["the of"], ["", "ketamine", ""]])
def test_small_and_empty_corpora_build_as_bm25s_does(texts):
    ours = Bm25Index.build(texts)
    assert ours.size == len(texts)
    if texts:
        theirs = _bm25s_reference(texts)
        assert all(ours._r.scores[k].tobytes() == theirs.scores[k].tobytes() for k in ("data", "indices", "indptr"))
    assert not ours.scores("unknownword").any()
