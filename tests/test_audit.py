"""initact.audit against the real libraries: PyTorch 2.13 (CPU) and Keras 3 (torch backend).

Both come with the `frameworks` extra, which the README's `.[dev]` installs. Without them
these tests skip on a developer's machine and fail under CI=true, which must run them.
Keras runs on its torch backend: its numpy backend imports JAX, which is not installed.

Statistical tolerances: the relative standard error of a sample variance of n weights is
sqrt((kurtosis - 1) / n) (0.8 for a uniform's kurtosis 1.8, 2 for a normal's 3); every
ratio is checked within 4 of those of the value the library's documentation implies.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
import warnings

import numpy as np
import pytest

import initact
from initact.__main__ import main
from initact.audit import Audit

os.environ["KERAS_BACKEND"] = "torch"  # before keras is imported: chosen at import


def _need(module: str):
    try:
        return __import__(module)
    except ImportError:  # pragma: no cover - the extra is part of .[dev]
        reason = f"{module} is not installed (pip install -e '.[frameworks]')"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {reason}", pytrace=False)
        pytest.skip(reason, allow_module_level=True)


torch = _need("torch")
keras = _need("keras")
nn = torch.nn


def _within(value: float, expected: float, n: int, kurtosis: float) -> bool:
    """value within 4 standard errors of a sample variance of n weights of expected."""
    return abs(value / expected - 1) <= 4 * math.sqrt((kurtosis - 1) / n)


# --------------------------------------------------------------------------- PyTorch


def test_pytorch_default_linear_is_a_sixth_of_he_in_front_of_relu():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(784, 300), nn.ReLU(), nn.Linear(300, 100), nn.ReLU())
    result = initact.audit(model)
    assert len(result.rows) == 2 and len(result.flagged) == 2
    for row in result.rows:
        # PyTorch's docs: W ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)), variance 1/(3 fan_in);
        # Table 11-1's He asks for 2/fan_in: a ratio of 1/6.
        n = math.prod(row.kernel_shape)
        assert _within(row.ratio, 1 / 6, n, kurtosis=1.8), row.ratio
        assert row.activation == "ReLU()" and row.table_row == "He" and row.mode == "fan_in"
        assert row.distribution == "uniform"
        assert row.verdict.startswith("too small") and "kaiming_normal_" in row.verdict
        assert row.layout == "(out, in)"


def test_kaiming_normal_passes_and_the_signal_keeps_its_variance():
    torch.manual_seed(0)
    layers = [m for _ in range(6) for m in (nn.Linear(256, 256, bias=False), nn.ReLU())]
    model = nn.Sequential(*layers)
    for m in model:
        if isinstance(m, nn.Linear):
            nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
    result = initact.audit(model)
    assert result.flagged == ()
    n = 256 * 256
    for row in result.rows:
        assert _within(row.ratio, 1.0, n, kurtosis=3.0)
        assert row.distribution == "normal"  # PyTorch's normal is not truncated
    # He on ReLU preserves the variance (chapter 3): the first layer's 2 (Var[W] fan_in E[x^2]
    # with E[x^2] = 1) at every layer, up to the sampling error of six kernels.
    assert np.allclose(result.signal_variance, 2.0, rtol=6 * 4 * math.sqrt(2 / n))
    assert np.allclose(result.signal_variance_recommended, 2.0)


def test_the_default_init_shrinks_the_signal_by_six_per_relu_layer():
    torch.manual_seed(0)
    model = nn.Sequential(
        *[m for _ in range(5) for m in (nn.Linear(512, 512, bias=False), nn.ReLU())]
    )
    q = initact.audit(model).signal_variance
    ratios = q[1:] / q[:-1]  # each layer: Var[W] fan_in E[relu(z)^2] / q = (1/3) (1/2)
    assert np.allclose(ratios, 1 / 6, rtol=4 * math.sqrt(0.8 / 512**2) * 2)


def test_the_biases_keep_the_mean_field_signal_from_vanishing():
    # PyTorch's default biases, U(+-1/sqrt(fan_in)): mean square 1/(3 fan_in) per layer,
    # which the map adds to each layer's pre-activation variance.
    torch.manual_seed(0)
    model = nn.Sequential(*[m for _ in range(30) for m in (nn.Linear(100, 100), nn.ReLU())])
    X = torch.randn(2000, 100)
    rows = initact.audit(model, X.numpy()).rows
    for row, module in zip(rows, model[::2], strict=True):
        assert row.bias_second_moment == pytest.approx(
            float((module.bias.detach().double() ** 2).mean())
        )
    # The fixed point of q = q / 6 + B is 6 B / 5; it is reached long before layer 30.
    b = rows[-1].bias_second_moment
    assert rows[-1].signal_variance == pytest.approx(
        rows[-1].weight_variance * 100 * 0.5 * rows[-2].signal_variance + b
    )
    assert 1 / 3 / 100 / 3 < rows[-1].signal_variance < 3 / 100


@pytest.mark.parametrize(
    "make",
    [
        lambda: nn.Linear(7, 5),
        lambda: nn.Conv1d(4, 6, 3),
        lambda: nn.Conv2d(3, 8, (3, 5)),
        lambda: nn.Conv3d(2, 4, (2, 3, 3)),
        lambda: nn.Conv2d(8, 8, 3, groups=4),
    ],
    ids=["Linear", "Conv1d", "Conv2d", "Conv3d", "Conv2d-groups"],
)
def test_fans_match_pytorch(make):
    module = make()
    row = initact.audit(nn.Sequential(module)).rows[0]
    expected = nn.init._calculate_fan_in_and_fan_out(module.weight)
    assert (row.fan_in, row.fan_out) == expected


def test_activations_are_read_with_their_parameters():
    torch.manual_seed(0)
    acts = [
        nn.LeakyReLU(0.2),
        nn.PReLU(),
        nn.ELU(alpha=0.5),
        nn.SELU(),
        nn.GELU(approximate="tanh"),
        nn.SiLU(),
        nn.Tanh(),
        nn.Sigmoid(),
        nn.Softmax(dim=-1),
    ]
    model = nn.Sequential(*[m for a in acts for m in (nn.Linear(8, 8), a)])
    rows = initact.audit(model).rows
    assert [r.activation for r in rows] == [
        "LeakyReLU(alpha=0.2)",
        "PReLU(alpha=0.25)",  # PyTorch's initial slope
        "ELU(alpha=0.5)",
        "SELU()",
        "GELU(approximate='tanh')",
        "Swish(beta=1.0)",
        "Tanh()",
        "Sigmoid()",
        "softmax",
    ]
    assert [r.table_row for r in rows] == ["He"] * 3 + ["LeCun"] + ["He"] * 2 + ["Glorot"] * 3
    # He et al.: 2 / (1 + a^2) for a leaky slope a.
    assert rows[0].recommended_scale == pytest.approx(2 / 1.04)
    assert rows[1].recommended_scale == pytest.approx(2 / (1 + 0.25**2))


class FunctionalNet(nn.Module):
    """Activations called as functions in forward(): the module tree does not show them."""

    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(2, 64)
        self.fc2 = nn.Linear(64, 64)
        self.out = nn.Linear(64, 1)

    def forward(self, x):
        return self.out(torch.relu(self.fc2(torch.relu(self.fc1(x)))))


def test_functional_activations_need_the_mapping():
    torch.manual_seed(0)
    model = FunctionalNet()
    blind = initact.audit(model)
    assert [r.activation for r in blind.rows] == ["Identity()"] * 3
    told = initact.audit(model, activations={"fc1": "relu", "fc2": "relu"})
    assert [r.activation for r in told.rows] == ["ReLU()", "ReLU()", "Identity()"]
    assert [r.table_row for r in told.rows] == ["He", "He", "Glorot"]
    with pytest.raises(ValueError, match=r"fc3 .*did you mean.*its layers are: fc1, fc2, out"):
        initact.audit(model, activations={"fc3": "relu"})


def _train_into_dead_units(seed: int) -> tuple[nn.Module, torch.Tensor]:
    """A ReLU MLP trained with a learning rate too large: many units die."""
    torch.manual_seed(seed)
    X = torch.randn(512, 2, dtype=torch.float64)
    y = (X[:, :1] * X[:, 1:]).sin()
    model = nn.Sequential(
        nn.Linear(2, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1)
    ).double()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    for _ in range(30):
        optimizer.zero_grad()
        loss = ((model(X) - y) ** 2).mean()
        loss.backward()
        optimizer.step()
    return model, X


def test_dead_units_of_a_trained_model_match_a_count_made_with_forward_hooks():
    model, X = _train_into_dead_units(seed=0)
    counts = []

    def hook(_module, _inputs, output):
        counts.append(int((output == 0).all(dim=0).sum()))  # 0 on every row of X

    handles = [m.register_forward_hook(hook) for m in model if isinstance(m, nn.ReLU)]
    with torch.no_grad():
        model(X)
    for h in handles:
        h.remove()
    result = initact.audit(model, X.numpy())
    found = [round(r.dead_fraction * r.fan_out) for r in result.rows[:2]]
    assert found == counts
    assert sum(counts) > 0, "training was meant to kill units"
    assert result.rows[2].dead_fraction is None  # linear output: no dead units to speak of
    assert model.training  # the audit ran it in eval mode and put the mode back


def test_dead_units_through_the_mapping_match_hooks_on_the_linear_layers():
    torch.manual_seed(0)
    model = FunctionalNet()
    with torch.no_grad():
        model.fc2.bias[:16] = -50.0  # 16 units of fc2 can never switch on
    X = torch.randn(256, 2)
    outputs = {}
    handles = [
        getattr(model, n).register_forward_hook(lambda m, i, o, n=n: outputs.__setitem__(n, o))
        for n in ("fc1", "fc2")
    ]
    with torch.no_grad():
        model(X)
    for h in handles:
        h.remove()
    expected = [int((outputs[n] <= 0).all(dim=0).sum()) for n in ("fc1", "fc2")]
    result = initact.audit(model, X.numpy(), activations={"fc1": "relu", "fc2": nn.ReLU()})
    assert [round(r.dead_fraction * 64) for r in result.rows[:2]] == expected
    assert expected[1] >= 16


def test_x_pairs_a_shared_activation_module_in_call_order():
    class Shared(nn.Module):
        def __init__(self):
            super().__init__()
            self.act = nn.Tanh()  # registered first, called after each layer
            self.a = nn.Linear(4, 4)
            self.b = nn.Linear(4, 4)

        def forward(self, x):
            return self.act(self.b(self.act(self.a(x))))

    model = Shared()
    assert [r.activation for r in initact.audit(model).rows] == ["Identity()"] * 2
    rows = initact.audit(model, np.ones((3, 4), dtype=np.float32)).rows
    assert [r.activation for r in rows] == ["Tanh()", "Tanh()"]


# --------------------------------------------------------------------------- Keras


def _numpy(variable) -> np.ndarray:
    """A Keras variable on the torch backend as NumPy (keras.ops.convert_to_numpy warns)."""
    return variable.value.detach().cpu().numpy()


def _keras_stack(init: str, depth: int = 10, width: int = 100, activation: str = "relu"):
    keras.utils.set_random_seed(0)
    layers = [keras.Input((width,))]
    layers += [
        keras.layers.Dense(width, activation=activation, kernel_initializer=init)
        for _ in range(depth)
    ]
    return keras.Sequential(layers)


def test_keras_default_glorot_uniform_is_flagged_in_a_deep_relu_stack():
    result = initact.audit(_keras_stack("glorot_uniform"))
    assert len(result.flagged) == 10
    for row in result.rows:
        # Var = 1 / fan_avg = 1/100 on square layers: Var * fan_in = 1, half of He's 2.
        assert _within(row.ratio, 0.5, 100 * 100, kurtosis=1.8)
        assert row.layout == "(in, out)" and row.distribution == "uniform"
        assert "he_normal" in row.verdict
    # Var[W] fan_in = 1 and relu passes half the second moment: q = 1 after the first
    # layer, halved by each of the nine others (each kernel's sampling error: 4 se).
    assert result.signal_variance[-1] == pytest.approx(2.0**-9, rel=4 * 0.009 * math.sqrt(10))


def test_keras_he_normal_passes():
    result = initact.audit(_keras_stack("he_normal"))
    assert result.flagged == ()
    for row in result.rows:
        assert _within(row.ratio, 1.0, 100 * 100, kurtosis=2.3625)
        assert row.distribution == "truncated normal"  # Keras's "normal" is truncated


@pytest.mark.parametrize(
    "layer",
    [
        lambda: keras.layers.Dense(5),
        lambda: keras.layers.Conv1D(6, 3),
        lambda: keras.layers.Conv2D(8, (3, 5)),
        lambda: keras.layers.Conv3D(4, (2, 3, 3)),
    ],
    ids=["Dense", "Conv1D", "Conv2D", "Conv3D"],
)
def test_fans_match_keras(layer):
    from keras.src.initializers.random_initializers import compute_fans

    made = layer()
    shape = {"Dense": (7,), "Conv1D": (9, 4), "Conv2D": (9, 9, 3), "Conv3D": (5, 6, 6, 2)}
    model = keras.Sequential([keras.Input(shape[type(made).__name__]), made])
    row = initact.audit(model).rows[0]
    assert (row.fan_in, row.fan_out) == compute_fans(tuple(made.kernel.shape))
    assert row.kernel_shape == tuple(made.kernel.shape)


def test_keras_activation_layers_and_arguments():
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input((8,)),
            keras.layers.Dense(8),
            keras.layers.LeakyReLU(),  # Keras 3's layer default: 0.3
            keras.layers.Dense(8, activation="leaky_relu"),  # the function's default: 0.2
            keras.layers.Dense(8, activation="selu", kernel_initializer="lecun_normal"),
            keras.layers.Dense(8),
            keras.layers.BatchNormalization(),
            keras.layers.Activation("gelu"),
            keras.layers.Dense(8),
            keras.layers.PReLU(),  # Keras starts its slopes at 0
            keras.layers.Dense(3, activation="softmax"),
        ]
    )
    rows = initact.audit(model).rows
    assert [r.activation for r in rows] == [
        "LeakyReLU(alpha=0.3)",
        "LeakyReLU(alpha=0.2)",
        "SELU()",
        "GELU(approximate='none')",
        "PReLU(alpha=mean 0 of 8)",
        "softmax",
    ]
    assert [r.normalized for r in rows] == [False, False, False, True, False, False]
    assert rows[2].table_row == "LeCun"


def test_keras_dead_and_saturated_units_with_x():
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input((4,)),
            keras.layers.Dense(32, activation="tanh", kernel_initializer="random_normal"),
            keras.layers.Dense(32, kernel_initializer=keras.initializers.RandomNormal(stddev=3.0)),
            keras.layers.Activation("tanh"),
            keras.layers.Dense(16, activation="relu", bias_initializer="zeros"),
        ]
    )
    last = model.layers[-1]
    bias = _numpy(last.bias).copy()
    bias[:5] = -1e3  # five units that never switch on
    last.bias.assign(bias)
    X = np.random.default_rng(0).standard_normal((200, 4)).astype(np.float32)
    rows = initact.audit(model, X).rows
    h1 = np.tanh(X @ _numpy(model.layers[0].kernel))
    h2 = np.tanh(h1 @ _numpy(model.layers[1].kernel))
    assert rows[1].saturated_fraction == pytest.approx(np.mean(np.abs(h2) > 0.97), abs=0.01)
    assert rows[1].saturated_fraction > 0.1  # std 3 weights: many tanh pinned at +-1
    assert rows[0].saturated_fraction < rows[1].saturated_fraction
    assert rows[2].dead_fraction >= 5 / 16
    assert rows[0].dead_fraction is None
    assert rows[1].activation_std == pytest.approx(np.std(h2), rel=1e-3)


# --------------------------------------------------------------------------- arrays and CLI


def test_arrays_do_not_import_torch_or_keras():
    code = (
        "import sys, numpy as np, initact\n"
        "initact.audit([(np.ones((3, 2)), 'relu')])\n"
        "print(sorted(m for m in ('torch', 'keras') if m in sys.modules))"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.strip() == "[]"


def test_array_layout_is_read_from_the_chain_of_shapes():
    rng = np.random.default_rng(0)
    torch_layout = [(rng.standard_normal((30, 10)), "relu"), (rng.standard_normal((5, 30)), None)]
    result = initact.audit(torch_layout)
    assert [r.layout for r in result.rows] == ["(out, in)"] * 2
    assert [(r.fan_in, r.fan_out) for r in result.rows] == [(10, 30), (30, 5)]
    assert "chain only that way" in result.notes[0]
    keras_layout = [(rng.standard_normal((10, 30)), "relu"), (rng.standard_normal((30, 5)), None)]
    assert [r.fan_in for r in initact.audit(keras_layout).rows] == [10, 30]
    square = [(np.eye(4), "relu")]
    assert initact.audit(square, layout="torch").rows[0].layout == "(out, in)"


@pytest.mark.parametrize(
    ("model", "kwargs", "error", "match"),
    [
        ("relu", {}, TypeError, "model must be a PyTorch nn.Module"),
        ([np.ones(3)], {}, TypeError, r"model\[0\] must be a \(kernel array, activation\)"),
        ([(np.ones(3), "relu")], {}, ValueError, "at least 2 dimensions"),
        ([(np.ones((2, 2)), "relu")], {"layout": "jax"}, ValueError, "layout must be"),
        ([(np.ones((2, 2)), 3)], {}, TypeError, "activation must be an activation name"),
        ([], {}, ValueError, "no weight layer"),
        ([(np.ones((2, 2)), "relu")], {"X": np.ones(2)}, ValueError, "X must be a batch"),
    ],
)
def test_bad_input_is_named(model, kwargs, error, match):
    with pytest.raises(error, match=match):
        initact.audit(model, **kwargs)


def test_reprs_show_every_row():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 4), nn.Softmax(-1))
    result = initact.audit(model, np.ones((2, 16), dtype=np.float32))
    assert isinstance(result, Audit)
    text, page = str(result), result._repr_html_()
    for row in result.rows:
        assert row.verdict in text and row.verdict.replace('"', "&quot;") in page
    assert text.count("\n") > len(result.rows)
    assert page.count("<tr") == len(result.rows) + 1
    assert "dead" in text and "<th>dead</th>" in page


def test_cli_audits_a_saved_torch_module(tmp_path, capsys):
    torch.manual_seed(0)
    path = tmp_path / "model.pt"
    torch.save(nn.Sequential(nn.Linear(20, 30), nn.ReLU(), nn.Linear(30, 2)), path)
    assert main(["audit", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Audit of a PyTorch Sequential")
    assert "too small" in out and 'kaiming_normal_(w, nonlinearity="relu")' in out


def test_cli_audits_a_keras_file_and_takes_activations(tmp_path, capsys):
    path = tmp_path / "model.keras"
    with warnings.catch_warnings():
        # Keras 3.15's torch backend saves through np.array(tensor), which NumPy 2 answers
        # with a DeprecationWarning (no copy= keyword): Keras's, not initact's.
        warnings.filterwarnings("ignore", "__array__ implementation", DeprecationWarning)
        _keras_stack("he_normal", depth=3, width=20).save(path)
    assert main(["audit", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Audit of a Keras Sequential") and "0 of 3 weight layers" in out
    torch.save(FunctionalNet(), tmp_path / "f.pt")
    assert main(["audit", str(tmp_path / "f.pt"), "--activation", "fc1=relu"]) == 0
    assert "ReLU()" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.pt"], "is not a file"),
        (["STATE", "--activation", "fc1"], "LAYER=NAME"),
        (["STATE"], "not a module"),
    ],
)
def test_cli_errors_exit_2(tmp_path, capsys, args, message):
    state = tmp_path / "state.pt"
    torch.save(nn.Linear(2, 2).state_dict(), state)
    args = [str(state) if a == "STATE" else a for a in args]
    with pytest.raises(SystemExit) as exit_info:
        main(["audit", *args])
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_an_unknown_activation_name_is_shown_with_a_suggestion_not_judged():
    from initact import he_normal

    row = initact.audit([(he_normal((30, 20), rng=0), "reul")]).rows[0]
    assert row.ratio is None and row.ok
    assert "not judged" in row.verdict and "did you mean 'relu'?" in row.verdict
