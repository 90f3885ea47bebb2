"""Keras' dataset builders without ``tf.data``: each returns a ``PyDataset`` of NumPy batches that ``fit``,
``evaluate`` and ``predict`` take on every engine.

``text_dataset_from_directory`` and ``image_dataset_from_directory`` index a folder of class subfolders (the
``aclImdb/train/{neg,pos}`` layout) and read the files of a batch when the batch is asked for;
``timeseries_dataset_from_array`` serves sliding windows over an array; ``split_dataset`` cuts arrays (or a
batched dataset) in two. Files are listed, shuffled and split as Keras does (same seed, same files in the
training and validation subsets); shuffled datasets are reshuffled after every epoch.
"""

from __future__ import annotations

import math
import numbers
import os

import numpy as np

from lamina import config
from lamina.utils.io_utils import print_msg
from lamina.utils.py_dataset import PyDataset

_LABEL_MODES = ("int", "categorical", "binary", None)
_IMAGE_FORMATS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")
_COLOR_MODES = {"grayscale": "L", "rgb": "RGB", "rgba": "RGBA"}
# Keras' interpolation names, mapped to Pillow's filters where Pillow has the same filter.
_PIL_FILTERS = {"nearest": "NEAREST", "bilinear": "BILINEAR", "bicubic": "BICUBIC", "area": "BOX",
                "lanczos3": "LANCZOS"}


def _map_structure(func, data):
    if isinstance(data, (tuple, list)):
        return type(data)(_map_structure(func, item) for item in data)
    if isinstance(data, dict):
        return {key: _map_structure(func, value) for key, value in data.items()}
    return func(data)


class IndexedBatches(PyDataset):
    """A dataset of ``count`` samples served in batches: ``load(indices)`` returns the batch of those samples.

    With ``shuffle`` the sample order is drawn from ``seed`` and drawn again after every epoch. With
    ``batch_size=None`` each item is one sample, without a batch axis.
    """

    def __init__(self, count: int, load, batch_size: int | None = 32, shuffle: bool = False,
                 seed: int | None = None):
        super().__init__()
        if batch_size is not None and (not isinstance(batch_size, numbers.Integral) or batch_size < 1):
            raise ValueError(f"Invalid value for argument `batch_size`. Expected a positive int or None. "
                             f"Received: batch_size={batch_size!r}")
        self._count, self._load, self.batch_size, self._shuffle = count, load, batch_size, shuffle
        self._rng = np.random.RandomState(seed)
        self._order = self._rng.permutation(count) if shuffle else np.arange(count)

    def __len__(self) -> int:
        return self._count if self.batch_size is None else math.ceil(self._count / self.batch_size)

    def __getitem__(self, index: int):
        if not 0 <= index < len(self):
            raise IndexError(f"Batch index {index} is out of range for a dataset of {len(self)} batches.")
        if self.batch_size is None:
            return _map_structure(lambda leaf: leaf[0], self._load(self._order[index:index + 1]))
        return self._load(self._order[index * self.batch_size:(index + 1) * self.batch_size])

    def on_epoch_end(self) -> None:
        if self._shuffle:
            self._order = self._rng.permutation(self._count)


def _arrays_dataset(data, batch_size, shuffle=False, seed=None) -> IndexedBatches:
    count = len(_first_leaf(data))
    return IndexedBatches(count, lambda idx: _map_structure(lambda leaf: leaf[idx], data), batch_size, shuffle, seed)


def _first_leaf(data):
    leaves = []
    _map_structure(leaves.append, data)
    return leaves[0]


