"""Layered input: the same ``N`` points seen in ``L`` representations.

One parser for every estimator that takes several representations of the same
points at once (the layers of a network, training checkpoints, generations of a
population): a dict ``{layer name: (N, D_l) array}``, a 3-D array ``(L, N, D)``,
a list of ``(N, D_l)`` arrays of possibly different widths, plain 2-D data split
into ``n_layers`` column blocks of equal width, or, with ``precomputed=True``,
one kNN graph per layer.  :func:`check_layers` validates any of these and
returns a :class:`LayeredData`, which also rebuilds the caller's kind of
container from per-layer results.
"""

import numbers
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.utils.validation import check_array, validate_data

__all__ = ["LayeredData", "check_layers"]

_KINDS = ("dict", "array3d", "list", "split2d", "single")
_DEFAULT_DTYPE = (np.float64, np.float32)


def _is_knn_graph_object(obj):
    from ..neighbors import KNNGraph  # lazy: the neighbours package imports utils

    return isinstance(obj, KNNGraph)


def _is_graph(obj):
    return sparse.issparse(obj) or _is_knn_graph_object(obj)


def _ndim(obj):
    """Number of dimensions of an array-like, without converting arrays or tensors."""
    if hasattr(obj, "ndim"):
        return int(obj.ndim)
    if isinstance(obj, (list, tuple)):
        return np.asarray(obj, dtype=object).ndim if len(obj) else 1
    return 0


def _graph_size(graph, name):
    """Number of points of a precomputed kNN graph (no conversion)."""
    if sparse.issparse(graph):
        return int(graph.shape[0])
    if _is_knn_graph_object(graph):
        return int(graph.n_queries)
    if isinstance(graph, (tuple, list)) and len(graph) == 2:
        return int(np.shape(graph[0])[0]) if np.ndim(graph[0]) else 0
    raise ValueError(
        f"Layer {name!r}: with precomputed input, every layer must be a kNN graph (sparse "
        "distance matrix as from KNeighborsTransformer(mode='distance'), (distances, "
        f"indices) pair or KNNGraph); got {type(graph).__name__}."
    )


def _check_names(names, n_layers):
    names = tuple(str(n) for n in names)
    if len(names) != n_layers:
        raise ValueError(f"Got {len(names)} layer names for {n_layers} layers.")
    if len(set(names)) != len(names):
        raise ValueError(f"Layer names must be unique, got {list(names)}.")
    return names


def _same_n_samples(names, sizes):
    if len(set(sizes)) > 1:
        bad = next(i for i, s in enumerate(sizes) if s != sizes[0])
        raise ValueError(
            "Every layer must hold the same points in the same order, but layer "
            f"{names[bad]!r} has {sizes[bad]} points where layer {names[0]!r} has "
            f"{sizes[0]} (points per layer: {dict(zip(names, sizes))})."
        )
    return int(sizes[0]) if sizes else 0


