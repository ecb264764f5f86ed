"""Capture the activations of chosen modules of a torch model with forward hooks."""

import difflib
import fnmatch
import numbers
import os
import re
import tempfile
import warnings
from collections.abc import Mapping

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data

from ..utils import LayeredData, progress

__all__ = ["TorchActivations", "select_layers"]

POOLINGS = ("flatten", "mean", "last", "first", "global_avg", "none")


def _torch():
    try:
        import torch
    except ImportError as exc:  # pragma: no cover - optional dependency
        raise ImportError(
            "TorchActivations needs torch: pip install torch (extra 'sklearn_geom[torch]')."
        ) from exc
    return torch


def _module_names(model):
    return [name for name, _ in model.named_modules() if name]


def select_layers(model, layers=None):
    """Names of the modules of ``model`` chosen by ``layers``, in model order.

    Parameters
    ----------
    model : torch.nn.Module
        The network.
    layers : str, re.Pattern, callable, list of those, or None
        An exact module name (as in ``model.named_modules()``), a glob pattern
        (``"blocks.*"``, ``"layer?.conv1"``), a compiled regular expression
        (``re.compile(r"blocks\\.\\d+$")``, matched in full), a predicate
        ``f(name, module) -> bool``, or a list of any of these (their union).
        None: every leaf module (one without children).

    Returns
    -------
    names : list of str
        Matching module names, in the order of ``named_modules()``.

    Raises
    ------
    ValueError
        When a name or pattern matches no module; the message lists the closest
        module names.

    Examples
    --------
    >>> import torch
    >>> from sklearn_geom.activations import select_layers
    >>> net = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 2))
    >>> select_layers(net, "*")
    ['0', '1', '2']
    >>> select_layers(net, lambda name, m: isinstance(m, torch.nn.Linear))
    ['0', '2']
    """
    modules = [(n, m) for n, m in model.named_modules() if n]
    names = [n for n, _ in modules]
    if layers is None:
        return [n for n, m in modules if next(iter(m.children()), None) is None]
    specs = list(layers) if isinstance(layers, (list, tuple)) else [layers]
    if not specs:
        raise ValueError("layers is an empty list.")
    chosen = set()
    for spec in specs:
        if isinstance(spec, re.Pattern):
            hit = {n for n in names if spec.fullmatch(n)}
            shown = spec.pattern
        elif isinstance(spec, str):
            if spec in names:
                hit = {spec}
            elif any(c in spec for c in "*?["):
                hit = {n for n in names if fnmatch.fnmatchcase(n, spec)}
            else:
                hit = set()
            shown = spec
        elif callable(spec):
            hit = {n for n, m in modules if spec(n, m)}
            shown = getattr(spec, "__name__", repr(spec))
        else:
            raise TypeError(
                "layers must be a module name, a glob pattern, a compiled regular expression, "
                f"a predicate or a list of those; got {type(spec).__name__}."
            )
        if not hit:
            close = difflib.get_close_matches(str(shown), names, n=5, cutoff=0.4)
            hint = close if close else names[:10]
            raise ValueError(
                f"layers: {shown!r} matches no module of {type(model).__name__}. "
                f"{'Closest names' if close else 'Some names'}: {hint} "
                "(see TorchActivations(model).list_layers())."
            )
        chosen |= hit
    return [n for n in names if n in chosen]


