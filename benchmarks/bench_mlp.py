"""Train-step time of initact's MLP against a hand-written NumPy loop and PyTorch.

One train step of a 784-300-100-10 ReLU MLP in float32: forward pass,
softmax cross-entropy, backward pass (no gradient for the input X), and an
SGD update with momentum 0.9. Three candidates, each from the same initial
weights, on the same batches:

- ``initact``: ``mlp(..., activation="relu", kernel_init="he_normal")`` and
  ``SGD(lr=0.01, momentum=0.9)``;
- ``numpy``: the same arithmetic written out by hand, the baseline;
- ``torch``: PyTorch CPU eager (``nn.Sequential`` of ``Linear``/``ReLU``,
  ``CrossEntropyLoss``, ``torch.optim.SGD``), when PyTorch is importable, with
  as many intra-op threads as NumPy's BLAS uses.

Before timing, one step and then a second step (which uses the momentum) of
each candidate from identical weights are checked to give the same weights to
float32 tolerance, so the three do the same work.
Candidates run in blocks of steps in a rotating order, so drift in the
machine's load hits all of them; each step is timed on its own and the median
(and the min) over all timed steps is reported, with the minor page faults
per step (a sign of memory being returned to the OS and faulted back in).

Targets (issue): initact <= 1.15x the hand-written loop, and faster than
PyTorch. The script prints whether they are met and always exits 0: it is a
measurement, not a test.

Run: python benchmarks/bench_mlp.py [--threads N] [--budget SECONDS] [--no-torch] [--no-trim]
"""

from __future__ import annotations

import argparse
import ctypes
import os
import platform
import statistics
import time

import numpy as np

try:
    import resource
except ImportError:  # not on Windows; page faults are then not counted
    resource = None

import initact
from initact.nn import SGD, mlp
from initact.nn.training import _LOSSES, _train_step, _UpdateGuard

SIZES = [784, 300, 100, 10]
BATCHES = (32, 256)
DTYPE = np.float32
LR, MOMENTUM = 0.01, 0.9
TARGET_VS_NUMPY = 1.15
N_DISTINCT_BATCHES = 4  # cycle a few batches so no candidate sees one array forever
# A fault costs ~1-3 us here; a heap trimmed and regrown each step costs ~400 of them.
FAULTS_WARNING = 20


# --------------------------------------------------------------------------- threads


def numpy_blas_info() -> dict | None:
    """NumPy's BLAS as threadpoolctl sees it (library, kernel, threads), or None."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return None
    numpy_dir = os.path.dirname(os.path.dirname(np.__file__))
    blas = [d for d in threadpool_info() if d.get("user_api") == "blas"]
    # Prefer the BLAS shipped with NumPy's wheel (numpy.libs) over any other loaded one.
    ours = [d for d in blas if d["filepath"].startswith(numpy_dir) and "numpy" in d["filepath"]]
    chosen = ours or blas
    return chosen[0] if chosen else None


# --------------------------------------------------------------------------- candidates


class InitactStep:
    """initact's model and optimizer, one call = one train step."""

    name = "initact"

    def __init__(self, model, optimizer: SGD) -> None:
        self.model, self.optimizer = model, optimizer
        self.guard = _UpdateGuard()  # fit installs it once per call; entering it costs nothing here

    def __call__(self, X: np.ndarray, y: np.ndarray) -> float:
        # Exactly what fit does per batch: forward, loss, the finiteness checks, backward,
        # and an update that Ctrl-C cannot cut in half.
        loss, _ = _train_step(
            self.model, X, y, _LOSSES["cross_entropy"], self.optimizer, self.guard
        )
        return loss

    def weights(self) -> list[np.ndarray]:
        return [a for layer in self.model.dense_layers for a in (layer.W, layer.b)]


