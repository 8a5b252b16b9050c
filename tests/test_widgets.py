"""Tests of initact.widgets, the explorers' wiring, without a browser.

ipywidgets runs headless: widgets are created and their values set in plain
Python, and the explorer redraws as it would in JupyterLab. What the explorers
compute is tested in tests/test_experiments.py; here, that a control reaches the
experiment, that the figure and its PNG follow, and the controls' documented ranges.
"""

import base64
import subprocess
import sys

import matplotlib
import numpy as np
import pytest

import initact.experiments as experiments
from initact.activations import ACTIVATIONS
from initact.experiments import DEPTH_INITIALIZERS, initializer_scale
from initact.widgets import DepthExplorer, DyingReluExplorer, depth_explorer, dying_relu_explorer

matplotlib.use("Agg")


def png_of(explorer) -> bytes:
    """The PNG the explorer shows in its Output widget."""
    (output,) = explorer.output.outputs
    assert output["output_type"] == "display_data"
    return base64.b64decode(output["data"]["image/png"])


def measured_lines(fig):
    """The right panel's solid lines (measured), not the dashed theory lines."""
    right = fig.axes[1]
    return [
        line for line in right.get_lines() if line.get_linestyle() == "-" and line.get_xdata().size
    ]


def theory_lines(fig):
    right = fig.axes[1]
    return [
        line for line in right.get_lines() if line.get_linestyle() == "--" and line.get_xdata().size
    ]


# --------------------------------------------------------------------------- import


def test_importing_widgets_needs_numpy_only():
    code = (
        "import sys, initact.widgets\n"
        "heavy = ('matplotlib', 'ipywidgets', 'IPython', 'sklearn')\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & set(heavy)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


# --------------------------------------------------------------------------- depth: explorer


def test_explorer_controls_are_described_by_name():
    explorer = depth_explorer(depth=3, width=10)
    assert isinstance(explorer, DepthExplorer)  # the documented return type
    for name, control in explorer.controls.items():
        assert control.description == name
    assert tuple(explorer.controls["initializer"].options) == DEPTH_INITIALIZERS
    assert tuple(explorer.controls["activation"].options) == ACTIVATIONS


def test_moving_the_depth_slider_redraws():
    explorer = depth_explorer(depth=10, width=20)
    before_png, before_title = png_of(explorer), explorer.figure.get_suptitle()
    explorer.controls["depth"].value = 20
    assert [line.get_xdata().size for line in measured_lines(explorer.figure)] == [20, 20]
    assert explorer.experiment.depth == 20
    assert explorer.figure.get_suptitle() != before_title
    assert "20 layers" in explorer.figure.get_suptitle()
    assert png_of(explorer) != before_png
    assert png_of(explorer).startswith(b"\x89PNG")
    assert explorer.status.value.startswith("layer 20:")


def test_choosing_a_preset_sets_its_scale_and_redraws_once(monkeypatch):
    explorer = depth_explorer(depth=4, width=20)
    calls = []
    real = experiments.depth_experiment
    monkeypatch.setattr(
        experiments, "depth_experiment", lambda *a, **k: calls.append(a) or real(*a, **k)
    )
    explorer.controls["initializer"].value = "standard_uniform"
    assert explorer.controls["scale"].value == pytest.approx(1 / 3)
    assert len(calls) == 1
    init = explorer.experiment.run.initializer
    assert (init.scale, init.mode, init.distribution) == pytest.approx((1 / 3, "fan_in", "uniform"))


def test_the_scale_slider_rescales_the_preset():
    explorer = depth_explorer("relu", "he_uniform", depth=4, width=20)
    explorer.controls["scale"].value = 1.0
    init = explorer.experiment.run.initializer
    assert (init.scale, init.mode, init.distribution) == (1.0, "fan_in", "uniform")
    # Glorot's scale on ReLU: the theory halves q at every layer.
    np.testing.assert_allclose(explorer.experiment.theory_q, 0.5 ** np.arange(4))


def test_the_presets_off_table_11_1_run_through_the_widgets():
    explorer = depth_explorer("tanh", depth=2, width=10, n_samples=10)
    for preset in ("orthogonal", "standard_uniform"):
        explorer.controls["initializer"].value = preset
        assert explorer.error is None, explorer.error
        assert explorer.experiment.scale == pytest.approx(initializer_scale(preset))


def test_extreme_settings_stay_finite_and_quiet():
    # The largest scale and depth on the identity: q = 8^100, still finite in float64.
    explorer = depth_explorer("identity", "lecun_normal", scale=8.0, depth=100, width=10)
    assert explorer.error is None
    assert np.all(np.isfinite(explorer.experiment.measured_q))
    np.testing.assert_allclose(explorer.experiment.theory_q[-1], 8.0**100, rtol=1e-9)
    explorer.controls["scale"].value = 0.125
    assert explorer.error is None


def test_an_error_in_a_callback_is_shown_not_lost(monkeypatch):
    explorer = depth_explorer(depth=3, width=10)

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(experiments, "depth_experiment", broken)
    explorer.controls["depth"].value = 4
    assert explorer.error == "RuntimeError: boom"
    assert "boom" in explorer.status.value


def test_explorer_text_repr_is_short_and_deterministic():
    a = depth_explorer(depth=5, width=20)
    b = depth_explorer(depth=5, width=20)
    bundle_a, bundle_b = a._repr_mimebundle_(), b._repr_mimebundle_()
    expected = (
        "DepthExplorer(activation='relu', initializer='he_normal', scale=2, depth=5, "
        "width=20, seed=0)"
    )
    assert bundle_a["text/plain"] == bundle_b["text/plain"] == expected
    view = bundle_a["application/vnd.jupyter.widget-view+json"]
    assert view["model_id"] == a.widget.model_id != b.widget.model_id


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"depth": 500}, "depth"),
        ({"width": 5}, "width"),
        ({"scale": 100.0}, "scale"),
        ({"activation": "softmax"}, "activation"),
        ({"initializer": "zeros"}, "initializer"),
        ({"n_samples": 0}, "n_samples"),
    ],
)
def test_explorer_refuses_values_its_controls_cannot_hold(kwargs, match):
    with pytest.raises(ValueError, match=match):
        depth_explorer(**kwargs)


