"""How far can any router get on mmlu-pro with the 8 small experts?

Upper bounds that need no embedding, so they say something about every text-based router at once:

* category ceiling: the best expert per category chosen on the rows it is scored on (in-sample);
* privileged router: per-expert success predictors fed the true category AND the 0/1 correctness of every other
  model in the data (17 LLMs that are not experts) on that very question. No deployed router can know that; it
  carries question difficulty and "type" far better than any query embedding, so it bounds what per-question
  signal can add to the category.

Reported on the fixed train -> dev split and by 5-fold cross-validation over train+dev, with paired standard
errors against the best-per-category router (the issue's bar). Usage: routing_ceiling.py DATA_DIR
"""
import json
import sys

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold

EXPERTS = ["mathstral-7B", "Meta-Llama-3_1-8B-Instruct", "Phi-3-mini-4k-instruct", "Qwen1.5-7B-Chat",
           "Mistral-7B-Instruct-v0.2", "gemma-7b", "Yi-6b-Chat", "Meta-Llama-3-8B"]
C_GRID = [0.03, 0.1, 0.3, 1.0, 3.0]


def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def matrix(rows, models):
    return np.array([[r["scores"][m] for m in models] for r in rows], dtype=float)


def picked(y, choice):
    """Per-question 0/1 outcome of routing each question to expert choice[i]."""
    return y[np.arange(len(y)), choice]


def category_table(y_fit, cat_fit, n_cat):
    """Rows: category; columns: experts' mean score on it (global mean for a category absent from the fit)."""
    glob = y_fit.mean(0)
    return np.array([y_fit[cat_fit == k].mean(0) if (cat_fit == k).any() else glob for k in range(n_cat)])


def privileged_features(cat, others, n_cat):
    return np.hstack([np.eye(n_cat)[cat], others])


def fit_predictors(x, y, make):
    return [make().fit(x, y[:, j]) for j in range(y.shape[1])]


def route_predictors(models, x):
    return np.column_stack([m.predict_proba(x)[:, 1] for m in models]).argmax(1)


def choose_c(x, y):
    """L2 strength of the logistic predictors by 3-fold CV inside the fitting rows only (no peeking at the test)."""
    best, best_acc = None, -1.0
    for c in C_GRID:
        acc = []
        for a, b in KFold(3, shuffle=True, random_state=7).split(x):
            models = fit_predictors(x[a], y[a], lambda: LogisticRegression(C=c, max_iter=3000))
            acc.append(picked(y[b], route_predictors(models, x[b])).mean())
        if np.mean(acc) > best_acc:
            best, best_acc = c, float(np.mean(acc))
    return best


def evaluate(y_fit, cat_fit, oth_fit, y_test, cat_test, oth_test, n_cat, gbm=True):
    out = {}
    out["best single"] = picked(y_test, np.full(len(y_test), y_fit.mean(0).argmax()))
    out["best per category (bar)"] = picked(y_test, category_table(y_fit, cat_fit, n_cat)[cat_test].argmax(1))
    out["category ceiling (in-sample)"] = picked(y_test, category_table(y_test, cat_test, n_cat)[cat_test].argmax(1))
    x_fit = privileged_features(cat_fit, oth_fit, n_cat)
    x_test = privileged_features(cat_test, oth_test, n_cat)
    c = choose_c(x_fit, y_fit)
    models = fit_predictors(x_fit, y_fit, lambda: LogisticRegression(C=c, max_iter=3000))
    out[f"privileged logistic (C {c})"] = picked(y_test, route_predictors(models, x_test))
    if gbm:
        models = fit_predictors(x_fit, y_fit, lambda: HistGradientBoostingClassifier(
            max_iter=200, learning_rate=0.05, max_leaf_nodes=15, min_samples_leaf=40, random_state=0))
        out["privileged gradient boosting"] = picked(y_test, route_predictors(models, x_test))
    out["oracle"] = y_test.max(1)
    return out


def paired(a, b):
    d = a - b
    return d.mean(), d.std(ddof=1) / np.sqrt(len(d))


def main(data_dir):
    train, dev = load(f"{data_dir}/train.jsonl"), load(f"{data_dir}/dev.jsonl")
    every = train + dev
    # models scored on every question, minus the experts: the privileged information
    shared = set.intersection(*[set(r["scores"]) for r in every])
    others = sorted(shared - set(EXPERTS))
    cats = sorted({r["category"] for r in every})
    cat = np.array([cats.index(r["category"]) for r in every])
    y, oth = matrix(every, EXPERTS), matrix(every, others)
    n_tr = len(train)
    print(f"{len(train)} train, {len(dev)} dev questions; {len(EXPERTS)} experts; {len(others)} other models "
          f"as privileged features: {', '.join(others)}")

    print("\ntrain -> dev")
    res = evaluate(y[:n_tr], cat[:n_tr], oth[:n_tr], y[n_tr:], cat[n_tr:], oth[n_tr:], len(cats))
    bar = res["best per category (bar)"]
    for name, v in res.items():
        d, se = paired(v, bar)
        print(f"  {name:38s} {v.mean():.4f}   vs bar {d:+.4f} ± {se:.4f}")

    print("\n5-fold cross-validation over train+dev (mean of folds; folds)")
    folds = {}
    diffs = {}
    for a, b in KFold(5, shuffle=True, random_state=1).split(y):
        res = evaluate(y[a], cat[a], oth[a], y[b], cat[b], oth[b], len(cats), gbm=False)
        bar = res["best per category (bar)"]
        for name, v in res.items():
            key = name.split(" (C ")[0]
            folds.setdefault(key, []).append(v.mean())
            diffs.setdefault(key, []).append(v - bar)
    for name, accs in folds.items():
        d = np.concatenate(diffs[name])
        se = d.std(ddof=1) / np.sqrt(len(d))
        print(f"  {name:38s} {np.mean(accs):.4f}   vs bar {d.mean():+.4f} ± {se:.4f}   "
              f"folds {' '.join(f'{x:.3f}' for x in accs)}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/mmlu-pro")
