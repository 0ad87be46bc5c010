"""Shared helpers of the quality benchmark's data scripts (scripts/make_planted_data.py and
scripts/make_crops_data.py): writing an activation file in the layout of docs/data-format.md under
a temporary name renamed into place, refusing to overwrite without --force, and the ridge sanity
check (held-out R² of each logit regressed on z).

Not run on its own; the two scripts import it from their own folder.
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from extract_activations import refuse_existing, renamed_into_place  # noqa: E402,F401  (one refusal for every script; re-exported)

FORMAT_ATTRIBUTES = {"format": "xnn-activations", "format_version": 1}


def add_output_arguments(add, test_fraction_help):
    """The arguments every data script takes: the held-out share, the seed, the file and --force."""
    add("--test-fraction", type=float, default=0.2, help=test_fraction_help)
    add("--seed", type=int, default=0, help="random seed [0]")
    add("--out", required=True, help="output HDF5 file")
    add("--force", action="store_true", help="overwrite --out if it exists")


def write_activation_file(path, force, datasets, attributes, options=None):
    """Write `datasets` (name -> array, or list of str for UTF-8 strings) and root `attributes`
    under a temporary name renamed to `path` (renamed_into_place). `options` maps a dataset name to extra
    keyword arguments of create_dataset (chunks, compression, attrs under key "attrs")."""
    import h5py

    refuse_existing(path, force)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    options = options or {}
    with renamed_into_place(path) as temporary:
        with h5py.File(temporary, "w", track_order=True) as handle:
            for name, value in datasets.items():
                extra = dict(options.get(name, {}))
                dataset_attributes = extra.pop("attrs", {})
                if isinstance(value, list) and value and isinstance(value[0], str):
                    dataset = handle.create_dataset(name, data=value, dtype=h5py.string_dtype(), **extra)
                else:
                    dataset = handle.create_dataset(name, data=np.asarray(value), **extra)
                dataset.attrs.update(dataset_attributes)
            handle.attrs.update({**FORMAT_ATTRIBUTES, **attributes})
        refuse_existing(path, force)  # appeared while we were writing


def ridge_r2(z, y, train, test, alphas=np.logspace(-4, 4, 17)):
    """Per-column R² (train, test) of ridge regression of y on standardised z, each column's ridge
    strength chosen by leave-one-out on the training rows (scikit-learn RidgeCV). Returns two
    arrays and the chosen alphas."""
    from sklearn.linear_model import RidgeCV
    from sklearn.metrics import r2_score

    z = np.asarray(z, np.float64)
    y = np.asarray(y, np.float64).reshape(len(z), -1)
    mean, scale = z[train].mean(0), z[train].std(0)
    scale[scale == 0] = 1.0
    zs = (z - mean) / scale
    model = RidgeCV(alphas=alphas, alpha_per_target=True).fit(zs[train], y[train])
    train_r2 = r2_score(y[train], model.predict(zs[train]).reshape(-1, y.shape[1]), multioutput="raw_values")
    test_r2 = r2_score(y[test], model.predict(zs[test]).reshape(-1, y.shape[1]), multioutput="raw_values")
    return train_r2, test_r2, np.atleast_1d(model.alpha_)


def print_ridge(label, names, train_r2, test_r2, alphas):
    """One sanity line per logit, then the mean when there are several."""
    for name, a, b, alpha in zip(names, train_r2, test_r2, alphas):
        print(f"ridge R² {label} {name}: train {a:.6f}  test {b:.6f}  (alpha {alpha:g})")
    if len(names) > 1:
        print(f"ridge R² {label} mean of {len(names)}: train {np.mean(train_r2):.6f}  test {np.mean(test_r2):.6f}")
