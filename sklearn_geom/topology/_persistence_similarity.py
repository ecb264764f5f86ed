"""Persistence similarity between the layers of a network (Gardinazzi et al.).

The same N points seen in L representations -> one flag complex per layer (of the
symmetrised kNN graph) -> zigzag K_0 ⊇ K_0∩K_1 ⊆ K_1 ⊇ ... ⊆ K_{L-1} -> barcode
-> counts of the p-cycles alive from layer i to layer j -> similarity and a layer
pruning score (Gardinazzi et al., "Persistent topological features in large
language models", ICML 2025).
"""

import numbers
import os
import warnings

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import _check_feature_names_in, check_is_fitted

from ..neighbors import warn_duplicates
from ..neighbors._params import (
    ALGORITHM_CONSTRAINT,
    METRIC_OR_PRECOMPUTED_CONSTRAINT,
    N_JOBS_CONSTRAINT,
)
from ..utils import check_layers
from ._complex import knn_flag_complex
from ._zigzag import Barcode, zigzag_barcode_of_complexes

__all__ = ["PersistenceSimilarity"]


# --------------------------------------------------------------------------------------
# barcode arithmetic (plain arrays; positions 0-based, death exclusive)


def effective_layer(position):
    """Effective layer of a zigzag position: ``ceil(position / 2)``.

    Position ``2l`` is layer ``l``; position ``2l + 1`` (the intersection of
    layers ``l`` and ``l + 1``) counts as layer ``l + 1``.

    Parameters
    ----------
    position : int or array-like of int
        Zigzag positions (0-based).

    Returns
    -------
    ndarray of int64
        The effective layers.

    Examples
    --------
    >>> from sklearn_geom.topology import effective_layer
    >>> effective_layer([0, 1, 2, 3, 4]).tolist()
    [0, 1, 1, 2, 2]
    """
    position = np.asarray(position, dtype=np.int64)
    return (position + 1) // 2


def _bars_of_object(bc):
    n_positions = getattr(bc, "n_positions", None)
    if n_positions is None and getattr(bc, "n_layers", None) is not None:
        n_positions = 2 * int(bc.n_layers) - 1
    return (
        np.asarray(bc.dimension),
        np.asarray(bc.birth),
        np.asarray(bc.death),
        None if n_positions is None else int(n_positions),
    )