@dataclass(frozen=True, eq=False, repr=False)
class LayeredData:
    """The same ``n_samples`` points in ``n_layers`` representations.

    A small read-only container, normally made by :func:`check_layers` (which
    validates) or :meth:`from_arrays` (which only checks shapes).  Iterating
    yields ``(name, array)`` pairs in layer order; ``len`` is the number of
    layers; indexing by position or name gives one layer.

    Parameters
    ----------
    names : tuple of str
        Layer names: a dict's keys as strings, the ``names`` given, or ``"0"``,
        ``"1"``, ... .
    arrays : list
        One entry per layer: an ``(n_samples, width)`` array, or with
        ``precomputed=True`` the kNN graph as given (sparse distance matrix,
        ``(distances, indices)`` pair or
        :class:`~sklearn_geom.neighbors.KNNGraph`; read it with
        :func:`sklearn_geom.neighbors.as_knn_graph`).
    n_samples : int
        Number of points, the same in every layer.
    kind : {"dict", "array3d", "list", "split2d", "single"}
        How the input came: a dict, a 3-D array, a list or tuple of layers, a
        2-D array split into column blocks, or a single precomputed graph.  It
        decides the container :meth:`rebuild` returns.
    precomputed : bool, default=False
        Whether the layers are kNN graphs rather than points.
    keys : tuple, default=None
        The keys :meth:`rebuild` uses for ``kind="dict"``: the dict's own keys
        (of any hashable type); None means ``names``.

    Attributes
    ----------
    n_layers : int
        Number of layers.
    widths : tuple
        Number of features of each layer (None for a precomputed graph).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_geom.utils import check_layers
    >>> X = np.arange(24.0).reshape(2, 4, 3)  # 2 layers of the same 4 points
    >>> layers = check_layers(X)
    >>> layers
    LayeredData(kind='array3d', n_layers=2, n_samples=4, names=['0', '1'], widths=[3, 3])
    >>> layers.kind, layers.names, layers.n_samples, layers.widths
    ('array3d', ('0', '1'), 4, (3, 3))
    >>> [float(a.mean()) for _, a in layers]
    [5.5, 17.5]
    >>> layers.rebuild([a.sum(axis=1) for a in layers.arrays]).shape
    (2, 4)
    >>> d = check_layers({"fc1": X[0], "fc2": X[1][:, :2]})
    >>> d.widths, d.rebuild([1.0, 2.0])
    ((3, 2), {'fc1': 1.0, 'fc2': 2.0})
    """

    names: tuple
    arrays: list
    n_samples: int
    kind: str
    precomputed: bool = False
    keys: tuple = None

    def __post_init__(self):
        if self.kind not in _KINDS:
            raise ValueError(f"kind must be one of {_KINDS}, got {self.kind!r}.")
        if len(self.names) != len(self.arrays):
            raise ValueError(
                f"Got {len(self.names)} layer names for {len(self.arrays)} layers."
            )
        if self.keys is not None and len(self.keys) != len(self.arrays):
            raise ValueError(f"Got {len(self.keys)} keys for {len(self.arrays)} layers.")

    def __repr__(self):
        names = list(self.names)
        if len(names) > 6:
            names = names[:3] + ["..."] + names[-2:]
        what = "graphs" if self.precomputed else f"widths={list(self.widths)}"
        if not self.precomputed and len(self) > 6:
            w = self.widths
            what = f"widths=[{w[0]}, ..., {w[-1]}]"
        return (
            f"LayeredData(kind={self.kind!r}, n_layers={len(self)}, "
            f"n_samples={self.n_samples}, names={names}, {what})"
        )

    # ------------------------------------------------------------------ views

    @property
    def n_layers(self):
        """Number of layers."""
        return len(self.arrays)

    @property
    def widths(self):
        """Number of features of each layer (None for a precomputed graph)."""
        if self.precomputed:
            return (None,) * len(self.arrays)
        return tuple(int(np.shape(a)[1]) for a in self.arrays)

    def __len__(self):
        return len(self.arrays)

    def __iter__(self):
        return iter(zip(self.names, self.arrays))

    def __getitem__(self, layer):
        return self.arrays[self._index(layer)]

    def _index(self, layer):
        if isinstance(layer, str):
            try:
                return self.names.index(layer)
            except ValueError:
                raise KeyError(
                    f"No layer named {layer!r}; the layers are {list(self.names)}."
                ) from None
        if isinstance(layer, numbers.Integral) and not isinstance(layer, bool):
            if not -len(self) <= layer < len(self):
                raise IndexError(f"Layer {layer} out of range for {len(self)} layers.")
            return int(layer) % len(self)
        raise TypeError(f"A layer is chosen by position (int) or name (str), got {layer!r}.")

    # ------------------------------------------------------------------ construction

    @classmethod
    def from_arrays(cls, arrays, names=None, *, kind=None, precomputed=False):
        """A container from a sequence of per-layer arrays, without copying them.

        Only shapes are checked (2-D, the same number of rows, unique names);
        the values are not read, so memory-mapped layers stay on disk.  Use
        :func:`check_layers` to validate the values too.

        Parameters
        ----------
        arrays : sequence of array-like of shape (n_samples, width_l)
            The layers in order (kNN graphs with ``precomputed=True``).
        names : sequence, default=None
            Layer names (converted to ``str``); None means ``"0"``, ``"1"``, ... .
        kind : {"dict", "list", "array3d", "split2d", "single"}, default=None
            Container :meth:`rebuild` returns; None means ``"dict"`` when
            ``names`` are given, else ``"list"``.  With ``"dict"`` the original
            ``names`` (before conversion to ``str``) are the keys.
        precomputed : bool, default=False
            Whether the layers are kNN graphs.

        Returns
        -------
        LayeredData
            The container.

        Examples
        --------
        >>> import numpy as np
        >>> from sklearn_geom.utils import LayeredData
        >>> acts = LayeredData.from_arrays([np.zeros((5, 3)), np.ones((5, 8))], ["a", "b"])
        >>> acts.kind, acts.widths, len(acts)
        ('dict', (3, 8), 2)
        """
        arrays = list(arrays)
        if not arrays:
            raise ValueError("No layer given.")
        if kind is None:
            kind = "list" if names is None else "dict"
        keys = None
        if names is None:
            names = tuple(str(i) for i in range(len(arrays)))
        else:
            keys = tuple(names)
            names = _check_names(keys, len(arrays))
        if precomputed:
            sizes = [_graph_size(g, n) for n, g in zip(names, arrays)]
        else:
            for n, a in zip(names, arrays):
                if _ndim(a) != 2:
                    raise ValueError(
                        f"Layer {n!r} must be a 2-D array (n_samples, n_features), got "
                        f"{_ndim(a)} dimension(s)."
                    )
            sizes = [int(np.shape(a)[0]) for a in arrays]
        n_samples = _same_n_samples(names, sizes)
        return cls(names, arrays, n_samples, kind, bool(precomputed), keys)

    # ------------------------------------------------------------------ output

    def rebuild(self, values=None, *, layers=None):
        """Per-layer results in the caller's kind of container.

        Parameters
        ----------
        values : sequence, default=None
            One result per layer of ``layers`` (e.g. transformed arrays, fitted
            scalars); None means the layers themselves.
        layers : sequence of int or str, or bool mask, default=None
            Which layers ``values`` belong to, in order (e.g. the layers kept by
            a pruning rule); None means all.

        Returns
        -------
        dict, list or ndarray
            - ``kind="dict"``: ``{key: value}`` with the input's keys;
            - ``kind="list"``: a list;
            - ``kind="array3d"``: ``np.stack(values)`` (empty: shape
              ``(0, n_samples, width)``);
            - ``kind="split2d"``: 2-D values side by side (``np.hstack``, the
              caller's column layout; empty: ``(n_samples, 0)``), 1-D values of
              length ``n_samples`` as columns, scalars as a 1-D array;
            - ``kind="single"``: the one value (a list if several).
        """
        if layers is None:
            idx = list(range(len(self)))
        else:
            mask = np.asarray(layers)
            if mask.dtype == bool:
                if mask.shape != (len(self),):
                    raise ValueError(
                        f"A layer mask needs {len(self)} entries, got shape {mask.shape}."
                    )
                idx = np.flatnonzero(mask).tolist()
            else:
                idx = [self._index(i) for i in layers]
        if values is None:
            values = [self.arrays[i] for i in idx]
        else:
            values = list(values)
            if len(values) != len(idx):
                raise ValueError(f"Got {len(values)} values for {len(idx)} layers.")
        if self.kind == "dict":
            keys = self.keys if self.keys is not None else self.names
            return {keys[i]: v for i, v in zip(idx, values)}
        if self.kind == "list":
            return values
        if self.kind == "single":
            return values[0] if len(values) == 1 else values
        if self.kind == "array3d":
            if not values:
                a = self.arrays[0]
                return np.empty((0,) + tuple(np.shape(a)), dtype=getattr(a, "dtype", None))
            return np.stack([np.asarray(v) for v in values])
        # split2d
        if not values:
            return np.empty((self.n_samples, 0), dtype=self.arrays[0].dtype)
        values = [np.asarray(v) for v in values]
        if all(v.ndim == 2 for v in values):
            return np.hstack(values)
        if all(v.ndim == 1 and v.shape[0] == self.n_samples for v in values):
            return np.column_stack(values)
        return np.stack(values)

    def check_layout(self, n_layers, widths=None, *, fitted_by="the estimator"):
        """Raise a ValueError unless these layers match a fitted layout.

        Parameters
        ----------
        n_layers : int
            Number of layers seen in fit.
        widths : sequence of int, default=None
            Widths seen in fit; None skips the check.
        fitted_by : str, default="the estimator"
            Who was fitted, for the message.

        Returns
        -------
        self : LayeredData
            Unchanged.
        """
        if len(self) != n_layers:
            raise ValueError(
                f"X has {len(self)} layers, but {fitted_by} was fitted on {n_layers}."
            )
        if widths is not None and list(self.widths) != list(widths):
            raise ValueError(
                f"The layer widths {list(self.widths)} differ from those seen in fit "
                f"{list(widths)}."
            )
        return self