class TorchActivations(TransformerMixin, BaseEstimator):
    """Activations of chosen layers of a torch model, one representation per layer.

    Runs the model on the inputs in batches, in evaluation mode and under
    ``torch.inference_mode()``, and captures the output (or input) of each
    chosen module with forward hooks.  Each layer's activations are pooled to
    one row per sample (or per token) and returned as float32 numpy arrays in
    the order the modules ran: with one layer a 2-D array, so that
    ``make_pipeline(TorchActivations(model, layers="fc2"), TwoNN())`` works;
    with several layers a :class:`~sklearn_geom.utils.LayeredData` that every
    layered estimator of the package (``LayerwiseEstimator``,
    ``PersistenceSimilarity``) accepts.

    Parameters
    ----------
    model : torch.nn.Module
        The network.  Its training flags, device and gradients are restored
        after every call; the module itself is never modified.
    layers : str, re.Pattern, callable or list, default=None
        Modules to capture: exact names, glob patterns (``"blocks.*"``),
        compiled regular expressions, predicates ``f(name, module)``, or a list
        of those; see :func:`select_layers`.  None: every leaf module.
    capture : {"output", "input"}, default="output"
        Capture what the module returns, or its first positional input (taken
        by a pre-hook *before* the module runs, so an in-place module cannot
        alter it).
    tuple_index : int, default=0
        Element taken when the captured value is a tuple, list or mapping
        (transformer blocks return ``(hidden_states, attention, ...)``).
    pooling : {"flatten", "mean", "last", "first", "global_avg", "none"} or callable, \
            default="flatten"
        How an output of shape ``(batch, ...)`` becomes rows:

        - ``"flatten"``: one row per sample, all values;
        - ``"mean"``: mean over the sequence axis 1 of ``(batch, tokens, ...)``,
          counting only tokens with ``attention_mask == 1``;
        - ``"last"`` / ``"first"``: the last / first token with
          ``attention_mask == 1`` (left or right padding both work);
        - ``"global_avg"``: mean over the spatial axes ``2, 3, ...`` of a
          convolutional map ``(batch, channels, ...)``;
        - ``"none"``: one row per (unpadded) token; after :meth:`transform`
          ``sample_ids_`` and ``position_ids_`` give each row's sample and
          position;
        - a callable ``f(output, attention_mask) -> (batch, n_features)`` tensor
          (``attention_mask`` is None when the inputs have none).

        2-D outputs ``(batch, features)`` are returned as they are by every
        built-in pooling.
    batch_size : int, default=128
        Samples per forward pass for array, tensor and dict inputs (a
        ``DataLoader`` keeps its own batches).
    device : str or torch.device, default=None
        Device of the forward passes; None keeps the model where it is.  When
        set, the model is moved there and back afterwards.
    repeated : {"warn", "last", "first", "all", "error"}, default="warn"
        What to do when a module runs more than once in one forward pass
        (weight sharing, a module reused): keep the last call (``"warn"`` also
        warns once), the first, each call as its own layer ``"name#0"``,
        ``"name#1"``, ... (``"all"``), or raise.
    attention_mask_key : str, default="attention_mask"
        Key of the attention mask in dict inputs (transformers-style batches).
    spill_dir : str or path, default=None
        Write each layer's activations to a raw float32 file in this folder while
        they are computed and return read-only ``numpy.memmap`` arrays (for
        activations larger than memory).  A fresh subfolder is made per call.
    progress : bool, default=False
        Show a progress bar over batches (tqdm).

    Attributes
    ----------
    layer_names_ : list of str
        Captured layers in execution order (set by ``fit`` from one batch).
    layer_widths_ : list of int
        Number of features of each captured layer (from the first batch).
    n_features_in_ : int
        Number of columns of 2-D array input seen in ``fit`` (only then).
    sample_ids_ : ndarray of int
        With ``pooling="none"``: the sample of each returned row (set by
        ``transform``).
    position_ids_ : ndarray of int
        With ``pooling="none"``: the token position of each returned row.

    See Also
    --------
    sklearn_geom.layerwise.LayerwiseEstimator : Any estimator on every layer.

    Notes
    -----
    Hooks are registered at the start of every call and removed in a
    ``finally`` block, also when the forward pass raises.  Captured tensors are
    detached and copied at once, so in-place operations later in the forward
    pass cannot change them.  Inputs: numpy arrays or tensors (floating arrays
    are cast to the model's floating dtype, integer arrays such as token ids
    stay integer), dicts of arrays/tensors (passed as keyword arguments, e.g.
    ``input_ids`` and ``attention_mask``), or any iterable of batches such as a
    ``torch.utils.data.DataLoader`` (a batch that is a tuple or list gives its
    first element to the model, the rest, e.g. targets, is ignored).

    References
    ----------
    .. [1] Ansuini, Laio, Macke, Zoccolan, "Intrinsic dimension of data
       representations in deep neural networks", NeurIPS 2019.
    .. [2] Valeriani, Doimo, Cuturello, Laio, Ansuini, Cazzaniga, "The geometry
       of hidden representations of large transformer models", NeurIPS 2023.

    Examples
    --------
    >>> import numpy as np
    >>> import torch
    >>> from sklearn_geom.activations import TorchActivations
    >>> torch.manual_seed(0)  # doctest: +ELLIPSIS
    <torch._C.Generator object at ...>
    >>> net = torch.nn.Sequential(torch.nn.Linear(4, 16), torch.nn.ReLU(), torch.nn.Linear(16, 3))
    >>> X = np.random.default_rng(0).normal(size=(10, 4))
    >>> acts = TorchActivations(net, layers=["0", "2"]).fit_transform(X)
    >>> acts.names, acts.widths
    (('0', '2'), (16, 3))
    >>> TorchActivations(net, layers="1").fit_transform(X).shape
    (10, 16)
    """

    _parameter_constraints = {
        "model": [HasMethods(["named_modules", "register_forward_hook"])],
        "layers": [str, list, tuple, re.Pattern, callable, None],
        "capture": [StrOptions({"output", "input"})],
        "tuple_index": [numbers.Integral],
        "pooling": [StrOptions(set(POOLINGS)), callable],
        "batch_size": [Interval(numbers.Integral, 1, None, closed="left")],
        "device": "no_validation",
        "repeated": [StrOptions({"warn", "last", "first", "all", "error"})],
        "attention_mask_key": [str],
        "spill_dir": [str, os.PathLike, None],
        "progress": ["boolean"],
    }

    def __init__(
        self,
        model,
        *,
        layers=None,
        capture="output",
        tuple_index=0,
        pooling="flatten",
        batch_size=128,
        device=None,
        repeated="warn",
        attention_mask_key="attention_mask",
        spill_dir=None,
        progress=False,
    ):
        self.model = model
        self.layers = layers
        self.capture = capture
        self.tuple_index = tuple_index
        self.pooling = pooling
        self.batch_size = batch_size
        self.device = device
        self.repeated = repeated
        self.attention_mask_key = attention_mask_key
        self.spill_dir = spill_dir
        self.progress = progress

    # ------------------------------------------------------------------ public API

    def list_layers(self):
        """Names and types of every module of the model, in ``named_modules()`` order.

        Returns
        -------
        layers : list of (str, str)
            ``(name, class name)`` pairs; the names are what ``layers`` matches.
        """
        return [(n, type(m).__name__) for n, m in self.model.named_modules() if n]

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Choose the layers and learn their execution order from one batch.

        Parameters
        ----------
        X : array-like, tensor, dict of arrays/tensors or iterable of batches
            Model inputs (see Notes of the class).
        y : None
            Ignored.

        Returns
        -------
        self : TorchActivations
            The fitted extractor.
        """
        _torch()
        X = self._validate_input(X, reset=True)
        self._selected = select_layers(self.model, self.layers)
        names, widths = self._run(X, first_batch_only=True)
        self.layer_names_ = names
        self.layer_widths_ = widths
        return self

    def transform(self, X):
        """Activations of the chosen layers.

        Parameters
        ----------
        X : array-like, tensor, dict of arrays/tensors or iterable of batches
            Model inputs.

        Returns
        -------
        activations : ndarray of shape (n_rows, n_features) or LayeredData
            The float32 activations: a 2-D array with one layer, else one array
            per layer in execution order.  ``n_rows`` is the number of samples, or of tokens
            with ``pooling="none"``.
        """
        check_is_fitted(self, "layer_names_")
        X = self._validate_input(X, reset=False)
        self._selected = select_layers(self.model, self.layers)
        return self._run(X, first_batch_only=False)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.non_deterministic = False
        # activations are always returned as float32, whatever the input dtype
        tags.transformer_tags.preserves_dtype = ["float32"]
        return tags

    # ------------------------------------------------------------------ input

    def _validate_input(self, X, reset):
        torch = _torch()
        from scipy import sparse

        if sparse.issparse(X):  # sklearn's "dense data is required" error (dok is a dict)
            return validate_data(self, X, reset=reset)
        if isinstance(X, (torch.Tensor, Mapping)) or _is_batch_iterable(X):
            if isinstance(X, torch.Tensor) and X.ndim < 2:
                raise ValueError(
                    f"Expected a tensor of shape (n_samples, ...) with at least 2 dimensions, "
                    f"got shape {tuple(X.shape)}."
                )
            return X
        if hasattr(X, "__array__") or isinstance(X, (list, tuple)):
            nd = X.ndim if hasattr(X, "ndim") else np.asarray(X).ndim
            if nd == 2:
                return validate_data(self, X, reset=reset, dtype="numeric")
            if reset:
                for attr in ("n_features_in_", "feature_names_in_"):
                    if hasattr(self, attr):
                        delattr(self, attr)
            from sklearn.utils import check_array

            return check_array(X, allow_nd=True, dtype="numeric")
        raise TypeError(
            "X must be an array, a tensor, a dict of arrays/tensors or an iterable of batches "
            f"(e.g. a DataLoader); got {type(X).__name__}."
        )

    def _batches(self, X, dtype, device):
        """Yield (args, kwargs, attention_mask, n_samples) per batch."""
        torch = _torch()

        def to_tensor(a):
            if isinstance(a, torch.Tensor):
                t = a
            else:
                a = np.asarray(a)
                t = torch.as_tensor(a if a.flags.writeable else a.copy())
            if t.is_floating_point() and dtype is not None:
                t = t.to(dtype)
            return t.to(device)

        def split(a):
            if isinstance(a, Mapping):
                kw = {k: to_tensor(v) for k, v in a.items()}
                mask = kw.get(self.attention_mask_key)
                n = len(next(iter(kw.values())))
                return (), kw, mask, n
            t = to_tensor(a)
            return (t,), {}, None, int(t.shape[0])

        if isinstance(X, Mapping):
            if not X:
                raise ValueError("X is an empty dict.")
            sizes = {k: len(v) for k, v in X.items()}
            if len(set(sizes.values())) != 1:
                raise ValueError(f"The arrays of dict input have different lengths: {sizes}.")
            n = next(iter(sizes.values()))
            if n == 0:
                raise ValueError("X holds no sample.")
            for s in range(0, n, self.batch_size):
                yield split({k: v[s : s + self.batch_size] for k, v in X.items()})
        elif _is_batch_iterable(X):
            empty = True
            for batch in X:
                empty = False
                if isinstance(batch, (tuple, list)):
                    batch = batch[0]
                yield split(batch)
            if empty:
                raise ValueError("The iterable of batches is empty.")
        else:
            n = len(X)
            if n == 0:
                raise ValueError("X holds no sample.")
            for s in range(0, n, self.batch_size):
                yield split(X[s : s + self.batch_size])

    def _n_batches(self, X):
        if isinstance(X, Mapping):
            return -(-len(next(iter(X.values()))) // self.batch_size)
        if _is_batch_iterable(X):
            try:
                return len(X)
            except TypeError:
                return None
        return -(-len(X) // self.batch_size)

    # ------------------------------------------------------------------ capture

    def _select(self, value, name):
        torch = _torch()
        if isinstance(value, (tuple, list)):
            if not value:
                raise ValueError(f"Layer {name!r} produced an empty tuple.")
            value = value[self.tuple_index]
        elif isinstance(value, Mapping):
            value = list(value.values())[self.tuple_index]
        if not isinstance(value, torch.Tensor):
            raise TypeError(
                f"Layer {name!r} produced a {type(value).__name__}, not a tensor; use "
                "tuple_index to pick an element of tuple outputs."
            )
        return value

    def _pool(self, v, mask, name):
        torch = _torch()
        if callable(self.pooling):
            out = self.pooling(v, mask)
            out = out if isinstance(out, torch.Tensor) else torch.as_tensor(np.asarray(out))
            if out.ndim != 2 or out.shape[0] != v.shape[0]:
                raise ValueError(
                    f"The pooling callable returned shape {tuple(out.shape)} for layer {name!r}; "
                    f"expected (batch={v.shape[0]}, n_features)."
                )
            return out
        p = self.pooling
        if v.ndim == 1:
            v = v[:, None]
        B = v.shape[0]
        if p == "flatten":
            return v.reshape(B, -1)
        if v.ndim == 2 and p != "none":
            return v
        if p == "global_avg":
            return v.float().mean(dim=tuple(range(2, v.ndim))) if v.ndim > 2 else v
        if v.ndim < 3 and p == "none":
            raise ValueError(
                f"pooling='none' needs token-level outputs (batch, tokens, ...); layer {name!r} "
                f"gave shape {tuple(v.shape)}."
            )
        T = v.shape[1]
        m = None
        if mask is not None:
            if tuple(mask.shape) != (B, T):
                raise ValueError(
                    f"The attention mask has shape {tuple(mask.shape)}, but layer {name!r} "
                    f"has (batch, tokens) = ({B}, {T})."
                )
            m = mask.to(torch.bool)
        if p == "mean":
            if m is None:
                return v.float().mean(dim=1).reshape(B, -1)
            w = m.to(torch.float32).reshape(B, T, *([1] * (v.ndim - 2)))
            cnt = w.sum(dim=1).clamp(min=1.0)
            return ((v.float() * w).sum(dim=1) / cnt).reshape(B, -1)
        if p in ("last", "first"):
            if m is None:
                idx = torch.full((B,), T - 1 if p == "last" else 0, dtype=torch.long)
            elif p == "last":
                idx = (T - 1) - torch.flip(m, dims=[1]).to(torch.int8).argmax(dim=1)
            else:
                idx = m.to(torch.int8).argmax(dim=1)
            idx = idx.to(v.device)
            return v[torch.arange(B, device=v.device), idx].reshape(B, -1)
        # "none": one row per kept token
        if m is None:
            return v.reshape(B * T, -1)
        return v[m.to(v.device)].reshape(int(m.sum()), -1)

    def _run(self, X, first_batch_only):
        torch = _torch()
        model = self.model
        selected = self._selected
        modules = dict(model.named_modules())
        params = list(model.parameters())
        floats = [p for p in params if p.is_floating_point()]
        dtype = floats[0].dtype if floats else None
        home = params[0].device if params else torch.device("cpu")
        device = torch.device(self.device) if self.device is not None else home

        # Direct mode: when the number of samples is known, each hook copies its pooled
        # rows straight into the layer's final float32 array (one copy; also the copy that
        # protects the capture from later in-place ops).  Otherwise (DataLoaders, token
        # level, repeated="all") each call is copied and the copies concatenated.
        n_total = None if first_batch_only else _n_samples(X)
        direct = n_total is not None and self.pooling != "none" and self.repeated != "all"
        spill = None
        if direct and self.spill_dir is not None:
            os.makedirs(self.spill_dir, exist_ok=True)
            spill = tempfile.mkdtemp(prefix="activations_", dir=self.spill_dir)
        buffers = {}
        state = {"mask": None, "store": None, "offset": 0}
        handles = []

        def allocate(name, width):
            if spill is None:
                return np.empty((n_total, width), dtype=np.float32)
            safe = re.sub(r"[^A-Za-z0-9_.#-]", "_", name)
            path = os.path.join(spill, f"{len(buffers):03d}_{safe}.f32")
            return np.memmap(path, dtype=np.float32, mode="w+", shape=(n_total, width))

        def make_hook(name):
            def record(value):
                v = self._select(value, name)
                pooled = self._pool(v.detach(), state["mask"], name)
                calls = state["store"].setdefault(name, [])
                if not direct:
                    calls.append(pooled.detach().to("cpu", torch.float32, copy=True))
                    return
                calls.append(None)
                if self.repeated == "first" and len(calls) > 1:
                    return
                rows = pooled.reshape(pooled.shape[0], -1)
                buf = buffers.get(name)
                if buf is None:
                    buf = buffers[name] = allocate(name, int(rows.shape[1]))
                if rows.shape[1] != buf.shape[1]:
                    raise ValueError(
                        f"Layer {name!r} has different widths across batches "
                        f"({buf.shape[1]}, {rows.shape[1]}) (e.g. pooling='flatten' of "
                        "sequences of different lengths); use pooling='mean', 'last' or 'first'."
                    )
                off = state["offset"]
                torch.from_numpy(buf[off : off + rows.shape[0]]).copy_(rows)

            if self.capture == "input":
                def pre_hook(module, args):
                    if not args:
                        raise ValueError(f"Layer {name!r} was called without positional input.")
                    record(args)
                return pre_hook

            def hook(module, args, output):
                record(output)
            return hook

        training = {m: m.training for m in model.modules()}
        moved = device != home
        sinks = None
        warned = set()
        try:
            if moved:
                model.to(device)
            model.eval()
            for name in selected:
                mod = modules[name]
                if self.capture == "input":
                    handles.append(mod.register_forward_pre_hook(make_hook(name)))
                else:
                    handles.append(mod.register_forward_hook(make_hook(name)))
            order = None
            chunks = None
            sample_ids, position_ids = [], []
            offset = 0
            total = None if first_batch_only else self._n_batches(X)
            bar = progress(total=total, desc="activations",
                           enabled=self.progress and not first_batch_only)
            with torch.inference_mode(), bar:
                for args, kwargs, mask, n_b in self._batches(X, dtype, device):
                    state["mask"] = mask
                    state["store"] = {}
                    state["offset"] = offset
                    if direct and offset + n_b > n_total:
                        raise ValueError("The input yielded more samples than it holds.")
                    model(*args, **kwargs)
                    store = state["store"]
                    missing = [n for n in selected if n not in store]
                    if missing:
                        raise RuntimeError(
                            f"Layers {missing} did not run in the forward pass (modules that "
                            "are defined but not called cannot be captured)."
                        )
                    rows = {}
                    for name in selected:
                        calls = store[name]
                        if len(calls) == 1:
                            rows[name] = calls[0]
                            continue
                        if self.repeated == "error":
                            raise RuntimeError(
                                f"Layer {name!r} ran {len(calls)} times in one forward pass; "
                                "set repeated='last', 'first' or 'all'."
                            )
                        if self.repeated == "all":
                            for c, t in enumerate(calls):
                                rows[f"{name}#{c}"] = t
                            continue
                        if self.repeated == "warn" and name not in warned:
                            warned.add(name)
                            warnings.warn(
                                f"Layer {name!r} ran {len(calls)} times in one forward pass; "
                                "keeping the last call (repeated='all' keeps each).",
                                RuntimeWarning,
                                stacklevel=3,
                            )
                        rows[name] = calls[0] if self.repeated == "first" else calls[-1]
                    if order is None:
                        # execution order: first call of each module in this batch
                        first_seen = {name: _first_call_rank(name, store) for name in selected}
                        base = sorted(selected, key=lambda n: first_seen[n])
                        order = [k for b in base for k in rows if k == b or
                                 k.startswith(b + "#")]
                        if first_batch_only:
                            return order, [int(rows[k].shape[1]) for k in order]
                        fitted = getattr(self, "layer_names_", None)
                        if fitted is not None and list(fitted) != order:
                            raise ValueError(
                                f"The captured layers {order} differ from those seen in fit "
                                f"{list(fitted)}."
                            )
                        chunks = {k: [] for k in order}
                        if self.spill_dir is not None and not direct:
                            sinks = _Spill(self.spill_dir, order)
                    elif set(rows) != set(order):
                        raise RuntimeError(
                            f"Batch layers {sorted(rows)} differ from the first batch's {order} "
                            "(a module ran a different number of times)."
                        )
                    if not direct:
                        counts = {int(rows[k].shape[0]) for k in order}
                        if len(counts) != 1:
                            raise ValueError(
                                "The captured layers give different numbers of rows per batch "
                                f"({ {k: int(rows[k].shape[0]) for k in order} }); with "
                                "pooling='none' every layer must be token-level with the same "
                                "mask."
                            )
                        if self.pooling == "none":
                            s_ids, p_ids = _token_ids(mask, rows, order, n_b, offset)
                            sample_ids.append(s_ids)
                            position_ids.append(p_ids)
                        for k in order:
                            arr = rows[k].numpy()
                            if sinks is not None:
                                sinks.write(k, arr)
                            else:
                                chunks[k].append(arr)
                    offset += n_b
                    bar.update(1)
        finally:
            for h in handles:
                h.remove()
            for m, flag in training.items():
                m.training = flag
            if moved:
                model.to(home)
            state["store"] = None
            if sinks is not None:
                sinks.close()
        if direct:
            if offset != n_total:  # pragma: no cover - batches cover the input exactly
                raise RuntimeError(f"Captured {offset} of {n_total} samples.")
            arrays = []
            for k in order:
                buf = buffers[k]
                if isinstance(buf, np.memmap):
                    buf.flush()
                    buf = np.memmap(buf.filename, dtype=np.float32, mode="r", shape=buf.shape)
                arrays.append(buf)
        elif sinks is not None:
            arrays = sinks.finish()
        else:
            arrays = []
            for k in order:
                w = {c.shape[1] for c in chunks[k]}
                if len(w) != 1:
                    raise ValueError(
                        f"Layer {k!r} has different widths across batches {sorted(w)} (e.g. "
                        "pooling='flatten' of sequences of different lengths); use "
                        "pooling='mean', 'last' or 'first'."
                    )
                arrays.append(np.concatenate(chunks[k], axis=0))
        if self.pooling == "none":
            self.sample_ids_ = np.concatenate(sample_ids)
            self.position_ids_ = np.concatenate(position_ids)
        if len(arrays) == 1:
            return arrays[0]
        return LayeredData.from_arrays(arrays, list(order), kind="dict")


def _n_samples(X):
    """Number of samples of array, tensor and dict input (None for iterables of batches)."""
    if isinstance(X, Mapping):
        return len(next(iter(X.values())))
    if _is_batch_iterable(X):
        return None
    return len(X)


def _first_call_rank(name, store):
    # dicts keep insertion order: the store is filled in execution order
    keys = list(store)
    return keys.index(name)


def _token_ids(mask, rows, order, n_b, offset):
    """Sample and position of each token row of a batch (pooling='none')."""
    n_rows = int(rows[order[0]].shape[0])
    if mask is None:
        T = n_rows // n_b
        s = np.repeat(np.arange(n_b), T)
        p = np.tile(np.arange(T), n_b)
    else:
        m = mask.detach().to("cpu").numpy().astype(bool)
        s, p = np.nonzero(m)
    return s + offset, p


def _is_batch_iterable(X):
    """Iterables of batches (DataLoader, generators, ...) as opposed to array-likes."""
    if isinstance(X, (np.ndarray, list, tuple, str, bytes, Mapping)):
        return False
    if hasattr(X, "__array__") or hasattr(X, "shape"):
        return False
    return hasattr(X, "__iter__")


class _Spill:
    """Append each layer's float32 rows to a raw file; open them as memmaps at the end."""

    def __init__(self, root, names):
        os.makedirs(root, exist_ok=True)
        self.folder = tempfile.mkdtemp(prefix="activations_", dir=root)
        self.names = list(names)
        self.files = {}
        self.width = {}
        self.rows = dict.fromkeys(self.names, 0)
        for i, k in enumerate(self.names):
            safe = re.sub(r"[^A-Za-z0-9_.#-]", "_", k)
            path = os.path.join(self.folder, f"{i:03d}_{safe}.f32")
            self.files[k] = (path, open(path, "wb"))

    def write(self, k, arr):
        w = self.width.setdefault(k, arr.shape[1])
        if arr.shape[1] != w:
            self.close()
            raise ValueError(
                f"Layer {k!r} has different widths across batches ({w}, {arr.shape[1]})."
            )
        self.files[k][1].write(np.ascontiguousarray(arr, dtype=np.float32).tobytes())
        self.rows[k] += arr.shape[0]

    def close(self):
        for _, f in self.files.values():
            f.close()

    def finish(self):
        self.close()
        return [
            np.memmap(self.files[k][0], dtype=np.float32, mode="r",
                      shape=(self.rows[k], self.width[k]))
            for k in self.names
        ]