class NumpyStep:
    """The same train step written out by hand, as a competent NumPy user would."""

    name = "numpy"

    def __init__(self, weights: list[np.ndarray], lr: float, momentum: float) -> None:
        self.W1, self.b1, self.W2, self.b2, self.W3, self.b3 = (w.copy() for w in weights)
        self.velocity = [np.zeros_like(w) for w in weights]
        self.lr = DTYPE(lr)
        self.momentum = DTYPE(momentum)

    def __call__(self, X: np.ndarray, y: np.ndarray) -> float:
        n = X.shape[0]
        rows = np.arange(n)
        # forward
        z1 = X @ self.W1 + self.b1
        a1 = np.maximum(z1, 0)
        z2 = a1 @ self.W2 + self.b2
        a2 = np.maximum(z2, 0)
        logits = a2 @ self.W3 + self.b3
        # softmax cross-entropy, shifted by the row max so exp never overflows
        shifted = logits - logits.max(axis=1, keepdims=True)
        exp = np.exp(shifted)
        total = exp.sum(axis=1, keepdims=True)
        loss = float(np.mean(np.log(total[:, 0]) - shifted[rows, y]))
        d3 = exp / total
        d3[rows, y] -= 1
        d3 /= n
        # backward; the first layer's input gradient is not needed
        gW3, gb3 = a2.T @ d3, d3.sum(axis=0)
        d2 = d3 @ self.W3.T
        d2 *= z2 > 0
        gW2, gb2 = a1.T @ d2, d2.sum(axis=0)
        d1 = d2 @ self.W2.T
        d1 *= z1 > 0
        gW1, gb1 = X.T @ d1, d1.sum(axis=0)
        # momentum update, Keras's form: v = momentum * v - lr * g; p += v
        params = (self.W1, self.b1, self.W2, self.b2, self.W3, self.b3)
        grads = (gW1, gb1, gW2, gb2, gW3, gb3)
        for p, g, v in zip(params, grads, self.velocity, strict=True):
            v *= self.momentum
            v -= self.lr * g
            p += v
        return loss

    def weights(self) -> list[np.ndarray]:
        return [self.W1, self.b1, self.W2, self.b2, self.W3, self.b3]


class TorchStep:
    """PyTorch CPU eager: nn.Sequential, CrossEntropyLoss, optim.SGD with momentum."""

    name = "torch"

    def __init__(self, torch, weights: list[np.ndarray], lr: float, momentum: float) -> None:
        self.torch = torch
        nn = torch.nn
        self.model = nn.Sequential(
            nn.Linear(SIZES[0], SIZES[1]),
            nn.ReLU(),
            nn.Linear(SIZES[1], SIZES[2]),
            nn.ReLU(),
            nn.Linear(SIZES[2], SIZES[3]),
        )
        linears = [m for m in self.model if isinstance(m, nn.Linear)]
        with torch.no_grad():
            for layer, W, b in zip(linears, weights[0::2], weights[1::2], strict=True):
                layer.weight.copy_(torch.from_numpy(W.T.copy()))  # PyTorch keeps (out, in)
                layer.bias.copy_(torch.from_numpy(b))
        self.linears = linears
        self.loss_fn = nn.CrossEntropyLoss()
        self.optimizer = torch.optim.SGD(self.model.parameters(), lr=lr, momentum=momentum)
        self._tensors: dict[int, tuple] = {}

    def as_tensors(self, X: np.ndarray, y: np.ndarray):
        """Zero-copy views of the batch, made once per batch outside the timed step."""
        key = id(X)
        if key not in self._tensors:
            self._tensors[key] = (self.torch.from_numpy(X), self.torch.from_numpy(y))
        return self._tensors[key]

    def __call__(self, X: np.ndarray, y: np.ndarray) -> float:
        Xt, yt = self.as_tensors(X, y)
        self.optimizer.zero_grad()
        loss = self.loss_fn(self.model(Xt), yt)
        loss.backward()
        self.optimizer.step()
        return loss.item()

    def weights(self) -> list[np.ndarray]:
        out = []
        for layer in self.linears:
            out += [layer.weight.detach().numpy().T, layer.bias.detach().numpy()]
        return out


# --------------------------------------------------------------------------- checks, timing


def check_same_numbers(candidates, X: np.ndarray, y: np.ndarray) -> float:
    """After one step and after a second (which uses the momentum), every candidate
    holds the same weights as initact to float32 tolerance; returns the largest |diff|."""
    worst = 0.0
    for step_number in (1, 2):
        for step in candidates:
            step(X, y)
        reference = candidates[0].weights()
        for other in candidates[1:]:
            for a, b in zip(reference, other.weights(), strict=True):
                # float32 sums in a different order differ by a few ulps of the largest term.
                np.testing.assert_allclose(
                    b,
                    a,
                    rtol=1e-5,
                    atol=1e-6,
                    err_msg=f"{other.name} differs from initact after step {step_number}",
                )
                worst = max(worst, float(np.max(np.abs(a - b))))
    return worst


def minor_page_faults() -> int:
    """Minor page faults of this process so far (0 where ``resource`` is missing)."""
    if resource is None:
        return 0
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def keep_freed_memory() -> bool:
    """Ask glibc's malloc to stop returning freed memory to the OS (``--no-trim``).

    Otherwise, depending on the heap's history, a step that frees large
    temporaries can shrink the heap and fault the same pages back in on the
    next step: hundreds of page faults per step that have nothing to do with
    the code measured. Returns False where this is not glibc.
    """
    try:
        libc = ctypes.CDLL("libc.so.6")
        m_trim_threshold, m_mmap_threshold = -1, -3  # from glibc's malloc.h
        return bool(
            libc.mallopt(m_trim_threshold, 1 << 30) and libc.mallopt(m_mmap_threshold, 1 << 30)
        )
    except (OSError, AttributeError):
        return False


