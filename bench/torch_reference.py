"""The training loop a PyTorch user writes by hand, shared by the benchmarks' torch references.

RMSprop with Keras' defaults (rho 0.9, epsilon 1e-7), shuffled batches, loss and accuracy kept on the
device and read once per epoch: the same work lamina's fit does.
"""

from __future__ import annotations

import torch


def epoch_function(net, loss_fn, x, y, batch_size: int, learning_rate: float = 0.001):
    """A function running one shuffled training epoch of ``net``; returns (mean loss, accuracy).

    ``loss_fn(outputs, targets)`` is a mean over the batch; accuracy is argmax agreement for multi-class
    outputs and 0.5-threshold agreement for a single sigmoid output.
    """
    optimizer = torch.optim.RMSprop(net.parameters(), lr=learning_rate, alpha=0.9, eps=1e-7)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)

    def correct_count(outputs, targets):
        if outputs.shape[-1] == 1:
            return ((outputs > 0.5) == (targets > 0.5)).sum()
        return (outputs.argmax(-1) == targets).sum()

    def epoch():
        net.train()
        correct = torch.zeros((), dtype=torch.int64)
        total_loss = torch.zeros(())
        order = torch.randperm(len(xt))
        xs, ys = xt[order], yt[order]
        for start in range(0, len(xs), batch_size):
            xb, yb = xs[start:start + batch_size], ys[start:start + batch_size]
            outputs = net(xb)
            loss = loss_fn(outputs, yb)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            with torch.no_grad():
                total_loss += loss.detach() * len(xb)
                correct += correct_count(outputs, yb)
        return float(total_loss) / len(xs), float(correct) / len(xs)

    return epoch
