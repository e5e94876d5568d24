#!/usr/bin/env python3
"""The reference PyTorch models, FashionDNN and FashionCNN (docs/models.md), and their training loop, timed.

Run by `fashion-spark bench` on the same machine, data and number of images as the DL4J runs; prints one JSON line
on stdout (progress goes to stderr). Differences from the reference code, each to make the comparison fair:
  * the idx files are read directly (gzip'd or raw) instead of through torchvision's download;
  * each epoch is shuffled (the reference DataLoader does not shuffle; the DL4J runs do);
  * the test set is scored in inference mode (model.eval(), torch.no_grad()): the reference code scores it in
    training mode, with dropout on and batch norm using the test batch's statistics;
  * torch.set_num_threads(--threads), the cores the JVM uses.
The models, loss (CrossEntropyLoss), optimiser (Adam, lr 0.001) and batch size (100) are the reference code's.
Usage: pytorch_reference.py --data DIR --model cnn [--train-limit N] [--epochs E] [--threads T] ...
       pytorch_reference.py --info   (versions, BLAS in use, matmul GFLOP/s; no data needed)
"""
import argparse
import gzip
import json
import os
import platform
import re
import resource
import sys
import time
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F


class FashionDNN(nn.Module):
    def __init__(self):
        super(FashionDNN, self).__init__()
        self.fc1 = nn.Linear(in_features=784, out_features=256)
        self.drop = nn.Dropout(0.25)
        self.fc2 = nn.Linear(in_features=256, out_features=128)
        self.fc3 = nn.Linear(in_features=128, out_features=10)

    def forward(self, input_data):
        out = input_data.view(-1, 784)
        out = F.relu(self.fc1(out))
        out = self.drop(out)
        out = F.relu(self.fc2(out))
        out = self.fc3(out)
        return out


class FashionCNN(nn.Module):
    def __init__(self):
        super(FashionCNN, self).__init__()
        self.layer1 = nn.Sequential(
            nn.Conv2d(in_channels=1, out_channels=32, kernel_size=3, padding=1),
            nn.BatchNorm2d(32),
            nn.ReLU(),
            nn.MaxPool2d(kernel_size=2, stride=2)
        )
        self.layer2 = nn.Sequential(
            nn.Conv2d(in_channels=32, out_channels=64, kernel_size=3),
            nn.BatchNorm2d(64),
            nn.ReLU(),
            nn.MaxPool2d(2)
        )
        self.fc1 = nn.Linear(in_features=64 * 6 * 6, out_features=600)
        # As in the reference model: Dropout2d on a flat (N, 600) tensor, which drops single features like Dropout.
        self.drop = nn.Dropout2d(0.25)
        self.fc2 = nn.Linear(in_features=600, out_features=120)
        self.fc3 = nn.Linear(in_features=120, out_features=10)

    def forward(self, x):
        out = self.layer1(x)
        out = self.layer2(out)
        out = out.view(out.size(0), -1)
        out = self.fc1(out)
        out = self.drop(out)
        out = self.fc2(out)
        out = self.fc3(out)
        return out


MODELS = {"dnn": FashionDNN, "cnn": FashionCNN}
EVAL_BATCH = 500


def log(msg):
    print("pytorch_reference: " + msg, file=sys.stderr, flush=True)


def read_idx(directory, stem):
    """An idx file as (dims, bytes); accepts STEM.gz or STEM. torch.frombuffer, not numpy: Debian's torch 1.13 is
    built against numpy 1.x and a numpy 2 on the path breaks torch.from_numpy."""
    for name, opener in ((stem + ".gz", gzip.open), (stem, open)):
        path = os.path.join(directory, name)
        if os.path.exists(path):
            with opener(path, "rb") as f:
                raw = f.read()
            ndim = raw[3]
            dims = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
            return dims, raw[4 + 4 * ndim:]
    raise SystemExit("pytorch_reference: no %s(.gz) in %s" % (stem, directory))


def load_split(directory, prefix, limit):
    dims, pixels = read_idx(directory, prefix + "-images-idx3-ubyte")
    _, labels = read_idx(directory, prefix + "-labels-idx1-ubyte")
    n = dims[0] if limit <= 0 else min(limit, dims[0])
    x = torch.frombuffer(bytearray(pixels[:n * 784]), dtype=torch.uint8).view(n, 1, 28, 28).float().div_(255.0)
    y = torch.frombuffer(bytearray(labels[:n]), dtype=torch.uint8).long()
    return x, y


def evaluate(model, x, y):
    model.eval()
    correct = 0
    loss = 0.0
    with torch.no_grad():
        for i in range(0, len(y), EVAL_BATCH):
            out = model(x[i:i + EVAL_BATCH])
            loss += F.cross_entropy(out, y[i:i + EVAL_BATCH], reduction="sum").item()
            correct += (out.argmax(1) == y[i:i + EVAL_BATCH]).sum().item()
    model.train()
    return correct / len(y), loss / len(y)


