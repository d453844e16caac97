"""`MLPClassifier`: a small neural network trained by backpropagation on `calcml.autodiff`.

Forward: logits = MLP(x) (Linear layers with an activation between them); loss = mean softmax
cross-entropy (+ (l2/2)·‖W‖²). Backward: `loss.backward()` sends ∂loss/∂(every weight) back
through the layers by the chain rule; Adam (or plain gradient descent) then updates the weights.

>>> from calcml.ml.datasets import make_moons
>>> data = make_moons(200, noise=0.1, seed=0)
>>> model = MLPClassifier(hidden=(16, 16), epochs=300, seed=0).fit(data.X, data.y)
>>> bool(model.score(data.X, data.y) > 0.95)
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from calcml.errors import CalcmlError
from calcml.ml.base import Array, Classifier, Scaler, check_hyper, is_whole, softmax
from calcml.ml.datasets import check_Xy
from calcml.ml.report import ModelReport
from calcml.optim.formatting import num
from calcml.optim.progress import progress_bar
from calcml.optim.updates import adam_step, momentum_step


class MLPClassifier(Classifier):
    """A multilayer perceptron classifier (softmax output), trained full-batch or in mini-batches.

    `optimizer` is "adam" (default) or "gd" (plain gradient descent, optional `momentum`).
    `hidden` is one layer size or a sequence of them; `batch_size` None means full batch;
    `l2` adds (l2/2)·‖W‖² on the weight matrices; training stops early once an epoch's mean loss
    falls below `tol`. Features are standardised internally. `loss_history_` holds the mean loss
    of every epoch (measured during the epoch, as the weights changed).
    """

    hidden: int | Sequence[int]
    activation: str
    lr: float
    epochs: int
    batch_size: int | None
    optimizer: str
    momentum: float
    l2: float
    seed: int
    tol: float
    progress: bool

    def __init__(
        self,
        hidden: int | Sequence[int] = (16, 16),
        activation: str = "tanh",
        lr: float = 0.01,
        epochs: int = 500,
        batch_size: int | None = None,
        optimizer: str = "adam",
        momentum: float = 0.0,
        l2: float = 0.0,
        seed: int = 0,
        tol: float = 1e-7,
        progress: bool = False,
    ) -> None:
        check_hyper(lr=lr, l2=l2, max_steps=epochs, tol=tol, name="epochs")
        if optimizer not in ("adam", "gd"):
            raise CalcmlError(f"optimizer must be 'adam' or 'gd', got {optimizer!r}")
        if not 0 <= momentum < 1:
            raise CalcmlError(f"momentum must be in [0, 1), got {momentum}")
        if batch_size is not None and not (is_whole(batch_size) and batch_size >= 1):
            raise CalcmlError(f"batch_size must be a whole number ≥ 1 (or None), got {batch_size}")
        sizes = [hidden] if isinstance(hidden, int) else list(hidden)
        if not all(is_whole(h) and h >= 1 for h in sizes):
            raise CalcmlError(f"hidden layer sizes must be positive whole numbers, got {sizes}")
        self._store(locals())  # every argument as given (scikit-learn's clone checks that)
        self._layer_sizes = tuple(int(h) for h in sizes)

    def fit(self, X: Any, y: Any) -> MLPClassifier:
        """Train on features X (n × d) and labels y (n,); returns self."""
        from calcml import autodiff as ad

        Xa, ya = check_Xy(X, y)
        assert ya is not None
        labels, k = self._encode(ya)
        n, d = Xa.shape
        self.n_features_in_ = d
        self.scaler_ = Scaler(Xa)
        Xs = self.scaler_.transform(Xa)
        onehot = np.eye(k)[labels]
        sizes = [d, *self._layer_sizes, k]
        self.net_ = ad.nn.MLP(sizes, activation=self.activation, seed=self.seed)
        params = self.net_.parameters()
        state = [(np.zeros_like(p.data), np.zeros_like(p.data)) for p in params]
        rng = np.random.default_rng(self.seed)
        batch = n if self.batch_size is None else max(1, min(int(self.batch_size), n))
        self.loss_history_: list[float] = []
        self.stopped_early_ = False
        t = 0
        with progress_bar(self.epochs, "training", self.progress) as tick:
            for epoch in range(1, self.epochs + 1):
                order = rng.permutation(n) if batch < n else np.arange(n)
                total = 0.0
                for start in range(0, n, batch):
                    idx = order[start : start + batch]
                    t += 1
                    loss = self._loss(Xs[idx], onehot[idx])
                    self.net_.zero_grad()
                    loss.backward()
                    self._update(params, state, t)
                    total += float(loss.item()) * len(idx)
                self.loss_history_.append(total / n)
                last = self.loss_history_[-1]
                if not np.isfinite(last) or last > 1e3 * max(self.loss_history_[0], 1.0):
                    raise CalcmlError(
                        f"training diverged at epoch {epoch} (the loss became "
                        f"{self.loss_history_[-1]}); lower the learning rate {self.lr}"
                    )
                if epoch % 10 == 0:
                    tick(epoch, f"loss {self.loss_history_[-1]:.4f}")
                if self.loss_history_[-1] < self.tol:
                    self.stopped_early_ = True
                    break
        self.n_iter_ = len(self.loss_history_)
        return self

    def _loss(self, X: Array, Y: Array) -> Any:
        logits = self.net_(X)
        loss = (logits.logsumexp(axis=1) - (logits * Y).sum(axis=1)).mean()
        if self.l2:
            for layer in self.net_.layers:
                loss = loss + (layer.W * layer.W).sum() * (0.5 * self.l2)
        return loss

    def _update(self, params: list[Any], state: list[tuple[Array, Array]], t: int) -> None:
        for p, (m, v) in zip(params, state, strict=True):
            g = np.asarray(p.grad, dtype=np.float64)
            if self.optimizer == "adam":
                step = adam_step(m, v, g, t, self.lr)
            else:
                step = momentum_step(m, g, self.lr, self.momentum)
            p.data = p.data + step

    def predict_proba(self, X: Any) -> Array:
        """Class probabilities: softmax of the network's logits, shape (n, K)."""
        from calcml import autodiff as ad

        Xa = self._check_fitted(X)
        with ad.no_grad():
            logits = np.asarray(self.net_(self.scaler_.transform(Xa)).data, dtype=np.float64)
        return softmax(logits)

    @property
    def n_parameters_(self) -> int:
        """How many weights and biases the network has."""
        self._require_fitted()
        return int(sum(p.size for p in self.net_.parameters()))

    def report(self, X: Any = None, y: Any = None) -> ModelReport:
        """Architecture, training curve and accuracy, with backprop in words."""
        self._require_fitted()
        sizes = [self.n_features_in_, *self._layer_sizes, len(self.classes_)]
        facts: dict[str, Any] = {
            "architecture": " → ".join(str(s) for s in sizes) + f" ({self.activation})",
            "parameters": self.n_parameters_,
            "optimizer": f"{self.optimizer}, lr {self.lr:g}, {self.n_iter_} epochs",
            "classes": [str(c) for c in self.classes_],
        }
        metrics = {"final loss": self.loss_history_[-1]}
        if X is not None and y is not None:
            metrics["training accuracy"] = self.score(X, y)
        words = (
            f"Each epoch runs the data forward through {len(sizes) - 1} layers to softmax "
            "probabilities, measures the cross-entropy, and backpropagates: the chain rule carries "
            "∂loss/∂logits = softmax − onehot back through every layer to all "
            f"{self.n_parameters_} weights at once. The loss fell from "
            f"{num(self.loss_history_[0])} to {num(self.loss_history_[-1])}."
        )
        return ModelReport(
            "MLP classifier", facts, metrics, self.loss_history_, words, history_unit="epochs"
        )