# -- split_dataset ------------------------------------------------------------------------------------------
def _split_sizes(left_size, right_size, total: int) -> tuple[int, int]:
    """Keras' rules: an int is a count in ``(0, total)``, a float a fraction in ``(0, 1)``; None is the rest."""
    if left_size is None and right_size is None:
        raise ValueError("At least one of the `left_size` or `right_size` must be specified. Received: "
                         "left_size=None and right_size=None")
    sizes = {}
    for name, size in (("left_size", left_size), ("right_size", right_size)):
        if size is None:
            continue
        if isinstance(size, bool) or not isinstance(size, numbers.Real):
            raise TypeError(f"Invalid `{name}` type. Expected int or float or None. Received: "
                            f"type({name})={type(size)}")
        if isinstance(size, numbers.Integral):
            if not 0 < size < total:
                raise ValueError(f"`{name}` should be either a positive integer smaller than {total}, or a float "
                                 f"within the range `[0, 1]`. Received: {name}={size}")
            sizes[name] = int(size)
        else:
            if not 0 < size < 1:
                raise ValueError(f"`{name}` should be either a positive integer smaller than {total}, or a float "
                                 f"within the range `[0, 1]`. Received: {name}={size}")
            sizes[name] = round(size * total)
    if isinstance(left_size, float) and isinstance(right_size, float) and left_size + right_size > 1:
        raise ValueError("The sum of `left_size` and `right_size` is greater than 1. It must be less than or equal "
                         "to 1.")
    left = sizes.get("left_size", total - sizes.get("right_size", 0))
    right = sizes.get("right_size", total - left)
    if left + right > total:
        raise ValueError(f"The sum of `left_size` and `right_size` should be smaller than {total}. Received: "
                         f"left_size + right_size = {left + right}")
    if not left or not right:
        raise ValueError(f"With `dataset` of length={total}, `left_size`={left_size} and `right_size`={right_size}, "
                         "one side of the split would be empty. Adjust any of these parameters.")
    return left, right


def _unbatch(dataset: PyDataset):
    """All the batches of ``dataset`` joined into one structure of arrays, and its batch size."""
    batches = [dataset[i] for i in range(len(dataset))]
    if not batches:
        raise ValueError("Cannot split an empty dataset.")
    leaves_per_batch = []
    for batch in batches:
        leaves = []
        _map_structure(leaves.append, batch)
        leaves_per_batch.append(leaves)
    columns = iter([np.concatenate([np.asarray(leaves[i]) for leaves in leaves_per_batch])
                    for i in range(len(leaves_per_batch[0]))])
    joined = _map_structure(lambda _: next(columns), batches[0])
    return joined, len(_first_leaf(batches[0]))


def split_dataset(dataset, left_size: int | float | None = None, right_size: int | float | None = None,
                  shuffle: bool = False, seed: int | None = None, preferred_backend: str | None = None):
    """Split a dataset into a left part and a right part (e.g. training and test).

    ``dataset`` is a NumPy array, a tuple/list/dict of arrays of one length, or a batched ``PyDataset`` (such
    as ``text_dataset_from_directory``'s). Arrays come back as arrays of the same structure; a batched dataset
    comes back as two datasets batched the same way.

    Args:
        dataset: the data to split.
        left_size: an int (a number of samples) or a float in ``(0, 1)`` (a fraction) for the left part; None
            for what ``right_size`` leaves.
        right_size: the same for the right part.
        shuffle: shuffle the samples before splitting.
        seed: the shuffle's seed.
        preferred_backend: accepted for Keras compatibility; the result does not depend on the engine.

    Returns:
        ``(left, right)``.

    Example:
        >>> left, right = split_dataset(np.arange(10), left_size=0.8)
        >>> left.shape, right.shape
        ((8,), (2,))
    """
    del preferred_backend
    batch_size = None
    if isinstance(dataset, PyDataset):
        data, batch_size = _unbatch(dataset)
    elif hasattr(dataset, "__array__") or (isinstance(dataset, list)
                                           and all(isinstance(item, numbers.Number) for item in dataset)):
        data = np.asarray(dataset)
    elif isinstance(dataset, (tuple, list, dict)):
        data = _map_structure(np.asarray, dataset)
    else:
        raise TypeError("The `dataset` argument must be a NumPy array, a list/tuple/dict of arrays or a batched "
                        f"lamina.utils.PyDataset. Received: dataset of type {type(dataset).__name__}")
    leaves = []
    _map_structure(leaves.append, data)
    total = len(leaves[0])
    if any(len(leaf) != total for leaf in leaves):
        raise ValueError(f"The arrays of `dataset` must have one length. Received lengths {[len(x) for x in leaves]}")
    left, right = _split_sizes(left_size, right_size, total)
    order = np.random.RandomState(seed).permutation(total) if shuffle else np.arange(total)
    parts = [_map_structure(lambda leaf, idx=idx: leaf[idx], data) for idx in (order[:left], order[total - right:])]
    if batch_size is None:
        return tuple(parts)
    return tuple(_arrays_dataset(part, batch_size) for part in parts)


