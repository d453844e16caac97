"""≥ 50 vector/matrix expressions from ML: (name, f, wrt, shapes, kind). Each is derived and checked
numerically by the tests (`test_corpus.py`) and timed by `benchmarks/bench_matrix.py`."""

from __future__ import annotations

LIN = "X: n×d, w: d, y: n"
LIN_B = "X: n x d, w: d, y: n, b: scalar"
RIDGE = "X: (n, d), w: (d,), y: (n,), λ: scalar"
SOFT = "X: n×d, W: k×d, Y: n×k one-hot"
SOFT1 = "W: k×d, x: d, b: k, t: k one-hot"
DENSE = "W: m×n, x: n, b: m, y: m"
MLP = "W1: h×d, b1: h, W2: k×h, b2: k, x: d, y: k"
MLPB = "X: n×d, W1: h×d, b1: h, W2: k×h, b2: k, Y: n×k"
ATT = "Q: n×d, K: m×d, V: m×p, C: n×p"
QUAD = "A: d×d, x: d, b: d, c: scalar"
MAHA = "x: d, μ: d, S: d×d"

CORPUS: list[tuple[str, str, str, str, str]] = [
    # linear regression
    ("least squares", "norm(X w - y)^2", "w", LIN, "gradient"),
    ("least squares (ᵀ form)", "(X w - y)^T (X w - y)", "w", LIN, "gradient"),
    ("mean squared error", "norm(X w - y)^2 / n", "w", LIN, "gradient"),
    ("MSE as mean", "mean((X w - y) .* (X w - y))", "w", LIN, "gradient"),
    ("half MSE with bias", "norm(X w + b - y)^2 / (2 n)", "w", LIN_B, "gradient"),
    ("half MSE w.r.t. bias", "norm(X w + b - y)^2 / (2 n)", "b", LIN_B, "gradient"),
    ("least squares w.r.t. X", "‖Xw − y‖²", "X", LIN, "gradient"),
    ("least squares w.r.t. y", "‖Xw − y‖²", "y", LIN, "gradient"),
    ("least squares Hessian", "norm(X w - y)^2", "w", LIN, "hessian"),
    # ridge, lasso-smooth, elastic net
    ("ridge", "norm(X w - y)^2 + λ norm(w)^2", "w", RIDGE, "gradient"),
    ("ridge (ᵀ form)", "(X w - y)^T (X w - y) + λ w^T w", "w", RIDGE, "gradient"),
    ("ridge Hessian", "norm(X w - y)^2 + λ norm(w)^2", "w", RIDGE, "hessian"),
    ("ridge w.r.t. λ", "norm(X w - y)^2 + λ norm(w)^2", "λ", RIDGE, "gradient"),
    ("smooth lasso", "norm(X w - y)^2 / 2 + λ sum(sqrt(w .* w + 1/100))", "w", RIDGE, "gradient"),
    (
        "smooth lasso (softplus)",
        "‖Xw − y‖²/2 + λ·sum(softplus(w) + softplus(-w))",
        "w",
        RIDGE,
        "gradient",
    ),
    # logistic regression
    (
        "logistic loss",
        "-mean(y .* log(sigmoid(X w)) + (1 - y) .* log(1 - sigmoid(X w)))",
        "w",
        LIN,
        "gradient",
    ),
    (
        "logistic loss (sum)",
        "-(y^T log(sigmoid(X w)) + (1 - y)^T log(1 - sigmoid(X w)))",
        "w",
        LIN,
        "gradient",
    ),
    ("logistic ±1 labels", "sum(log(1 + exp(-y .* (X w)))) / n", "w", LIN, "gradient"),
    ("logistic softplus form", "sum(softplus(X w) - y .* (X w)) / n", "w", LIN, "gradient"),
    (
        "logistic Hessian",
        "-mean(y .* log(sigmoid(X w)) + (1 - y) .* log(1 - sigmoid(X w)))",
        "w",
        LIN,
        "hessian",
    ),
    (
        "regularised logistic",
        "-mean(y .* log(sigmoid(X w)) + (1 - y) .* log(1 - sigmoid(X w))) + λ/2 norm(w)^2",
        "w",
        RIDGE,
        "gradient",
    ),
    # softmax regression
    ("softmax regression", "-sum(Y .* log(softmax(X W^T))) / n", "W", SOFT, "gradient"),
    ("softmax regression (one example)", "-t^T log(softmax(W x + b))", "W", SOFT1, "gradient"),
    ("softmax regression bias", "-t^T log(softmax(W x + b))", "b", SOFT1, "gradient"),
    ("softmax regression w.r.t. x", "-t^T log(softmax(W x + b))", "x", SOFT1, "gradient"),
    ("log-sum-exp cross-entropy", "logsumexp(W x + b) - t^T (W x + b)", "W", SOFT1, "gradient"),
    # log-sum-exp
    ("log-sum-exp", "logsumexp(z)", "z", "z: n", "gradient"),
    ("log-sum-exp Hessian", "logsumexp(z)", "z", "z: n", "hessian"),
    ("log-sum-exp of a linear map", "logsumexp(X w)", "w", LIN, "gradient"),
    ("log-sum-exp of rows", "sum(logsumexp(X W^T))", "W", SOFT, "gradient"),
    # dense layer
    ("dense layer squared error", "norm(sigmoid(W x + b) - y)^2", "W", DENSE, "gradient"),
    ("dense layer w.r.t. b", "norm(sigmoid(W x + b) - y)^2", "b", DENSE, "gradient"),
    ("dense layer w.r.t. x", "norm(sigmoid(W x + b) - y)^2", "x", DENSE, "gradient"),
    ("tanh layer", "norm(tanh(W x + b) - y)^2 / 2", "W", DENSE, "gradient"),
    ("ReLU layer", "norm(relu(W x + b) - y)^2 / 2", "W", DENSE, "gradient"),
    ("dense layer Jacobian", "sigmoid(W x + b)", "x", DENSE, "jacobian"),
    ("sigmoid Jacobian", "sigmoid(z)", "z", "z: n", "jacobian"),
    ("softmax Jacobian", "softmax(z)", "z", "z: n", "jacobian"),
    ("linear map Jacobian", "W x + b", "x", DENSE, "jacobian"),
    ("exp layer Jacobian", "exp(W x) .* x", "x", "W: n×n, x: n", "jacobian"),
    # two-layer MLP, each parameter
    ("MLP w.r.t. W1", "norm(W2 sigmoid(W1 x + b1) + b2 - y)^2 / 2", "W1", MLP, "gradient"),
    ("MLP w.r.t. b1", "norm(W2 sigmoid(W1 x + b1) + b2 - y)^2 / 2", "b1", MLP, "gradient"),
    ("MLP w.r.t. W2", "norm(W2 sigmoid(W1 x + b1) + b2 - y)^2 / 2", "W2", MLP, "gradient"),
    ("MLP w.r.t. b2", "norm(W2 sigmoid(W1 x + b1) + b2 - y)^2 / 2", "b2", MLP, "gradient"),
    ("MLP w.r.t. x", "norm(W2 sigmoid(W1 x + b1) + b2 - y)^2 / 2", "x", MLP, "gradient"),
    ("tanh MLP w.r.t. W1", "norm(W2 tanh(W1 x + b1) + b2 - y)^2 / 2", "W1", MLP, "gradient"),
    ("batched MLP w.r.t. W1", "norm(tanh(X W1^T) W2^T - Y)^2 / (2 n)", "W1", MLPB, "gradient"),
    ("batched MLP w.r.t. W2", "norm(tanh(X W1^T) W2^T - Y)^2 / (2 n)", "W2", MLPB, "gradient"),
    (
        "MLP softmax output",
        "-y^T log(softmax(W2 relu(W1 x + b1) + b2))",
        "W2",
        MLP + " one-hot",
        "gradient",
    ),
    # attention
    ("attention scores w.r.t. Q", "norm(softmax(Q K^T / sqrt(d)) V - C)^2", "Q", ATT, "gradient"),
    ("attention scores w.r.t. K", "norm(softmax(Q K^T / sqrt(d)) V - C)^2", "K", ATT, "gradient"),
    ("attention w.r.t. V", "norm(softmax(Q K^T / sqrt(d)) V - C)^2", "V", ATT, "gradient"),
    # quadratic forms
    ("quadratic form", "x^T A x", "x", QUAD, "gradient"),
    ("quadratic form Hessian", "x^T A x", "x", QUAD, "hessian"),
    ("quadratic with linear term", "x^T A x / 2 - b^T x + c", "x", QUAD, "gradient"),
    ("quadratic form w.r.t. A", "x^T A x", "A", QUAD, "gradient"),
    ("inner product", "b^T x", "x", QUAD, "gradient"),
    ("inner product (dot)", "dot(b, x)", "b", QUAD, "gradient"),
    # Mahalanobis, Rayleigh, log det, trace
    ("Mahalanobis distance", "(x - μ)^T inv(S) (x - μ)", "x", MAHA, "gradient"),
    ("Mahalanobis w.r.t. μ", "(x - μ)^T inv(S) (x - μ)", "μ", MAHA, "gradient"),
    ("Mahalanobis w.r.t. S", "(x - μ)^T inv(S) (x - μ)", "S", MAHA, "gradient"),
    ("Gaussian log-likelihood", "log det(S) + (x - μ)^T inv(S) (x - μ)", "S", MAHA, "gradient"),
    ("log det", "log det(A)", "A", QUAD, "gradient"),
    ("Rayleigh quotient", "x^T A x / (x^T x)", "x", QUAD, "gradient"),
    ("PCA Lagrangian", "x^T A x - c (x^T x - 1)", "x", QUAD, "gradient"),
    ("trace of AᵀA", "tr(A^T A)", "A", QUAD, "gradient"),
    ("Frobenius norm", "‖A‖_F²", "A", QUAD, "gradient"),
    ("trace of a product", "trace(W^T X^T X W)", "W", "X: n×d, W: d×k", "gradient"),
    ("diag of a vector", "b^T diag(x) b", "x", QUAD, "gradient"),
    ("norm (not squared)", "norm(X w - y)", "w", LIN, "gradient"),
    ("1ᵀ sum", "1ᵀ exp(X w)", "w", LIN, "gradient"),
    (
        "weighted least squares",
        "(X w - y)^T diag(b) (X w - y)",
        "w",
        "X: n×d, w: d, y: n, b: n",
        "gradient",
    ),
]