def _as_bars(barcode, n_layers=None):
    """Validated int64 arrays (dimension, birth, death) and the number of layers.

    ``barcode``: an object with ``dimension``, ``birth``, ``death`` arrays (the
    engine's ``Barcode``), an ``(n_bars, 3)`` array of rows ``(dimension, birth,
    death)`` in 0-based positions, or the path of a CSV in the reference format
    (1-based positions).
    """
    if isinstance(barcode, (str, os.PathLike)):
        dim, birth, death, n_positions = _bars_of_object(Barcode.from_csv(barcode))
    elif all(hasattr(barcode, a) for a in ("dimension", "birth", "death")):
        dim, birth, death, n_positions = _bars_of_object(barcode)
    else:
        arr = np.asarray(barcode)
        if arr.ndim != 2 or arr.shape[1] != 3:
            raise ValueError(
                "A barcode must be a Barcode, a path to a 'dimension,birth,death' CSV, or an "
                f"array of shape (n_bars, 3); got an array of shape {arr.shape}."
            )
        dim, birth, death, n_positions = arr[:, 0], arr[:, 1], arr[:, 2], None
    bars = []
    for name, a in (("dimension", dim), ("birth", birth), ("death", death)):
        a = np.asarray(a)
        if a.dtype.kind == "f":
            if not np.all(np.isfinite(a)) or np.any(a != np.round(a)):
                raise ValueError(f"Barcode {name}s must be integers (zigzag positions).")
        elif a.dtype.kind not in "iu":
            raise ValueError(f"Barcode {name}s must be integers, got dtype {a.dtype}.")
        bars.append(a.astype(np.int64).ravel())
    dim, birth, death = bars
    if not dim.size == birth.size == death.size:
        raise ValueError("dimension, birth and death must have the same length.")
    if dim.size and (dim.min() < 0 or birth.min() < 0):
        raise ValueError("Barcode dimensions and births must be non-negative (0-based positions).")
    if np.any(death <= birth):
        raise ValueError("Every bar needs birth < death (positions, death exclusive).")
    # number of representations: death <= 2L - 1 and birth <= 2L - 2
    need = 1
    if dim.size:
        need = max(int(death.max() + 2) // 2, int(birth.max()) // 2 + 1)
    if n_layers is None:
        n_layers = (n_positions + 1) // 2 if n_positions is not None else need
    if n_layers < need:
        raise ValueError(
            f"The barcode reaches position {int(death.max()) if dim.size else 0} (death, "
            f"exclusive), which needs at least {need} layers; got n_layers={n_layers}."
        )
    return dim, birth, death, int(n_layers)


def _effective_bars(dim, birth, death):
    """Rows (dimension, first layer, last layer + 1) of the bars that span >= 1 layer."""
    eb, ed = effective_layer(birth), effective_layer(death)
    keep = eb != ed
    return np.column_stack([dim[keep], eb[keep], ed[keep]]).astype(np.int64)


def _betti_numbers(eff, n_layers, max_dim):
    """(n_layers, max_dim + 1) Betti numbers: bars alive at each layer's position."""
    betti = np.zeros((n_layers, max_dim + 1), dtype=np.int64)
    for p in range(max_dim + 1):
        sel = eff[eff[:, 0] == p]
        diff = np.zeros(n_layers + 1, dtype=np.int64)
        np.add.at(diff, sel[:, 1], 1)
        np.add.at(diff, sel[:, 2], -1)
        betti[:, p] = np.cumsum(diff)[:n_layers]
    return betti


def _persistence_counts(eff, n_layers, p):
    """N_p(i, j): p-bars with eff(birth) <= min(i, j) and eff(death) > max(i, j)."""
    sel = eff[eff[:, 0] == p]
    H = np.zeros((n_layers, n_layers + 1), dtype=np.int64)
    np.add.at(H, (sel[:, 1], sel[:, 2]), 1)
    C = np.cumsum(H, axis=0)  # born at or before i
    R = np.cumsum(C[:, ::-1], axis=1)[:, ::-1]  # ... and dying at or after c
    idx = np.arange(n_layers)
    lo = np.minimum.outer(idx, idx)
    hi = np.maximum.outer(idx, idx)
    return R[lo, hi + 1]


def _ratio(N, beta, axis):
    """N / beta along ``axis``; 0/0 is 1 on the diagonal and 0 elsewhere."""
    b = beta[:, None] if axis == 0 else beta[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        S = np.where(b > 0, N / np.where(b > 0, b, 1), 0.0)
    np.fill_diagonal(S, 1.0)
    return S


def _scores(N, S, normalization, alpha):
    L = N.shape[0]
    if normalization == "column":
        # the paper's code: mean over m of N(l, m) / beta(m)
        return _ratio(N, np.diag(N), axis=1).mean(axis=1)
    idx = np.arange(L)
    W = np.abs(idx[:, None] - idx[None, :]).astype(np.float64) ** float(alpha)
    total = W.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        score = np.where(total > 0, (W * S).sum(axis=1) / np.where(total > 0, total, 1), 1.0)
    return score


def _prune(scores, threshold):
    L = scores.size
    top = scores.max() if L else 0.0
    if L < 2 or not top > 0:
        return np.zeros(0, dtype=np.int64)
    cut = np.flatnonzero(scores >= threshold * top)
    return cut[cut != L - 1].astype(np.int64)


# --------------------------------------------------------------------------------------
# the estimator


class PersistenceSimilarity(TransformerMixin, BaseEstimator):
    """Persistence similarity of the layers of a network and a layer-pruning rule.

    The same ``N`` points (one row per input, e.g. the last-token representation of
    a prompt) seen in ``L`` representations.  Per layer, the flag complex of the
    symmetrised ``n_neighbors``-nearest-neighbour graph, up to dimension
    ``max_simplex_dim``; then the zigzag of the complexes and their intersections
    ``K_0 ⊇ K_0∩K_1 ⊆ K_1 ⊇ ... ⊆ K_{L-1}`` and its barcode over Z/2.  Zigzag
    position ``2l`` is layer ``l``, position ``2l + 1`` the intersection of layers
    ``l`` and ``l + 1``; a position's *effective layer* is ``ceil(pos / 2)``, and
    bars that start and end in the same effective layer are dropped.  With
    ``p = homology_dim``:

    - ``N_p(i, j)``: number of ``p``-bars alive in every layer from ``i`` to ``j``
      (``persistence_counts_``); ``N_p(i, i) = beta_p(i)``, the Betti number;
    - ``S_p(i, j) = N_p(i, j) / beta_p(i)`` (``similarity_``): the share of layer
      ``i``'s ``p``-cycles that persist to layer ``j``.  1 on the diagonal, not
      symmetric.  When ``beta_p(i) = 0`` the row is 0 off the diagonal (no
      ``NaN``);
    - a score per layer (``scores_``) and the layers to prune (``layers_to_prune_``):
      every layer whose score is at least ``threshold`` times the largest score,
      never the last representation.

    Parameters
    ----------
    n_neighbors : int, default=5
        Neighbours per point in each layer's kNN graph (the paper: 5).
    homology_dim : int, default=1
        Homology degree ``p`` of the similarity and the scores (the paper: 1).
    max_simplex_dim : int, default=None
        Largest simplex dimension of the flag complexes; None means
        ``homology_dim + 1``, the smallest that gives ``H_p`` exactly (the paper
        expanded to 4).  Must be at least ``homology_dim + 1``.
    metric : {"euclidean", "cosine", "precomputed"}, default="euclidean"
        Distance of the kNN graphs.  With ``"precomputed"`` every layer is a kNN
        graph (sparse distance matrix as from
        ``KNeighborsTransformer(mode="distance")``, ``(distances, indices)`` pair
        or :class:`~sklearn_geom.neighbors.KNNGraph`) with at least
        ``n_neighbors`` neighbours per point.
    algorithm : {"auto", "brute", "kd_tree"}, default="auto"
        Search algorithm of :func:`sklearn_geom.neighbors.compute_knn`.
    normalization : {"column", "row_weighted"}, default="column"
        Layer score.  ``"column"`` is the rule of the paper's code:
        ``score(l) = mean_m N_p(l, m) / beta_p(m)`` (the mean of column ``l`` of
        ``S_p``).  ``"row_weighted"`` is the later "inter-layer persistence":
        the row of ``S_p`` averaged with weights ``|l - m| ** alpha``,
        ``score(l) = sum_m |l - m|^alpha S_p(l, m) / sum_m |l - m|^alpha``, so
        that cycles persisting to distant layers count more (our formalisation;
        with ``alpha = 0`` it is the plain row mean).
    alpha : float, default=1.0
        Exponent of the distance weights of ``normalization="row_weighted"``.
    threshold : float, default=0.9
        Layers with ``score >= threshold * max(score)`` are pruned (the paper:
        0.9, or 0.8), the last representation never.  When every score is 0
        nothing is pruned.
    n_layers : int, default=None
        How to read plain 2-D input ``X`` of shape ``(n_samples, n_features)``:
        its columns are split into ``n_layers`` blocks of equal width, one per
        representation; None means one layer (then nothing is ever pruned and
        ``transform`` returns ``X``).  Ignored for layered input, except by
        :meth:`fit_barcode`, where it fixes the number of representations.
    n_jobs : int, default=None
        Threads for the kNN search and the clique enumeration (None: every core
        numba may use, -1: all cores).  Results do not depend on it.

    Attributes
    ----------
    n_layers_ : int
        Number of representations ``L``.
    layer_names_ : list
        Names of the layers (dict keys, or ``0 .. L-1``).
    layer_widths_ : list of int
        Number of features of each layer (not set by :meth:`fit_barcode`).
    complexes_ : list of list of ndarray
        Flag complex of each layer in the ``simplices_by_dim`` format (not set
        by :meth:`fit_barcode`).
    barcode_ : Barcode
        The zigzag barcode: bars ``(dimension, birth, death)`` in 0-based
        positions ``0 .. 2L - 2``, death exclusive (``2L - 1`` for bars that
        never die), sorted; ``barcode_.to_array()`` gives the ``(n_bars, 3)``
        array and ``barcode_.to_csv(path)`` the reference CSV format.  Fitted on
        points, it holds the exact degrees ``0 .. max_simplex_dim - 1``; from a
        precomputed barcode, every bar given.
    effective_barcode_ : ndarray of shape (n_kept_bars, 3), int64
        Rows ``(dimension, first layer, last layer + 1)``: the same bars in
        effective layers, without those that live inside one effective layer.
    betti_numbers_ : ndarray of shape (n_layers, homology_dim + 1), int64
        Betti number of each layer in each degree ``0 .. homology_dim``.
    persistence_counts_ : ndarray of shape (n_layers, n_layers), int64
        ``N_p`` (symmetric).
    similarity_ : ndarray of shape (n_layers, n_layers)
        ``S_p``.
    scores_ : ndarray of shape (n_layers,)
        Layer scores of ``normalization``.
    layers_to_prune_ : ndarray of int
        Indices (0-based, in input order) of the representations to prune.
    n_features_in_ : int
        Number of columns of 2-D input (only set for 2-D input).
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Column names of 2-D input when they are all strings.

    See Also
    --------
    knn_flag_complex : The complex built for each layer.

    Notes
    -----
    **Input.** ``X`` may be a 3-D array ``(L, N, D)``, a list of 2-D arrays of
    possibly different widths, a dict ``{layer name: (N, D_l) array}`` (as an
    activation extractor returns), or plain 2-D data split by ``n_layers``.
    Every layer must hold the same points in the same order.

    **Transform.** ``transform`` drops the representations in
    ``layers_to_prune_`` and returns the rest in the container it was given (the
    kept columns of 2-D input, the kept slices of a 3-D array, a list, or a
    dict).  The similarity itself is in ``similarity_``.

    **Degenerate input.** Duplicate points in a layer are kept and joined to
    their copies (neighbour ties broken by index), with a
    :class:`~sklearn_geom.neighbors.DuplicatePointsWarning`; layers with
    different numbers of points, ``n_neighbors >= n_samples`` and NaN/inf raise a
    ``ValueError``.  A single layer is accepted: ``S_p = [[1]]``, nothing pruned.

    References
    ----------
    .. [1] Gardinazzi, Viswanathan, Panerai, Ansuini, Cazzaniga, Biagetti,
       "Persistent topological features in large language models", ICML 2025
       (arXiv:2410.11042).
    .. [2] Dey, Hou, "Fast computation of zigzag persistence", ESA 2022.

    Examples
    --------
    Two layers of the same 60 points on a circle (two identical layers share all
    their cycles):

    >>> import numpy as np
    >>> from sklearn_geom.topology import PersistenceSimilarity
    >>> t = np.linspace(0, 2 * np.pi, 60, endpoint=False)
    >>> circle = np.c_[np.cos(t), np.sin(t)]
    >>> ps = PersistenceSimilarity(n_neighbors=2).fit([circle, circle, 2 * circle])
    >>> ps.betti_numbers_[:, 1].tolist()
    [1, 1, 1]
    >>> ps.similarity_
    array([[1., 1., 1.],
           [1., 1., 1.],
           [1., 1., 1.]])
    >>> ps.layers_to_prune_.tolist()
    [0, 1]

    From a precomputed barcode (rows ``dimension, birth, death`` in positions):

    >>> bars = [[1, 0, 5], [1, 2, 3], [0, 0, 5]]
    >>> ps = PersistenceSimilarity.from_barcode(bars)
    >>> ps.n_layers_, ps.persistence_counts_.tolist()
    (3, [[1, 1, 1], [1, 2, 1], [1, 1, 1]])
    """

    _parameter_constraints = {
        "n_neighbors": [Interval(numbers.Integral, 1, None, closed="left")],
        "homology_dim": [Interval(numbers.Integral, 0, None, closed="left")],
        "max_simplex_dim": [Interval(numbers.Integral, 0, None, closed="left"), None],
        "metric": METRIC_OR_PRECOMPUTED_CONSTRAINT,
        "algorithm": ALGORITHM_CONSTRAINT,
        "normalization": [StrOptions({"column", "row_weighted"})],
        "alpha": [Interval(numbers.Real, 0, None, closed="left")],
        "threshold": [Interval(numbers.Real, 0, 1, closed="both")],
        "n_layers": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "n_jobs": N_JOBS_CONSTRAINT,
    }

    def __init__(
        self,
        n_neighbors=5,
        *,
        homology_dim=1,
        max_simplex_dim=None,
        metric="euclidean",
        algorithm="auto",
        normalization="column",
        alpha=1.0,
        threshold=0.9,
        n_layers=None,
        n_jobs=None,
    ):
        self.n_neighbors = n_neighbors
        self.homology_dim = homology_dim
        self.max_simplex_dim = max_simplex_dim
        self.metric = metric
        self.algorithm = algorithm
        self.normalization = normalization
        self.alpha = alpha
        self.threshold = threshold
        self.n_layers = n_layers
        self.n_jobs = n_jobs

    # ---------------------------------------------------------------- input handling

    def _max_simplex_dim(self):
        msd = self.homology_dim + 1 if self.max_simplex_dim is None else self.max_simplex_dim
        if msd < self.homology_dim + 1:
            raise ValueError(
                f"max_simplex_dim={msd} is too small for homology_dim={self.homology_dim}: "
                "H_p needs the (p+1)-simplices, use max_simplex_dim >= homology_dim + 1."
            )
        return int(msd)

    def _check_layers(self, X, reset):
        """The layers of any accepted input (a LayeredData); records or checks the layout."""
        layers = check_layers(
            X,
            n_layers=self.n_layers if reset else self.n_layers_,
            precomputed=self.metric == "precomputed",
            dtype=[np.float64, np.float32],
            estimator=self,  # plain 2-D input: n_features_in_ / feature_names_in_
            reset=reset,
        )
        if reset:
            if layers.kind != "split2d":
                for attr in ("n_features_in_", "feature_names_in_"):
                    if hasattr(self, attr):
                        delattr(self, attr)
            self.n_layers_ = layers.n_layers
            self.layer_names_ = (
                list(layers.keys) if layers.kind == "dict" else list(range(layers.n_layers))
            )
            self.layer_widths_ = list(layers.widths)
        else:
            layers.check_layout(
                self.n_layers_,
                getattr(self, "layer_widths_", None),
                fitted_by=type(self).__name__,
            )
        return layers

    # ---------------------------------------------------------------- fitting

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Compute the zigzag barcode of the layers, the similarity and the pruning.

        Parameters
        ----------
        X : array-like of shape (n_layers, n_samples, n_features), list or dict
            The representations: a 3-D array, a list of ``(n_samples, D_l)``
            arrays, a dict ``{name: (n_samples, D_l) array}``, or plain 2-D data
            split into ``n_layers`` column blocks (see the class notes).  With
            ``metric="precomputed"``, a list or dict of kNN graphs.
        y : Ignored
            Not used, present for API consistency.

        Returns
        -------
        self : PersistenceSimilarity
            The fitted estimator.
        """
        msd = self._max_simplex_dim()
        layers = self._check_layers(X, reset=True)
        complexes = []
        for name, layer in zip(self.layer_names_, layers.arrays):
            cx, graph = knn_flag_complex(
                layer,
                self.n_neighbors,
                msd,
                metric=self.metric,
                algorithm=self.algorithm,
                n_jobs=self.n_jobs,
                return_graph=True,
            )
            warn_duplicates(
                graph.n_duplicates,
                layers.n_samples,
                f"{type(self).__name__} (layer {name!r})",
                action="kept and joined to their copies (neighbour ties broken by index)",
            )
            complexes.append(cx)
        self.complexes_ = complexes
        # degrees 0 .. msd - 1 are exact; degree msd would be a truncation artefact
        bc = zigzag_barcode_of_complexes(
            complexes, max_dim=msd, homology_dims=list(range(msd))
        )
        dim, birth, death, L = _as_bars(bc, n_layers=layers.n_layers)
        self._fit_bars(dim, birth, death, L)
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_barcode(self, barcode):
        """Fit from a precomputed zigzag barcode instead of points.

        Parameters
        ----------
        barcode : Barcode, array-like of shape (n_bars, 3) or path
            The engine's :class:`Barcode` (anything with ``dimension``, ``birth``
            and ``death`` arrays), an array of rows ``(dimension, birth, death)``
            in 0-based zigzag positions (death exclusive), or the path of a CSV
            ``dimension,birth,death`` with **1-based** positions as published with
            the paper (optionally gzipped).  The number of representations is
            ``self.n_layers`` when set, else the barcode's own, else the smallest
            that holds every bar (``(last death + 1) / 2``, exact whenever some bar
            never dies, as every ``H_0`` barcode of non-empty complexes has).

        Returns
        -------
        self : PersistenceSimilarity
            The fitted estimator (``complexes_`` and ``layer_widths_`` unset).
        """
        dim, birth, death, L = _as_bars(barcode, n_layers=self.n_layers)
        for attr in ("n_features_in_", "feature_names_in_", "layer_widths_", "complexes_"):
            if hasattr(self, attr):
                delattr(self, attr)
        self.n_layers_ = L
        self.layer_names_ = list(range(L))
        self._fit_bars(dim, birth, death, L)
        return self

    @classmethod
    def from_barcode(cls, barcode, **params):
        """A fitted estimator from a precomputed barcode.

        Shorthand for ``PersistenceSimilarity(**params).fit_barcode(barcode)``.

        Parameters
        ----------
        barcode : Barcode, array-like of shape (n_bars, 3) or path
            See :meth:`fit_barcode`.
        **params : dict
            Parameters of the estimator (``homology_dim``, ``normalization``,
            ``alpha``, ``threshold``, ``n_layers``).

        Returns
        -------
        estimator : PersistenceSimilarity
            The fitted estimator.
        """
        return cls(**params).fit_barcode(barcode)

    def _fit_bars(self, dim, birth, death, L):
        p = self.homology_dim
        self.barcode_ = Barcode(dim, birth, death, n_positions=2 * L - 1)
        bc = self.barcode_
        eff = _effective_bars(bc.dimension, bc.birth, bc.death)
        self.effective_barcode_ = eff
        self.betti_numbers_ = _betti_numbers(eff, L, p)
        N = _persistence_counts(eff, L, p)
        self.persistence_counts_ = N
        self.similarity_ = _ratio(N, np.diag(N), axis=0)
        self.scores_ = _scores(N, self.similarity_, self.normalization, self.alpha)
        self.layers_to_prune_ = _prune(self.scores_, self.threshold)
        if not np.diag(N).any():
            warnings.warn(
                f"No layer has {p}-dimensional homology: the similarity is the identity "
                "and the scores carry no information.",
                UserWarning,
                stacklevel=3,
            )

    # ---------------------------------------------------------------- output

    def _kept(self):
        keep = np.ones(self.n_layers_, dtype=bool)
        keep[self.layers_to_prune_] = False
        return keep

    def transform(self, X):
        """Drop the representations in ``layers_to_prune_``.

        Parameters
        ----------
        X : array-like, list or dict
            Representations of (possibly other) points, laid out as in ``fit``:
            the same number of layers with the same widths.

        Returns
        -------
        X_kept : same container as X
            The kept layers: the kept column blocks of 2-D input, the kept slices
            of a 3-D array, or a list / dict of the kept layers (a single
            precomputed graph, which is never pruned, comes back as itself).
        """
        check_is_fitted(self)
        return self._check_layers(X, reset=False).rebuild(layers=self._kept())

    def get_feature_names_out(self, input_features=None):
        """Names of the kept columns (2-D input only).

        Parameters
        ----------
        input_features : array-like of str, default=None
            Input column names (default: ``feature_names_in_`` or ``x0, x1, ...``).

        Returns
        -------
        feature_names_out : ndarray of str
            The names of the columns ``transform`` keeps.
        """
        check_is_fitted(self, "n_features_in_")
        names = _check_feature_names_in(self, input_features)
        return names[np.repeat(self._kept(), self.n_features_in_ // self.n_layers_)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