def time_interleaved(candidates, data, *, warmup: int, block: int, rounds: int, budget: float):
    """Per-step times of each candidate, run in blocks of ``block`` steps in rotating order.

    The first step of each block is run untimed: it pays for the switch (cold
    caches, and the other library's worker threads still spinning). Rounds stop
    after ``rounds``, or earlier once ``budget`` seconds have passed (at least
    three rounds). Returns, per candidate, one list of step times per round, the
    minor page faults per timed step, and the number of rounds run.
    """
    clock = time.perf_counter
    times: dict[str, list[list[float]]] = {c.name: [] for c in candidates}
    faults = dict.fromkeys(times, 0)
    for step in candidates:
        for i in range(warmup):
            step(*data[i % len(data)])
    deadline = clock() + budget
    done = 0
    while done < rounds and (done < 3 or clock() < deadline):
        shift = done % len(candidates)
        for step in candidates[shift:] + candidates[:shift]:
            record = []
            step(*data[done % len(data)])
            before = minor_page_faults()
            for i in range(block):
                X, y = data[(done * block + i) % len(data)]
                start = clock()
                step(X, y)
                record.append(clock() - start)
            faults[step.name] += minor_page_faults() - before
            times[step.name].append(record)
        done += 1
    per_step = {name: faults[name] / (done * block) for name in times}
    return times, per_step, done


def summarize(times: dict[str, list[list[float]]], baseline: str) -> dict[str, dict[str, float]]:
    """Median and min step time of each candidate, and three ratios to ``baseline``.

    ``paired`` is the median over rounds of (candidate's block median /
    baseline's block median in the same round): load that changes from one
    round to the next cancels out of it.
    """
    out = {}
    for name, blocks in times.items():
        steps = [t for block in blocks for t in block]
        out[name] = {"median": statistics.median(steps), "min": min(steps)}
    for name, blocks in times.items():
        pairs = zip(blocks, times[baseline], strict=True)
        out[name]["paired"] = statistics.median(
            statistics.median(a) / statistics.median(b) for a, b in pairs
        )
        out[name]["vs_median"] = out[name]["median"] / out[baseline]["median"]
        out[name]["vs_min"] = out[name]["min"] / out[baseline]["min"]
    return out


def build_candidates(torch, seed: int):
    model = mlp(SIZES, activation="relu", kernel_init="he_normal", dtype=DTYPE, rng=seed)
    initact_step = InitactStep(model, SGD(lr=LR, momentum=MOMENTUM))
    start = [w.copy() for w in initact_step.weights()]
    candidates = [initact_step, NumpyStep(start, LR, MOMENTUM)]
    if torch is not None:
        candidates.append(TorchStep(torch, start, LR, MOMENTUM))
    return candidates