# -- timeseries_dataset_from_array --------------------------------------------------------------------------
def _check_positive_below(name: str, value: int, length: int) -> None:
    if value <= 0:
        raise ValueError(f"`{name}` must be higher than 0. Received: {name}={value}")
    if value >= length:
        raise ValueError(f"`{name}` must be lower than the length of the data. Received: {name}={value}, for data "
                         f"of length {length}")


def timeseries_dataset_from_array(data, targets, sequence_length: int, sequence_stride: int = 1,
                                  sampling_rate: int = 1, batch_size: int | None = 128, shuffle: bool = False,
                                  seed: int | None = None, start_index: int | None = None,
                                  end_index: int | None = None, format: str = "tf") -> IndexedBatches:
    """Sliding windows over a timeseries, in batches.

    Window ``i`` takes the steps ``s, s + sampling_rate, ..., s + (sequence_length - 1) * sampling_rate`` of
    ``data[start_index:end_index]``, with ``s = i * sequence_stride``; its target is
    ``targets[start_index + s]``. Windows that would run past the end are dropped.

    Args:
        data: an array whose axis 0 is time.
        targets: ``targets[i]`` is the target of the window starting at ``i``, or None (windows only).
        sequence_length: the number of steps per window.
        sequence_stride: the distance between the starts of consecutive windows.
        sampling_rate: the distance between consecutive steps of a window.
        batch_size: windows per batch, or None for single windows.
        shuffle: serve the windows in a random order (redrawn every epoch).
        seed: the shuffle's seed.
        start_index: the first step used (default 0).
        end_index: the step after the last one used (default ``len(data)``).
        format: accepted for Keras compatibility (``"tf"`` or ``"grain"``); the result is a ``PyDataset``.

    Returns:
        A ``PyDataset`` of ``(windows, targets)`` batches (``windows`` alone when ``targets`` is None), windows
        of shape ``(batch, sequence_length) + data.shape[1:]``.

    Example:
        >>> ds = timeseries_dataset_from_array(np.arange(10), None, sequence_length=3, batch_size=4)
        >>> ds[0][1].tolist()
        [1, 2, 3]
    """
    if format not in ("tf", "grain"):
        raise ValueError(f'`format` should be either "tf" or "grain". Received: format={format}')
    data = np.asarray(data)
    length = len(data)
    start_index, end_index = start_index or 0, end_index or length
    if start_index < 0 or start_index >= length:
        raise ValueError(f"`start_index` must be 0 or greater and lower than the length of the data. Received: "
                         f"start_index={start_index}, for data of length {length}")
    if end_index <= start_index or end_index > length:
        raise ValueError(f"`end_index` must be higher than `start_index` and at most the length of the data. "
                         f"Received: start_index={start_index}, end_index={end_index}, for data of length {length}")
    _check_positive_below("sampling_rate", sampling_rate, length)
    _check_positive_below("sequence_stride", sequence_stride, length)
    num_windows = end_index - start_index - (sequence_length - 1) * sampling_rate
    if targets is not None:
        targets = np.asarray(targets)
        num_windows = min(num_windows, len(targets) - start_index)
    starts = np.arange(0, max(num_windows, 0), sequence_stride) + start_index
    offsets = np.arange(sequence_length) * sampling_rate

    def load(indices):
        windows = data[starts[indices][:, None] + offsets]
        return windows if targets is None else (windows, targets[starts[indices]])

    return IndexedBatches(len(starts), load, batch_size, shuffle, seed)