def peak_rss_bytes():
    """VmHWM of this process. Not getrusage's ru_maxrss: Linux carries that over exec from the parent (the JVM)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def blas_libraries():
    """The BLAS/LAPACK/oneDNN libraries this process has loaded, from /proc/self/maps."""
    try:
        with open("/proc/self/maps") as f:
            maps = f.read()
    except OSError:
        return []
    found = set(re.findall(r"/\S*(?:blas|lapack|mkl|dnnl)\S*", maps))
    return sorted(os.path.basename(p) for p in found)


def matmul_gflops(n=2048, reps=5):
    a = torch.rand(n, n)
    b = torch.rand(n, n)
    for _ in range(2):
        torch.mm(a, b)
    best = float("inf")
    for _ in range(reps):
        t0 = time.perf_counter()
        torch.mm(a, b)
        best = min(best, time.perf_counter() - t0)
    return 2.0 * n ** 3 / best / 1e9


def info(threads):
    torch.set_num_threads(threads)
    gflops = matmul_gflops()
    libs = blas_libraries()
    return {
        "python": platform.python_version(),
        "executable": sys.executable,
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "blas": libs,
        "openblas": any("openblas" in lib for lib in libs),
        "mkldnn": bool(torch.backends.mkldnn.is_available()),
        "matmul_gflops": gflops,
    }


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--info", action="store_true")
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--model", choices=sorted(MODELS), default="cnn")
    p.add_argument("--train-limit", type=int, default=0, help="first N training images (0: all)")
    p.add_argument("--test-limit", type=int, default=0, help="first N test images (0: all)")
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--batch-size", type=int, default=100)
    p.add_argument("--learning-rate", type=float, default=0.001)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--no-shuffle", action="store_true", help="the reference code's order (no per-epoch shuffle)")
    p.add_argument("--eval-every-images", type=int, default=0,
                   help="test every this many trained images (0: at the end only)")
    a = p.parse_args()
    if a.info:
        print(json.dumps(info(a.threads)), flush=True)
        return

    # Dropout2d on a 2-D input warns in torch >= 1.12; the reference model uses it so.
    warnings.filterwarnings("ignore", message=".*dropout2d.*", category=UserWarning)
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    x_train, y_train = load_split(a.data, "train", a.train_limit)
    x_test, y_test = load_split(a.data, "t10k", a.test_limit)
    model = MODELS[a.model]()
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=a.learning_rate)
    model.train()
    steps = len(y_train) // a.batch_size
    generator = torch.Generator().manual_seed(a.seed)
    log("%s: %d epochs of %d minibatches of %d, %d threads, torch %s" % (
        a.model, a.epochs, steps, a.batch_size, torch.get_num_threads(), torch.__version__))

    train_seconds = 0.0
    eval_seconds = 0.0
    images = 0
    next_eval = a.eval_every_images if a.eval_every_images > 0 else None
    evaluations = []
    for epoch in range(a.epochs):
        order = torch.arange(len(y_train)) if a.no_shuffle else torch.randperm(len(y_train), generator=generator)
        t0 = time.perf_counter()
        for s in range(steps):
            idx = order[s * a.batch_size:(s + 1) * a.batch_size]
            images_batch = x_train[idx]
            labels = y_train[idx]
            outputs = model(images_batch)
            loss = criterion(outputs, labels)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            images += a.batch_size
            if next_eval is not None and images >= next_eval:
                train_seconds += time.perf_counter() - t0
                e0 = time.perf_counter()
                acc, _ = evaluate(model, x_test, y_test)
                eval_seconds += time.perf_counter() - e0
                evaluations.append({"images": images, "train_seconds": train_seconds, "accuracy": acc})
                while next_eval <= images:
                    next_eval += a.eval_every_images
                t0 = time.perf_counter()
        train_seconds += time.perf_counter() - t0
        log("epoch %d: %d images, %.1f images/s" % (epoch + 1, images, images / train_seconds))

    e0 = time.perf_counter()
    accuracy, test_loss = evaluate(model, x_test, y_test)
    final_eval_seconds = time.perf_counter() - e0
    result = {
        "model": a.model,
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "batch_size": a.batch_size,
        "images": images,
        "train_seconds": train_seconds,
        "images_per_second": images / train_seconds if train_seconds > 0 else None,
        "accuracy": accuracy,
        "loss": test_loss,
        "eval_seconds": eval_seconds + final_eval_seconds,
        "evaluations": evaluations,
        "peak_rss_bytes": peak_rss_bytes(),
        "blas": blas_libraries(),
        "openblas": any("openblas" in lib for lib in blas_libraries()),
    }
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
