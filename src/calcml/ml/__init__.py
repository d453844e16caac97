"""calcml.ml: losses, regularization, linear & logistic regression, an MLP classifier, PCA and
datasets — scikit-learn's fit/predict/score style, every model explainable.

>>> from calcml import ml
>>> data = ml.load_iris()
>>> ml.PCA(2).fit(data.X).explained_variance_ratio_.round(2).tolist()
[0.92, 0.05]
"""

from __future__ import annotations

from calcml.ml.datasets import (
    DATASETS,
    Dataset,
    load,
    load_iris,
    make_blobs,
    make_linear,
    make_moons,
    make_spiral,
)
from calcml.ml.example import WorkedExample, linear_regression_example
from calcml.ml.linear import LinearRegression
from calcml.ml.logistic import LogisticRegression
from calcml.ml.losses import (
    LOSSES,
    Loss,
    bce_with_logits,
    binary_cross_entropy,
    hinge,
    mse,
    softmax_cross_entropy,
)
from calcml.ml.mlp import MLPClassifier
from calcml.ml.pca import PCA
from calcml.ml.regularization import L1, L2
from calcml.ml.report import ModelReport

__all__ = [
    "DATASETS",
    "L1",
    "L2",
    "LOSSES",
    "PCA",
    "Dataset",
    "LinearRegression",
    "LogisticRegression",
    "Loss",
    "MLPClassifier",
    "ModelReport",
    "WorkedExample",
    "bce_with_logits",
    "binary_cross_entropy",
    "hinge",
    "linear_regression_example",
    "load",
    "load_iris",
    "make_blobs",
    "make_linear",
    "make_moons",
    "make_spiral",
    "mse",
    "softmax_cross_entropy",
]