# -- datasets from a folder of class subfolders -------------------------------------------------------------
def _check_common_arguments(labels, label_mode, class_names, validation_split, subset, shuffle, seed) -> None:
    if labels not in ("inferred", None):
        if not isinstance(labels, (list, tuple)):
            raise ValueError("`labels` argument should be a list/tuple of integer labels, of the same size as the "
                             "number of files in the target directory, 'inferred' (from the subfolder names) or "
                             f"None (no labels). Received: labels={labels}")
        if class_names:
            raise ValueError("You can only pass `class_names` if `labels='inferred'`. Received: "
                             f"labels={labels}, and class_names={class_names}")
    if label_mode not in _LABEL_MODES:
        raise ValueError('`label_mode` argument must be one of "int", "categorical", "binary", or None. '
                         f"Received: label_mode={label_mode}")
    if validation_split and not 0 < validation_split < 1:
        raise ValueError(f"`validation_split` must be between 0 and 1, received: {validation_split}")
    if bool(validation_split) != bool(subset):
        raise ValueError("If `subset` is set, `validation_split` must be set, and inversely.")
    if subset not in ("training", "validation", "both", None):
        raise ValueError(f'`subset` must be either "training", "validation" or "both", received: {subset}')
    if validation_split and shuffle and seed is None:
        raise ValueError("If using `validation_split` and shuffling the data, you must provide a `seed` argument, "
                         "to make sure that there is no overlap between the training and validation subset.")


def _files_below(folder: str, formats: tuple, follow_links: bool) -> list:
    """The files under ``folder`` with one of the extensions ``formats``, in sorted walk order."""
    found = []
    for root, _, names in sorted(os.walk(folder, followlinks=follow_links), key=lambda entry: entry[0]):
        found.extend(os.path.join(root, name) for name in sorted(names) if name.lower().endswith(formats))
    return found


def index_directory(directory: str, labels, formats: tuple, class_names=None, shuffle: bool = True,
                    seed: int | None = None, follow_links: bool = False, verbose: bool = True):
    """``(file_paths, labels, class_names)`` for the files of ``directory`` whose extension is in ``formats``.

    With ``labels="inferred"`` each subfolder is a class (sorted by name, or in the order of
    ``class_names``); otherwise the whole tree is read and ``labels`` (a list, one per file in sorted
    order) or None gives the labels. With ``shuffle`` the files are shuffled with ``RandomState(seed)``.
    """
    if labels == "inferred":
        subfolders = sorted(name for name in os.listdir(directory)
                            if os.path.isdir(os.path.join(directory, name)) and not name.startswith("."))
        if class_names is not None:
            if not set(class_names) <= set(subfolders):
                raise ValueError("The `class_names` passed did not match the names of the subdirectories of the "
                                 f"target directory. Expected: {subfolders} (or a subset of it), but received: "
                                 f"class_names={class_names}")
            subfolders = list(class_names)
        class_names = subfolders
        paths, label_list = [], []
        for index, name in enumerate(subfolders):
            found = _files_below(os.path.join(directory, name), formats, follow_links)
            paths.extend(found)
            label_list.extend([index] * len(found))
        labels = np.asarray(label_list, dtype="int32")
    else:
        if class_names is not None:
            raise ValueError("`class_names` can only be given with `labels='inferred'`.")
        paths = _files_below(directory, formats, follow_links)
        if labels is not None:
            if len(labels) != len(paths):
                raise ValueError("Expected the lengths of `labels` to match the number of files in the target "
                                 f"directory. len(labels) is {len(labels)} while we found {len(paths)} files in "
                                 f"directory {directory}.")
            class_names = [str(label) for label in sorted(set(labels))]
            labels = np.asarray(labels, dtype="int32")
    if verbose:
        print_msg(f"Found {len(paths)} files." if labels is None
                  else f"Found {len(paths)} files belonging to {len(class_names)} classes.")
    if shuffle:
        order = np.arange(len(paths))
        np.random.RandomState(seed).shuffle(order)
        paths = [paths[i] for i in order]
        labels = None if labels is None else labels[order]
    return paths, labels, class_names


