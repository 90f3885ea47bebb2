"""Speed of TextVectorization.adapt (and of calling it) on 100k short documents, on the host.

By default the documents are generated (Zipf-distributed words, 5 to 20 per document, some punctuation and
capitals), so the script runs offline anywhere. ``--imdb`` uses the IMDB reviews in
../shared/datasets/aclImdb/ instead (long documents: about 230 words each).

Run: .venv/bin/python bench/adapt_text.py [--docs 100000] [--imdb]
"""

from __future__ import annotations

import argparse
import pathlib
import tarfile
import time

import numpy as np

from lamina import layers

_DATASETS = pathlib.Path(__file__).resolve().parents[1] / ".." / "shared" / "datasets"
_IMDB = _DATASETS / "aclImdb" / "aclImdb_labeled.tar.gz"


def generated_documents(count: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    words = np.array([f"word{i}" for i in range(20000)] + ["The", "And,", "movie!", "Good.", "bad?"], dtype=object)
    ranks = np.minimum(rng.zipf(1.2, size=count * 20), len(words)) - 1
    lengths = rng.integers(5, 21, size=count)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    return np.array([" ".join(words[ranks[s:s + n]]) for s, n in zip(starts, lengths)], dtype=object)


def imdb_documents(count: int) -> np.ndarray:
    texts = []
    with tarfile.open(_IMDB) as archive:
        for member in archive:
            if member.isfile() and member.name.endswith(".txt"):
                texts.append(archive.extractfile(member).read().decode("utf-8", "replace"))
                if len(texts) == count:
                    break
    return np.array(texts, dtype=object)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--imdb", action="store_true")
    args = parser.parse_args()
    docs = imdb_documents(args.docs) if args.imdb else generated_documents(args.docs)
    words = sum(len(d.split()) for d in docs)
    for mode in ("int", "tf_idf"):
        layer = layers.TextVectorization(max_tokens=20000, output_mode=mode,
                                         output_sequence_length=64 if mode == "int" else None)
        start = time.perf_counter()
        layer.adapt(docs)
        adapt = time.perf_counter() - start
        start = time.perf_counter()
        for i in range(0, len(docs), 1024):
            layer(docs[i:i + 1024])
        call = time.perf_counter() - start
        print(f"{len(docs)} docs ({words / len(docs):.0f} words each), output_mode={mode}: adapt {adapt:.2f} s "
              f"({len(docs) / adapt:,.0f} docs/s); vectorize in batches of 1024: {call:.2f} s "
              f"({len(docs) / call:,.0f} docs/s)")


if __name__ == "__main__":
    main()
