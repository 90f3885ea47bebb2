"""Image CNN epoch time on torch against two hand-written loops, in one process: PyTorch's default NCHW layout
(image_cnn.py's reference) and PyTorch's ``channels_last`` memory format (the NHWC images viewed as NCHW,
weights converted with ``net.to(memory_format=torch.channels_last)``: oneDNN's native layout on CPU).

Same model, data and optimizer as image_cnn.py. The three epochs of a round run back to back, so machine
noise hits them alike; each ratio divides an epoch by the NCHW loop's epoch of the same round, and the median
over the rounds is printed with its range.
Run: .venv/bin/python bench/image_cnn_channels_last.py [--rounds N] [--rows N] [--threads N] [--no-mkldnn]
     [--cpu-time]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("LAMINA_BACKEND", "torch")

from common import mnist_images  # noqa: E402
from image_cnn import BATCH, ROWS, lamina_model, torch_loop  # noqa: E402


def channels_last_loop(x, y):
    """The hand-written loop of image_cnn.py with the NHWC images and the weights in channels_last format."""
    import torch
    import torch_reference
    from torch import nn

    class ChannelsLastView(nn.Module):
        def forward(self, images):  # (N, H, W, C) -> (N, C, H, W) with channels_last strides: a view
            return images.permute(0, 3, 1, 2)

    net = nn.Sequential(
        ChannelsLastView(),
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Dropout(0.5), nn.Linear(64 * 5 * 5, 10),
    ).to(memory_format=torch.channels_last)
    return torch_reference.epoch_function(net, nn.CrossEntropyLoss(), x, y, BATCH)


def seconds(fn, clock) -> float:
    start = clock()
    fn()
    return clock() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (0: torch's default)")
    parser.add_argument("--no-mkldnn", action="store_true", help="torch.backends.mkldnn.enabled = False")
    parser.add_argument("--cpu-time", action="store_true",
                        help="time by this process's CPU seconds: with --threads 1, the work alone, whatever the "
                             "load of a shared machine")
    args = parser.parse_args()

    import torch

    import lamina

    assert lamina.backend.backend() == "torch", "this benchmark compares torch loops"
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.backends.mkldnn.enabled = not args.no_mkldnn
    x, y, source = mnist_images(args.rows)
    model = lamina_model()
    parts = {
        "NCHW loop": torch_loop(x, y),
        "channels_last loop": channels_last_loop(x, y),
        "lamina/torch": lambda: model.fit(x, y, batch_size=BATCH, epochs=1, verbose=0),
    }
    for epoch in parts.values():  # first epochs: lamina builds, torch warms oneDNN's primitive caches
        epoch()
    times = {name: [] for name in parts}
    for _ in range(args.rounds):
        for name, epoch in parts.items():
            times[name].append(seconds(epoch, time.process_time if args.cpu_time else time.perf_counter))
    print(f"image CNN on torch {torch.__version__}, {source} ({args.rows} x 28x28x1), batch {BATCH}, "
          f"{torch.get_num_threads()} threads, mkldnn {'on' if torch.backends.mkldnn.enabled else 'off'}, "
          f"OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY', 'unset')}, {args.rounds} rounds, "
          f"{'CPU' if args.cpu_time else 'wall'} time")
    reference = times["NCHW loop"]
    for name, samples in times.items():
        ratios = [t / r for t, r in zip(samples, reference)]
        print(f"  {name:20s} epoch median {statistics.median(samples):6.2f} s   ratio to NCHW loop "
              f"{statistics.median(ratios):.2f}x ({min(ratios):.2f}-{max(ratios):.2f})")


if __name__ == "__main__":
    main()