# --------------------------------------------------------------------------- dying ReLU


def test_dying_relu_explorer_refuses_a_rate_off_its_slider():
    with pytest.raises(ValueError, match="lr"):
        dying_relu_explorer(lr=100.0)


def test_dying_relu_explorer_caches_each_learning_rate(monkeypatch):
    calls = []
    real = experiments.dying_relu_experiment

    def counting(lr, activation, **kwargs):
        calls.append((activation, lr))
        return real(lr, activation, **kwargs)

    monkeypatch.setattr(experiments, "dying_relu_experiment", counting)
    explorer = dying_relu_explorer(lr=0.1, epochs=1)
    assert isinstance(explorer, DyingReluExplorer)  # the documented return type
    assert explorer.controls["lr"].description == "lr"
    first_png, first_title = png_of(explorer), explorer.figure.get_suptitle()
    explorer.controls["lr"].value = 10**0.2
    assert "lr=1.58" in explorer.figure.get_suptitle()
    assert png_of(explorer) != first_png
    explorer.controls["lr"].value = 0.1  # back: no training, the same picture
    assert len(calls) == 2
    assert png_of(explorer) == first_png
    assert explorer.figure.get_suptitle() == first_title
    explorer.controls["activation"].value = "leaky_relu"
    assert calls[-1] == ("leaky_relu", 0.1)
    assert len(explorer.cache) == 3
    assert repr(explorer) == "DyingReluExplorer(lr=0.1, activation='leaky_relu', epochs=1, seed=0)"


# --------------------------------------------------------------------------- issue 11


def test_depth_explorer_draws_forward_and_backward_panels():
    explorer = depth_explorer(depth=5, width=30)
    titles = [ax.get_title() for ax in explorer.figure.axes]
    assert titles == ["activations by layer", "forward: signal size", "backward: gradient size"]
    before = png_of(explorer)
    explorer.controls["scale"].value = 4.0
    assert png_of(explorer) != before


def test_training_explorer_counts_epochs_and_redraws_after_each():
    from initact.widgets import training_explorer

    explorer = training_explorer("relu", "he_normal", depth=2, width=16, epochs=2)
    progress, pictures = [], []
    explorer.progress.observe(lambda change: progress.append(change.new), names="value")
    explorer.output.observe(lambda change: pictures.append(change.new), names="outputs")
    explorer.controls["epochs"].value = 3
    assert progress == []  # moving a control does not train
    explorer.button.click()
    assert progress == [0, 1, 2, 3]  # 0 is the reset before training starts again
    assert len(pictures) == 4  # epochs 0..3 while training (the final one is epoch 3's)
    assert explorer.experiment.epochs.tolist() == [0, 1, 2, 3]
    assert not explorer.button.disabled
    explorer.controls["initializer"].value = "glorot_uniform"
    assert explorer.controls["scale"].value == 1.0


def test_static_explorer_links_every_control_to_its_stacks_and_embeds_them():
    from initact.widgets import static_explorer

    explorer = static_explorer("training", small=True)
    assert explorer.n_frames == 2 * 2 * 2  # activation x initializer x epochs 0, 1
    pngs = [bytes(image.value) for image in explorer.images.values()]
    assert all(p.startswith(b"\x89PNG") for p in pngs)
    assert len(set(pngs)) == len(pngs), "two settings show the same picture"
    first = explorer.visible_image()
    shown = explorer.show(activation="tanh", epoch=1)
    assert shown is explorer.images["tanh", "glorot_uniform", 1] and shown is not first
    state, view = explorer.embed_state()
    models = state["state"]
    assert view["model_id"] == explorer.widget.model_id
    links = [m for m in models.values() if m["model_name"] == "LinkModel"]
    # one link per stack (1 + 2 + 4 = 7) and the Play button's
    assert len(links) == len(explorer.stacks) + 1 == 8
    assert sum(m["model_name"] == "ImageModel" for m in models.values()) == explorer.n_frames


def test_a_redraw_into_the_reused_figure_looks_like_a_fresh_one():
    # The explorer keeps its axes between moves (speed); nothing of the last picture stays,
    # not even after a run whose signal exploded.
    from initact.widgets import _new_figure, _png

    reused = _new_figure()
    experiments.depth_experiment("selu", "lecun_normal", 8.0, depth=40, width=20).plot(reused)
    experiments.depth_experiment("tanh", "he_normal", 0.2, depth=12, width=20).plot(reused)
    fresh = _new_figure()
    experiments.depth_experiment("tanh", "he_normal", 0.2, depth=12, width=20).plot(fresh)
    assert _png(reused) == _png(fresh)