def _subset(paths: list, labels, validation_split, subset: str | None):
    """The training part (all but the last ``validation_split``) or the validation part of the files."""
    if not validation_split:
        return paths, labels
    num_validation = int(validation_split * len(paths))
    cut = len(paths) - num_validation
    if subset == "training":
        print_msg(f"Using {cut} files for training.")
        return paths[:cut], None if labels is None else labels[:cut]
    print_msg(f"Using {num_validation} files for validation.")
    return paths[cut:], None if labels is None else labels[cut:]


def _encode_labels(labels: np.ndarray, label_mode: str, num_classes: int) -> np.ndarray:
    if label_mode == "binary":
        return labels.astype("float32")[:, None]
    if label_mode == "categorical":
        return np.eye(num_classes, dtype="float32")[labels]
    return labels.astype("int32")


def _folder_dataset(directory, labels, label_mode, class_names, batch_size, shuffle, seed, validation_split,
                    subset, follow_links, verbose, formats, load_file, kind: str):
    """The dataset(s) of ``directory``'s files, each read with ``load_file(path)``: shared by text and images."""
    if labels is None or label_mode is None:
        labels = label_mode = None
    if seed is None:
        seed = np.random.randint(1e6)
    paths, labels, class_names = index_directory(directory, labels, formats, class_names, shuffle, seed,
                                                 follow_links, verbose)
    if label_mode == "binary" and len(class_names) != 2:
        raise ValueError('When passing `label_mode="binary"`, there must be exactly 2 class_names. Received: '
                         f"class_names={class_names}")
    num_classes = len(class_names) if class_names else 0

    def build(subset_name, shuffled):
        part_paths, part_labels = _subset(paths, labels, validation_split, subset_name)
        if not part_paths:
            which = {"training": "training ", "validation": "validation "}.get(subset_name, "")
            raise ValueError(f"No {which}{kind} found in directory {directory}. Allowed formats: {formats}")

        def load(indices):
            samples = [load_file(part_paths[i]) for i in indices]
            if kind == "images":
                batch = np.stack(samples)
            else:  # an object array of Python strings (np.asarray would pad them all to the longest)
                batch = np.empty(len(samples), dtype=object)
                batch[:] = samples
            if label_mode is None:
                return batch
            return batch, _encode_labels(part_labels[indices], label_mode, num_classes)

        dataset = IndexedBatches(len(part_paths), load, batch_size, shuffled, seed)
        dataset.class_names = class_names
        dataset.file_paths = part_paths
        return dataset

    if subset == "both":
        return build("training", shuffle), build("validation", False)
    return build(subset, shuffle)