def _validate_layer(a, name, dtype, ensure_min_samples):
    try:
        return check_array(a, dtype=dtype, ensure_min_samples=ensure_min_samples)
    except (ValueError, TypeError) as exc:
        raise type(exc)(f"Layer {name!r}: {exc}") from exc


def _check_layered_data(X, precomputed, min_layers, ensure_min_samples, dtype, names):
    """Re-validate a LayeredData (e.g. an activation extractor's output); it keeps its kind."""
    if X.precomputed != bool(precomputed):
        raise ValueError(
            "The layers are "
            + ("precomputed kNN graphs" if X.precomputed else "points")
            + ", but "
            + ("precomputed graphs were expected." if precomputed else "points were expected.")
        )
    if names is not None:
        raise ValueError("names cannot be given with a LayeredData: it has its own names.")
    if len(X) < max(min_layers, 1):
        raise ValueError(f"At least {max(min_layers, 1)} layers are required, got {len(X)}.")
    if precomputed:
        if X.n_samples < ensure_min_samples:
            raise ValueError(
                f"The graphs have {X.n_samples} points, but at least {ensure_min_samples} "
                "are required."
            )
        return X
    arrays = [_validate_layer(a, n, dtype, ensure_min_samples) for n, a in X]
    n_samples = _same_n_samples(X.names, [a.shape[0] for a in arrays])
    return LayeredData(X.names, arrays, n_samples, X.kind, False, X.keys)


