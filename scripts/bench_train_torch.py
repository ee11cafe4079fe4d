"""PyTorch reference for `npm run bench:train`: the same three architectures,
trained with Adam on random 28x28x1 images at batch 128, on the CPU.

Usage: python3 scripts/bench_train_torch.py --threads N [--batches-scale S]
Prints one JSON object: {"torch": version, "threads": N, "models": {name: samples_per_second}}.
"""
import argparse
import json
import time

import torch
from torch import nn


def dense_net():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))


def small_cnn():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 5 * 5, 128), nn.ReLU(), nn.Linear(128, 10),
    )


def vgg_style():
    layers = []
    channels = 1
    for filters in (32, 64, 128):
        for _ in range(2):
            # Keras: Conv2D(..., activation=relu) then BatchNormalization(), eps 1e-3, momentum 0.99.
            layers += [nn.Conv2d(channels, filters, 3, padding=1), nn.ReLU(), nn.BatchNorm2d(filters, eps=1e-3, momentum=0.01)]
            channels = filters
        layers += [nn.MaxPool2d(2), nn.Dropout(0.25)]
    layers += [
        nn.Flatten(), nn.Linear(128 * 3 * 3, 128), nn.ReLU(), nn.BatchNorm1d(128, eps=1e-3, momentum=0.01),
        nn.Dropout(0.5), nn.Linear(128, 10),
    ]
    return nn.Sequential(*layers)


MODELS = {"dense net": (dense_net, 40), "small CNN": (small_cnn, 12), "VGG-style": (vgg_style, 4)}


def samples_per_second(make, batches, batch_size=128):
    torch.manual_seed(0)
    model = make()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.rand(batches * batch_size, 1, 28, 28)
    y = torch.randint(0, 10, (batches * batch_size,))

    def step(i):
        xb = x[i * batch_size:(i + 1) * batch_size]
        yb = y[i * batch_size:(i + 1) * batch_size]
        optimizer.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimizer.step()
        return loss.item()

    model.train()
    step(0)  # warm-up
    started = time.perf_counter()
    for i in range(batches):
        step(i)
    return batches * batch_size / (time.perf_counter() - started)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--batches-scale", type=float, default=1.0)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    rates = {name: samples_per_second(make, max(2, round(batches * args.batches_scale))) for name, (make, batches) in MODELS.items()}
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "models": rates}))


if __name__ == "__main__":
    main()