def text_dataset_from_directory(directory: str, labels="inferred", label_mode: str | None = "int",
                                class_names=None, batch_size: int | None = 32, max_length: int | None = None,
                                shuffle: bool = True, seed: int | None = None, validation_split: float | None = None,
                                subset: str | None = None, follow_links: bool = False, format: str = "tf",
                                verbose: bool = True):
    """A dataset of the ``.txt`` files of ``directory``: batches of ``(texts, labels)``.

    ``directory`` holds one subfolder per class (``aclImdb/train`` holds ``neg/`` and ``pos/``); their sorted
    names (or ``class_names``) give the labels 0, 1, ... Texts come as a NumPy object array of Python strings
    (read as UTF-8, undecodable bytes replaced), cut to ``max_length`` characters.

    Args:
        directory: the folder to read.
        labels: ``"inferred"`` (from the subfolders), None (texts only), or a list of integer labels, one per
            file in sorted path order.
        label_mode: ``"int"`` (int32, shape ``(batch,)``), ``"categorical"`` (float32 one-hot, shape
            ``(batch, num_classes)``), ``"binary"`` (float32, shape ``(batch, 1)``; exactly two classes) or
            None (texts only).
        class_names: with inferred labels, the subfolders to use, in label order.
        batch_size: texts per batch, or None for single texts.
        max_length: the most characters kept from each text.
        shuffle: shuffle the files (and again after every epoch); False keeps sorted path order.
        seed: the shuffle's seed (required with ``validation_split`` and ``shuffle``).
        validation_split: the fraction of the files kept for validation.
        subset: ``"training"``, ``"validation"`` or ``"both"`` (a tuple of the two datasets).
        follow_links: descend into symlinked folders.
        format: accepted for Keras compatibility (``"tf"`` or ``"grain"``); the result is a ``PyDataset``.
        verbose: print how many files and classes were found.

    Returns:
        A ``PyDataset`` (two for ``subset="both"``) with ``class_names`` and ``file_paths`` attributes.
    """
    if format not in ("tf", "grain"):
        raise ValueError(f'`format` should be either "tf" or "grain". Received: format={format}')
    _check_common_arguments(labels, label_mode, class_names, validation_split, subset, shuffle, seed)

    def read_text(path):
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read() if max_length is None else handle.read(max_length)
        return text

    return _folder_dataset(directory, labels, label_mode, class_names, batch_size, shuffle, seed, validation_split,
                           subset, follow_links, verbose, (".txt",), read_text, "text files")