def check_layers(
    X,
    *,
    n_layers=None,
    precomputed=False,
    min_layers=1,
    ensure_min_samples=1,
    dtype=_DEFAULT_DTYPE,
    names=None,
    estimator=None,
    reset=True,
):
    """Validate the same points given in several representations.

    Parameters
    ----------
    X : dict, array-like of shape (n_layers, n_samples, n_features), list or 2-D array
        The representations, each holding the same points in the same order:

        - a dict ``{name: (n_samples, D_l) array}`` (an activation extractor's
          output), layers in the dict's order;
        - a 3-D array ``(L, N, D)`` (layer ``l`` is ``X[l]``, a view);
        - a list or tuple of ``(n_samples, D_l)`` arrays, widths may differ;
        - a 2-D array ``(n_samples, n_layers * D)``: ``n_layers`` column blocks
          of equal width (views of ``X``);
        - with ``precomputed=True``: a list or dict of kNN graphs (sparse
          distance matrices as from ``KNeighborsTransformer(mode="distance")``,
          ``(distances, indices)`` pairs or
          :class:`~sklearn_geom.neighbors.KNNGraph`), or a single graph;
        - a :class:`LayeredData` (as the activation extractor returns): its
          layers are validated again and it keeps its names and kind.
    n_layers : int, default=None
        Number of column blocks of 2-D input (None: 1).  Not used for other
        input.
    precomputed : bool, default=False
        Whether the layers are kNN graphs.  They are kept as given (only their
        number of points is read); read each with
        :func:`sklearn_geom.neighbors.as_knn_graph`.
    min_layers : int, default=1
        Fewest layers accepted.
    ensure_min_samples : int, default=1
        Fewest points accepted per layer.
    dtype : dtype, list of dtypes or None, default=(float64, float32)
        As in :func:`sklearn.utils.check_array`: by default float32 and float64
        layers are kept as they are, anything else becomes float64.
    names : sequence, default=None
        Names of the layers of non-dict input (default ``"0"``, ``"1"``, ...);
        a dict's keys are its names.
    estimator : estimator instance, default=None
        When given, plain 2-D input is validated with scikit-learn's
        ``validate_data(estimator, X, reset=reset)``, which sets or checks
        ``n_features_in_`` and ``feature_names_in_``.
    reset : bool, default=True
        Passed to ``validate_data`` with ``estimator``.

    Returns
    -------
    LayeredData
        The validated layers.  Arrays are not copied when they already have an
        accepted dtype: float32 and float64 arrays and memory maps are kept (a
        memmap comes back as an ``ndarray`` view of the same memory).

    Raises
    ------
    ValueError
        NaN or infinity, an empty layer, too few points or layers, layers with
        different numbers of points, a 2-D input whose columns ``n_layers`` does
        not divide, or a non-graph with ``precomputed=True``; the message names
        the layer.
    TypeError
        Sparse input where points are expected (as scikit-learn's
        ``check_array``).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_geom.utils import check_layers
    >>> X = np.arange(12.0).reshape(2, 6)  # 2 points, 3 layers of width 2
    >>> layers = check_layers(X, n_layers=3)
    >>> layers.kind, layers.n_layers, layers.widths
    ('split2d', 3, (2, 2, 2))
    >>> layers.rebuild([a[:, :1] for a in layers.arrays])
    array([[ 0.,  2.,  4.],
           [ 6.,  8., 10.]])
    """
    if dtype is _DEFAULT_DTYPE:
        dtype = list(_DEFAULT_DTYPE)
    if isinstance(X, LayeredData):
        return _check_layered_data(X, precomputed, min_layers, ensure_min_samples, dtype, names)
    keys = None
    if _is_graph(X):  # (before the dict test: dok matrices are dicts)
        kind, layers = ("single", [X]) if precomputed else ("split2d", None)
    elif isinstance(X, dict):
        if names is not None:
            raise ValueError("names cannot be given with a dict: its keys are the names.")
        kind, layers = "dict", list(X.values())
        keys = tuple(X.keys())
        names = keys
    elif isinstance(X, (list, tuple)) and (
        not len(X) or precomputed or _is_graph(X[0]) or _ndim(X[0]) >= 2
    ):
        kind, layers = "list", list(X)
    elif precomputed:
        raise ValueError(
            "With precomputed graphs, X must be a list or dict of kNN graphs (one per "
            f"layer), or a single sparse graph; got {type(X).__name__}."
        )
    elif _ndim(X) == 3:
        kind = "array3d"
        layers = [X[i] for i in range(len(X))]
    else:
        kind, layers = "split2d", None

    if kind == "split2d":
        if estimator is not None:
            X = validate_data(estimator, X, reset=reset, dtype=dtype,
                              ensure_min_samples=ensure_min_samples)
        else:
            X = check_array(X, dtype=dtype, ensure_min_samples=ensure_min_samples)
        n_blocks = 1 if n_layers is None else int(n_layers)
        if n_blocks < 1:
            raise ValueError(f"n_layers must be a positive integer, got {n_layers!r}.")
        D = X.shape[1]
        if D % n_blocks:
            raise ValueError(
                f"n_layers={n_blocks} does not divide the {D} columns of X into equal blocks."
            )
        w = D // n_blocks
        layers = [X[:, i * w : (i + 1) * w] for i in range(n_blocks)]

    if len(layers) < max(min_layers, 1):
        if not layers:
            raise ValueError("X holds no layer.")
        raise ValueError(f"At least {min_layers} layers are required, got {len(layers)}.")
    names = (
        tuple(str(i) for i in range(len(layers)))
        if names is None
        else _check_names(names, len(layers))
    )
    if kind == "split2d":
        return LayeredData(names, layers, X.shape[0], kind, False, None)
    if precomputed:
        sizes = [_graph_size(g, n) for n, g in zip(names, layers)]
        n_samples = _same_n_samples(names, sizes)
        if n_samples < ensure_min_samples:
            raise ValueError(
                f"The graphs have {n_samples} points, but at least {ensure_min_samples} "
                "are required."
            )
        return LayeredData(names, layers, n_samples, kind, True, keys)
    layers = [_validate_layer(a, n, dtype, ensure_min_samples) for n, a in zip(names, layers)]
    n_samples = _same_n_samples(names, [a.shape[0] for a in layers])
    return LayeredData(names, layers, n_samples, kind, False, keys)
