"""Small neural networks on the autodiff engine: `Module`, `Linear`, `MLP`.

>>> import numpy as np
>>> net = MLP([2, 3, 1], activation="tanh", seed=0)
>>> net
MLP(2 → 3 → 1, activation=tanh, 13 parameters)
>>> loss = ((net(np.ones((4, 2))) - 1.0) ** 2).mean()
>>> loss.backward()
>>> [p.grad.shape for p in net.parameters()]
[(2, 3), (3,), (3, 1), (1,)]
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from calcml.autodiff import primitives as P
from calcml.autodiff.tensor import Tensor
from calcml.errors import CalcmlError, ShapeError

ACTIVATIONS: dict[str, Callable[[Any], Any]] = {
    "tanh": P.tanh,
    "relu": P.relu,
    "sigmoid": P.sigmoid,
    "softplus": P.softplus,
    "leaky_relu": P.leaky_relu,
    "identity": lambda x: x,
}


class Module:
    """A function with parameters. Subclasses set Tensor/Module attributes and define forward.

    `parameters()` finds every Tensor with ``requires_grad`` among the attributes (and inside
    sub-modules and lists of them), in the order they were set.
    """

    def forward(self, x: Any) -> Any:
        raise NotImplementedError

    def __call__(self, x: Any) -> Any:
        return self.forward(x)

    def named_parameters(self, prefix: str = "") -> Iterator[tuple[str, Tensor]]:
        """(dotted name, parameter) pairs, e.g. ``("layers.0.W", W)``."""
        for name, value in vars(self).items():
            yield from _named(f"{prefix}{name}", value)

    def parameters(self) -> list[Tensor]:
        """Every trainable tensor of this module and its sub-modules."""
        return [p for _, p in self.named_parameters()]

    def zero_grad(self) -> None:
        """Set every parameter's ``.grad`` to None (before the next backward)."""
        for p in self.parameters():
            p.grad = None

    def state_dict(self) -> dict[str, np.ndarray]:
        """Parameter values by name (copies)."""
        return {name: np.array(p.data, copy=True) for name, p in self.named_parameters()}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Set parameter values from `state_dict()` output; names and shapes must match."""
        params = dict(self.named_parameters())
        missing = sorted(set(params) - set(state))
        unexpected = sorted(set(state) - set(params))
        if missing or unexpected:
            raise CalcmlError(
                f"state dict does not match: missing {missing}, unexpected {unexpected}"
            )
        for name, p in params.items():
            value = np.asarray(state[name], dtype=p.dtype)
            if value.shape != p.shape:
                raise ShapeError(
                    f"{name}: saved shape {value.shape} but the parameter has {p.shape}"
                )
            p.data = value.copy()

    def save(self, path: str | Path) -> None:
        """Save the parameters to an ``.npz`` file."""
        np.savez(Path(path), **self.state_dict())  # type: ignore[arg-type]

    def load(self, path: str | Path) -> None:
        """Load parameters saved by `save`."""
        with np.load(Path(path)) as data:
            self.load_state_dict({k: data[k] for k in data.files})


def _named(name: str, value: Any) -> Iterator[tuple[str, Tensor]]:
    if isinstance(value, Tensor):
        if value.requires_grad:
            yield name, value
    elif isinstance(value, Module):
        yield from value.named_parameters(prefix=f"{name}.")
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from _named(f"{name}.{i}", item)


def xavier(fan_in: int, fan_out: int, rng: np.random.Generator) -> np.ndarray:
    """Glorot/Xavier uniform: U(±√(6/(fan_in + fan_out))), keeps tanh layers' variance."""
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=(fan_in, fan_out))


def he(fan_in: int, fan_out: int, rng: np.random.Generator) -> np.ndarray:
    """He/Kaiming normal: N(0, 2/fan_in), keeps ReLU layers' variance."""
    return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))


INITS = {"xavier": xavier, "he": he}


class Linear(Module):
    """``y = x @ W + b`` with W of shape (in, out), so a batch is a stack of rows.

    >>> Linear(3, 2, seed=0)(np.ones(3)).shape
    (2,)
    """

    def __init__(
        self,
        n_in: int,
        n_out: int,
        init: str = "xavier",
        seed: int | np.random.Generator | None = None,
        dtype: Any = np.float64,
    ) -> None:
        if init not in INITS:
            raise CalcmlError(f"unknown init {init!r}; choose one of {sorted(INITS)}")
        rng = np.random.default_rng(seed)
        self.W = Tensor(INITS[init](n_in, n_out, rng).astype(dtype), requires_grad=True, name="W")
        self.b = Tensor(np.zeros(n_out, dtype=dtype), requires_grad=True, name="b")

    def __repr__(self) -> str:
        return f"Linear({self.W.shape[0]} → {self.W.shape[1]})"

    def forward(self, x: Any) -> Any:
        n_in = self.W.shape[0]
        if np.shape(x)[-1:] != (n_in,):
            raise ShapeError(f"Linear expects inputs of shape (..., {n_in}), got {np.shape(x)}")
        return x @ self.W + self.b


class MLP(Module):
    """A multilayer perceptron: Linear layers with `activation` between them (not after the last).

    `sizes` lists the widths, input first: ``MLP([784, 256, 10])``. The default initialisation
    is He for relu-like activations and Xavier otherwise.
    """

    def __init__(
        self,
        sizes: Sequence[int],
        activation: str | Callable[[Any], Any] = "tanh",
        init: str | None = None,
        seed: int | None = 0,
        dtype: Any = np.float64,
    ) -> None:
        if len(sizes) < 2:
            raise CalcmlError("MLP needs at least an input and an output size")
        if isinstance(activation, str):
            if activation not in ACTIVATIONS:
                raise CalcmlError(
                    f"unknown activation {activation!r}; choose one of {sorted(ACTIVATIONS)}"
                )
            self.activation_name = activation
            self.activation = ACTIVATIONS[activation]
        else:
            self.activation_name = getattr(activation, "__name__", "custom")
            self.activation = activation
        if init is None:
            init = "he" if self.activation_name in ("relu", "leaky_relu") else "xavier"
        rng = np.random.default_rng(seed)
        self.layers = [
            Linear(a, b, init=init, seed=rng, dtype=dtype) for a, b in itertools.pairwise(sizes)
        ]
        for k, layer in enumerate(self.layers, start=1):
            layer.W.name, layer.b.name = f"W{k}", f"b{k}"  # as in the course: W1, b1, W2, ...

    def __repr__(self) -> str:
        sizes = [self.layers[0].W.shape[0]] + [layer.W.shape[1] for layer in self.layers]
        n = sum(p.size for p in self.parameters())
        return (
            f"MLP({' → '.join(map(str, sizes))}, activation={self.activation_name}, {n} parameters)"
        )

    def forward(self, x: Any) -> Any:
        for i, layer in enumerate(self.layers):
            x = layer(x)
            if i < len(self.layers) - 1:
                x = self.activation(x)
        return x