def _fit_to_aspect_ratio(image, height: int, width: int, crop: bool, pad: bool):
    """The centered window of ``image`` with the aspect ratio ``height:width``: cropped from it (``crop``) or
    the image padded with black to it (``pad``)."""
    from PIL import Image

    source_width, source_height = image.size
    if crop:
        crop_height = min(source_height, int(source_width * height / width))
        crop_width = min(source_width, int(source_height * width / height))
        top, left = (source_height - crop_height) // 2, (source_width - crop_width) // 2
        return image.crop((left, top, left + crop_width, top + crop_height))
    if pad:
        pad_height = max(source_height, int(source_width * height / width))
        pad_width = max(source_width, int(source_height * width / height))
        canvas = Image.new(image.mode, (pad_width, pad_height))
        canvas.paste(image, ((pad_width - source_width) // 2, (pad_height - source_height) // 2))
        return canvas
    return image


def load_image(path: str, image_size: tuple, color_mode: str = "rgb", interpolation: str = "bilinear",
               crop_to_aspect_ratio: bool = False, pad_to_aspect_ratio: bool = False,
               data_format: str = "channels_last") -> np.ndarray:
    """Decode the image file at ``path`` with Pillow into a float32 array of shape ``image_size + (channels,)``
    (channels first with ``data_format="channels_first"``), values in ``[0, 255]``."""
    from PIL import Image

    height, width = image_size
    with Image.open(path) as opened:
        image = opened.convert(_COLOR_MODES[color_mode])
    image = _fit_to_aspect_ratio(image, height, width, crop_to_aspect_ratio, pad_to_aspect_ratio)
    if image.size != (width, height):
        image = image.resize((width, height), resample=getattr(Image.Resampling, _PIL_FILTERS[interpolation]))
    array = np.asarray(image, dtype="float32")
    array = array[:, :, None] if array.ndim == 2 else array
    return array.transpose(2, 0, 1) if data_format == "channels_first" else array


def image_dataset_from_directory(directory: str, labels="inferred", label_mode: str | None = "int",
                                 class_names=None, color_mode: str = "rgb", batch_size: int | None = 32,
                                 image_size=(256, 256), shuffle: bool = True, seed: int | None = None,
                                 validation_split: float | None = None, subset: str | None = None,
                                 interpolation: str = "bilinear", follow_links: bool = False,
                                 crop_to_aspect_ratio: bool = False, pad_to_aspect_ratio: bool = False,
                                 data_format: str | None = None, format: str = "tf", verbose: bool = True):
    """A dataset of the images (bmp, gif, jpeg, png) of ``directory``: batches of ``(images, labels)``.

    Images are decoded with Pillow, converted to ``color_mode`` and resized to ``image_size`` (``(height,
    width)``), as float32 arrays of shape ``(batch, height, width, channels)`` (channels first with
    ``data_format="channels_first"``) with values in ``[0, 255]``. Labels are as in
    ``text_dataset_from_directory``. Resizing uses Pillow's filters, which smooth when shrinking.

    Args:
        directory: the folder to read (one subfolder per class with inferred labels).
        labels: ``"inferred"``, None, or a list of integer labels (one per file in sorted path order).
        label_mode: ``"int"``, ``"categorical"``, ``"binary"`` or None.
        class_names: with inferred labels, the subfolders to use, in label order.
        color_mode: ``"grayscale"`` (1 channel), ``"rgb"`` (3) or ``"rgba"`` (4).
        batch_size: images per batch, or None for single images.
        image_size: ``(height, width)`` (an int for a square).
        shuffle: shuffle the files (and again after every epoch).
        seed: the shuffle's seed (required with ``validation_split`` and ``shuffle``).
        validation_split: the fraction of the files kept for validation.
        subset: ``"training"``, ``"validation"`` or ``"both"``.
        interpolation: ``"bilinear"``, ``"nearest"``, ``"bicubic"``, ``"area"`` or ``"lanczos3"``.
        follow_links: descend into symlinked folders.
        crop_to_aspect_ratio: crop the largest centered window with ``image_size``'s aspect ratio first.
        pad_to_aspect_ratio: pad the image (centered, black) to ``image_size``'s aspect ratio first.
        data_format: ``"channels_last"`` or ``"channels_first"`` (default: ``config.image_data_format()``).
        format: accepted for Keras compatibility (``"tf"`` or ``"grain"``); the result is a ``PyDataset``.
        verbose: print how many files and classes were found.

    Returns:
        A ``PyDataset`` (two for ``subset="both"``) with ``class_names`` and ``file_paths`` attributes.
    """
    if format not in ("tf", "grain"):
        raise ValueError(f'`format` should be either "tf" or "grain". Received: format={format}')
    _check_common_arguments(labels, label_mode, class_names, validation_split, subset, shuffle, seed)
    if color_mode not in _COLOR_MODES:
        raise ValueError(f'`color_mode` must be one of {{"rgb", "rgba", "grayscale"}}. Received: '
                         f"color_mode={color_mode}")
    if isinstance(image_size, numbers.Integral):
        image_size = (image_size, image_size)
    if not isinstance(image_size, (list, tuple)) or len(image_size) != 2:
        raise ValueError(f"Invalid `image_size` value. Expected a tuple of 2 integers. Received: "
                         f"image_size={image_size}")
    interpolation = interpolation.lower()
    if interpolation not in _PIL_FILTERS:
        raise ValueError(f"Argument `interpolation` should be one of {tuple(_PIL_FILTERS)} (Pillow has no "
                         f"equivalent of Keras' other filters). Received: interpolation={interpolation}")
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError("Only one of `crop_to_aspect_ratio` and `pad_to_aspect_ratio` can be True.")
    data_format = config.standardize_data_format(data_format)

    def read_image(path):
        return load_image(path, tuple(image_size), color_mode, interpolation, crop_to_aspect_ratio,
                          pad_to_aspect_ratio, data_format)

    return _folder_dataset(directory, labels, label_mode, class_names, batch_size, shuffle, seed, validation_split,
                           subset, follow_links, verbose, _IMAGE_FORMATS, read_image, "images")
