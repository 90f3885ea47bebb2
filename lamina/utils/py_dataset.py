"""``PyDataset``: a dataset written in Python that serves whole batches by index (Keras 3 API)."""

from __future__ import annotations


class PyDataset:
    """Base class for datasets that hand out complete batches by index.

    Subclasses implement ``__getitem__(index)`` (a batch: ``x``, ``(x,)``, ``(x, y)`` or
    ``(x, y, sample_weight)``) and ``__len__()`` (the number of batches). A dataset without ``__len__``, or
    whose ``num_batches`` returns ``None``, is infinite: ``fit`` then needs ``steps_per_epoch``.
    ``on_epoch_begin`` / ``on_epoch_end`` run around every epoch (to reshuffle, for instance).

    Args:
        workers: how many batches ``fit`` loads at once (with more than one, in a thread pool).
        use_multiprocessing: accepted for Keras compatibility; lamina loads batches in threads.
        max_queue_size: how many batches may be loaded ahead of the training step.

    Example:

    ```python
    class Squares(lamina.utils.PyDataset):
        def __len__(self):
            return 10

        def __getitem__(self, index):
            x = np.arange(index * 4, index * 4 + 4, dtype="float32")[:, None]
            return x, x**2
    ```
    """

    def __init__(self, workers: int = 1, use_multiprocessing: bool = False, max_queue_size: int = 10):
        if not isinstance(workers, int) or workers < 1:
            raise ValueError("Invalid value for argument `workers`. Expected an int >= 1. "
                             f"Received: workers={workers!r}")
        if not isinstance(max_queue_size, int) or max_queue_size < 1:
            raise ValueError(
                "Invalid value for argument `max_queue_size`. Expected an int >= 1. "
                f"Received: max_queue_size={max_queue_size!r}"
            )
        self._workers = workers
        self._use_multiprocessing = bool(use_multiprocessing)
        self._max_queue_size = max_queue_size

    # Subclasses that skip ``super().__init__()`` still work: the properties fall back to the defaults.
    @property
    def workers(self) -> int:
        return getattr(self, "_workers", 1)

    @workers.setter
    def workers(self, value: int) -> None:
        self._workers = value

    @property
    def use_multiprocessing(self) -> bool:
        return getattr(self, "_use_multiprocessing", False)

    @use_multiprocessing.setter
    def use_multiprocessing(self, value: bool) -> None:
        self._use_multiprocessing = value

    @property
    def max_queue_size(self) -> int:
        return getattr(self, "_max_queue_size", 10)

    @max_queue_size.setter
    def max_queue_size(self, value: int) -> None:
        self._max_queue_size = value

    def __getitem__(self, index: int):
        raise NotImplementedError(f"{type(self).__name__} must implement `__getitem__(index)`, returning a batch.")

    @property
    def num_batches(self) -> int | None:
        """The number of batches: ``len(self)``, or ``None`` for an infinite dataset (no ``__len__``)."""
        return len(self) if hasattr(self, "__len__") else None

    def on_epoch_begin(self) -> None:
        """Called at the start of every epoch."""

    def on_epoch_end(self) -> None:
        """Called at the end of every epoch."""

    def __iter__(self):
        """The batches in order, loaded one at a time (no parallelism, as when iterated by hand)."""
        index = 0
        while self.num_batches is None or index < self.num_batches:
            yield self[index]
            index += 1