def describe_environment(blas: dict | None, torch, torch_threads_note: str) -> None:
    print(f"# MLP train step, {'-'.join(map(str, SIZES))} ReLU, {np.dtype(DTYPE).name}")
    print(f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs")
    print(f"initact {initact.__version__} from {os.path.dirname(initact.__file__)}")
    if blas is not None:
        print(
            f"numpy {np.__version__}, BLAS {blas.get('internal_api')} {blas.get('version')}, "
            f"kernel {blas.get('architecture')}, {blas['num_threads']} threads"
        )
    else:
        print(f"numpy {np.__version__}, BLAS threads unknown (threadpoolctl not installed)")
    env = {k: os.environ[k] for k in sorted(os.environ) if k.startswith(("OPENBLAS_", "OMP_"))}
    print(f"OPENBLAS_*/OMP_* environment: {env or 'none set'}")
    if torch is not None:
        print(
            f"torch {torch.__version__}, {torch.get_num_threads()} intra-op threads "
            f"({torch_threads_note})"
        )
    else:
        print(f"torch: {torch_threads_note}")
    if hasattr(os, "getloadavg"):
        print(f"load average before: {os.getloadavg()[0]:.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=40, help="most interleaved rounds")
    parser.add_argument("--block", type=int, default=20, help="timed steps per block")
    parser.add_argument("--warmup", type=int, default=30, help="untimed steps per candidate")
    parser.add_argument(
        "--budget", type=float, default=12.0, help="seconds per batch size before rounds stop"
    )
    parser.add_argument("--threads", type=int, help="limit NumPy's BLAS and PyTorch to N threads")
    parser.add_argument("--no-torch", action="store_true", help="skip PyTorch even if present")
    parser.add_argument(
        "--no-trim", action="store_true", help="glibc only: never return freed memory to the OS"
    )
    args = parser.parse_args()
    if args.no_trim and not keep_freed_memory():
        parser.error("--no-trim needs glibc's mallopt")

    limiter = None
    if args.threads is not None:
        from threadpoolctl import threadpool_limits  # --threads needs threadpoolctl

        limiter = threadpool_limits(limits=args.threads, user_api="blas")
    # Ask threadpoolctl before PyTorch is imported, so only NumPy's BLAS is loaded.
    blas = numpy_blas_info()
    torch, torch_threads_note = None, "skipped (--no-torch)"
    if not args.no_torch:
        try:
            import torch
        except ImportError:
            torch_threads_note = "not importable, skipped"
    if torch is not None:
        if blas is not None:
            torch.set_num_threads(blas["num_threads"])
            torch_threads_note = "set to NumPy's BLAS threads"
        else:
            torch_threads_note = "PyTorch's default: threadpoolctl missing, NumPy's unknown"
    describe_environment(blas, torch, torch_threads_note)
    print(f"malloc: {'no trim (--no-trim)' if args.no_trim else 'as is'}")

    rng = np.random.default_rng(0)
    results = {}
    began = time.perf_counter()
    for batch in BATCHES:
        data = [
            (
                rng.standard_normal((batch, SIZES[0]), dtype=DTYPE),
                rng.integers(0, SIZES[-1], size=batch),
            )
            for _ in range(N_DISTINCT_BATCHES)
        ]
        worst = check_same_numbers(build_candidates(torch, seed=1), *data[0])
        print(f"batch {batch}: same weights after steps 1 and 2 (max |diff| {worst:.1e})")
        results[batch] = time_interleaved(
            build_candidates(torch, seed=2),
            data,
            warmup=args.warmup,
            block=args.block,
            rounds=args.rounds,
            budget=args.budget,
        )
    elapsed = time.perf_counter() - began
    if limiter is not None:
        limiter.restore_original_limits()

    rounds_run = ", ".join(f"batch {b}: {r[2]}" for b, r in results.items())
    print(
        f"\nrounds of {args.block} timed steps per candidate ({rounds_run}) after "
        f"{args.warmup} warm-up steps; {elapsed:.0f} s"
    )
    busy = False
    if hasattr(os, "getloadavg"):
        load = os.getloadavg()[0]
        print(f"load average after: {load:.2f}")
        busy = load > 0.5 * (os.cpu_count() or 1)
    print(
        "\n| batch | candidate | median (us) | min (us) | vs numpy: medians | mins "
        "| paired by round | page faults / step |"
    )
    print("|---|---|---|---|---|---|---|---|")
    verdicts = []
    too_many_faults = False
    for batch, (times, faults, _) in results.items():
        stats = summarize(times, "numpy")
        for name, st in stats.items():
            too_many_faults |= faults[name] > FAULTS_WARNING
            print(
                f"| {batch} | {name} | {st['median'] * 1e6:.0f} | {st['min'] * 1e6:.0f} "
                f"| {st['vs_median']:.3f}x | {st['vs_min']:.3f}x | {st['paired']:.3f}x "
                f"| {faults[name]:.1f} |"
            )
        ratio = stats["initact"]["vs_median"]
        verdicts.append(
            f"batch {batch}: initact / numpy = {ratio:.3f}x (target <= {TARGET_VS_NUMPY}x): "
            f"{'met' if ratio <= TARGET_VS_NUMPY else 'NOT met'}"
        )
        if "torch" in stats:
            vs_torch = stats["initact"]["median"] / stats["torch"]["median"]
            verdicts.append(
                f"batch {batch}: initact / torch = {vs_torch:.3f}x (target < 1): "
                f"{'met' if vs_torch < 1 else 'NOT met'}"
            )
        else:
            verdicts.append(f"batch {batch}: initact vs torch: not measured")
    if too_many_faults:
        print(
            f"\nWARNING: more than {FAULTS_WARNING} page faults per step: freed memory went "
            "back to the OS and was faulted in again, which distorts these times; rerun "
            "with --no-trim."
        )
    if busy:
        print(
            "\nNOTE: other processes were using the CPUs (load average above half the CPU "
            "count); with threads competing for cores the medians suffer most, the min "
            "columns show undisturbed steps."
        )
    print("\nTargets (on medians):")
    for line in verdicts:
        print(f"- {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
