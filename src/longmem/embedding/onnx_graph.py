"""Builds an ONNX graph of MiniLM (a 6-layer BERT encoder with mean pooling) from its weights.

Why build it here: the packaged model ships only safetensors, and exporting ONNX the usual way
needs torch (1.6 GB). A BERT encoder is a dozen standard ONNX ops per layer, and onnxruntime
fuses them into its own attention / GELU / layer-norm kernels. Measured here: numpy 5.7 ms per
query and 111 texts/s in batches; this graph on onnxruntime is several times faster.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

HIDDEN = 384
HEADS = 12
LAYERS = 6
EPS = 1e-12
OPSET = 17


def build_minilm_graph(weights: Mapping[str, npt.NDArray[np.float32]]) -> bytes:
    """Serialised ModelProto: inputs `input_ids` [B, L] int64, `position_ids` [L] int64,
    `mask_bias` [B, 1, 1, L] float32 (0 or -1e9), `mask` [B, L, 1] float32; output
    `pooled` [B, 384], the mean of token states over the mask (not yet normalised)."""
    from onnx import TensorProto, helper, numpy_helper

    inits: list[object] = []
    nodes: list[object] = []

    def const(name: str, array: npt.NDArray[np.generic]) -> str:
        # ascontiguousarray would turn 0-d scalars into 1-d arrays and break Gather.
        inits.append(numpy_helper.from_array(np.array(array, order="C"), name))
        return name

    def node(op: str, inputs: list[str], output: str, **attrs: Any) -> str:
        nodes.append(helper.make_node(op, inputs, [output], **attrs))
        return output

    def layer_norm(x: str, prefix: str, out: str) -> str:
        return node(
            "LayerNormalization",
            [
                x,
                const(prefix + ".weight", weights[prefix + ".weight"]),
                const(prefix + ".bias", weights[prefix + ".bias"]),
            ],
            out,
            axis=-1,
            epsilon=EPS,
        )

    def linear(x: str, prefix: str, out: str) -> str:
        w = const(prefix + ".weight", weights[prefix + ".weight"].T)
        product = node("MatMul", [x, w], out + ".mm")
        return node("Add", [product, const(prefix + ".bias", weights[prefix + ".bias"])], out)

    head = HIDDEN // HEADS
    words = node(
        "Gather",
        [const("word", weights["embeddings.word_embeddings.weight"]), "input_ids"],
        "words",
    )
    positions = node(
        "Gather",
        [const("pos", weights["embeddings.position_embeddings.weight"]), "position_ids"],
        "positions",
    )
    summed = node("Add", [words, positions], "emb.sum")
    typed = node(
        "Add",
        [summed, const("type0", weights["embeddings.token_type_embeddings.weight"][0])],
        "emb.typed",
    )
    x = layer_norm(typed, "embeddings.LayerNorm", "emb.out")

    split_shape = const("shape.split", np.array([0, 0, 3, HEADS, head], dtype=np.int64))
    merge_shape = const("shape.merge", np.array([0, 0, HIDDEN], dtype=np.int64))
    scale = const("scale", np.array(1.0 / np.sqrt(head), dtype=np.float32))
    inv_sqrt2 = const("inv_sqrt2", np.array(1.0 / np.sqrt(2.0), dtype=np.float32))
    half = const("half", np.array(0.5, dtype=np.float32))
    one = const("one", np.array(1.0, dtype=np.float32))
    picks = [const(f"idx{i}", np.array(i, dtype=np.int64)) for i in range(3)]

    for i in range(LAYERS):
        p = f"encoder.layer.{i}."
        qkv_w = np.concatenate(
            [weights[p + f"attention.self.{n}.weight"] for n in ("query", "key", "value")]
        ).T
        qkv_b = np.concatenate(
            [weights[p + f"attention.self.{n}.bias"] for n in ("query", "key", "value")]
        )
        qkv = node(
            "Add",
            [
                node("MatMul", [x, const(p + "qkv.w", qkv_w)], p + "qkv.mm"),
                const(p + "qkv.b", qkv_b),
            ],
            p + "qkv",
        )
        heads = node(
            "Transpose",
            [node("Reshape", [qkv, split_shape], p + "qkv.r")],
            p + "qkv.t",
            perm=[2, 0, 3, 1, 4],
        )
        q, k, v = (node("Gather", [heads, picks[j]], p + f"h{j}", axis=0) for j in range(3))
        k_t = node("Transpose", [k], p + "k.t", perm=[0, 1, 3, 2])
        scores = node(
            "Add",
            [node("Mul", [node("MatMul", [q, k_t], p + "qk"), scale], p + "qk.s"), "mask_bias"],
            p + "scores",
        )
        probs = node("Softmax", [scores], p + "probs", axis=-1)
        ctx = node("MatMul", [probs, v], p + "ctx")
        ctx = node(
            "Reshape",
            [node("Transpose", [ctx], p + "ctx.t", perm=[0, 2, 1, 3]), merge_shape],
            p + "ctx.m",
        )
        attn = linear(ctx, p + "attention.output.dense", p + "attn")
        x = layer_norm(
            node("Add", [attn, x], p + "res1"), p + "attention.output.LayerNorm", p + "ln1"
        )
        h = linear(x, p + "intermediate.dense", p + "inter")
        erf = node("Erf", [node("Mul", [h, inv_sqrt2], p + "g.s")], p + "g.erf")
        gelu = node(
            "Mul",
            [node("Mul", [h, half], p + "g.h"), node("Add", [erf, one], p + "g.1")],
            p + "gelu",
        )
        out = linear(gelu, p + "output.dense", p + "ffn")
        x = layer_norm(node("Add", [out, x], p + "res2"), p + "output.LayerNorm", p + "ln2")

    axis1 = const("axis1", np.array([1], dtype=np.int64))
    masked = node("Mul", [x, "mask"], "masked")
    total = node("ReduceSum", [masked, axis1], "pool.sum", keepdims=0)
    count = node("ReduceSum", ["mask", axis1], "pool.count", keepdims=0)
    node("Div", [total, count], "pooled")

    f32 = TensorProto.FLOAT
    graph = helper.make_graph(
        nodes,  # type: ignore[arg-type]
        "minilm",
        [
            helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["B", "L"]),
            helper.make_tensor_value_info("position_ids", TensorProto.INT64, ["L"]),
            helper.make_tensor_value_info("mask_bias", f32, ["B", 1, 1, "L"]),
            helper.make_tensor_value_info("mask", f32, ["B", "L", 1]),
        ],
        [helper.make_tensor_value_info("pooled", f32, ["B", HIDDEN])],
        initializer=inits,  # type: ignore[arg-type]
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = 8
    return bytes(model.SerializeToString())


def quantize_int8(graph: bytes) -> bytes:
    """The graph with its matrix products in int8 (weights quantised once, activations per
    batch at run time: onnxruntime's dynamic quantisation). On REALTALK, against float32:
    import 1.6x as fast, search p50 12.1 -> 9.9 ms, recall@10 0.612 -> 0.607, R@5 0.537 ->
    0.524; the vectors' cosine to float32's is 0.84-0.98 (median 0.95, on the reference
    sentences of tests/fixtures)."""
    import logging
    import tempfile
    from pathlib import Path

    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    # It advises "pre-processing" on the root logger, which is the application's.
    logging.disable(logging.WARNING)
    try:
        with tempfile.TemporaryDirectory(prefix="longmem-int8-") as tmp:
            out = Path(tmp) / "int8.onnx"
            quantize_dynamic(onnx.load_from_string(graph), str(out), weight_type=QuantType.QInt8)
            return out.read_bytes()
    finally:
        logging.disable(logging.NOTSET)
