/// One bad input: the `xnn` command line, run in the fixture folder (BadInputFixtures), the exit
/// status it must end with and a part of the one `xnn: error:` line it must print.
struct BadInputCase {
    let name: String
    let arguments: [String]
    let status: Int32
    let message: String
    /// Text files written before the run (path → contents).
    var files: [String: String] = [:]
    /// Runs xnn with writes limited to this many kilobytes per file (a disk that fills up).
    var fileSizeLimitKB: Int?
}

extension BadInputCase {
    static let usage: Int32 = 64, failure: Int32 = 1

    /// `xnn train ok.yaml --quiet --out runs/bad` with `--set` overrides.
    static func train(_ overrides: String...) -> [String] {
        ["train", "ok.yaml", "--quiet", "--out", "runs/bad"] + overrides.flatMap { ["--set", $0] }
    }

    /// `xnn train FILE --quiet --out runs/bad` for a configuration file the case writes.
    static func trainFile(_ name: String) -> [String] { ["train", name, "--quiet", "--out", "runs/bad"] }

    static let deepFlow = "data:\n  file: d.h5\nmodel: " + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000) + "\n"
    static let deepBlock = "data:\n  file: d.h5\nx:\n" + String(repeating: "- ", count: 5000) + "1\n"
    /// "Billion laughs": nine lines of aliases to aliases that expand to 10⁹ values.
    static let aliasBomb = "l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n"
        + (1...8).map { i in "l\(i): &l\(i) [" + [String](repeating: "*l\(i - 1)", count: 10).joined(separator: ", ") + "]\n" }.joined()
    static let largeGrid = "base: ok.yaml\ngrid:\n" + (0..<10).map { "  training.lr_step_epochs.x\($0): [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n" }.joined()

    static let all: [BadInputCase] = commandLine + configuration + data + runFiles + sweeps + faults

    static let commandLine: [BadInputCase] = [
        .init(name: "no configuration", arguments: ["train"], status: usage, message: "give a configuration file, or --resume RUN to continue an interrupted run (see 'xnn train --help')"),
        .init(name: "unknown option", arguments: ["train", "ok.yaml", "--epochs", "3"], status: usage, message: "Unknown option '--epochs'"),
        .init(name: "unknown command", arguments: ["trian", "ok.yaml"], status: usage, message: "unexpected arguments: 'trian', 'ok.yaml'"),
        .init(name: "--set without a value", arguments: ["train", "ok.yaml", "--set"], status: usage, message: "Missing value for '--set <key.path=value>'"),
        .init(name: "evaluate without a run", arguments: ["evaluate"], status: usage, message: "Missing expected argument '<run>'"),
        .init(name: "non-numeric --jobs", arguments: ["sweep", "s.yaml", "--jobs", "many"], status: usage, message: "The value 'many' is invalid for '--jobs <jobs>'"),
        .init(name: "--threads 0", arguments: ["bench", "--threads", "0"], status: usage, message: "--threads must be positive, got 0"),
        .init(name: "--top 0", arguments: ["visualize", "run", "--out", "site", "--top", "0"], status: usage, message: "--top must be positive, got 0"),
        .init(name: "unknown heatmap method", arguments: ["visualize", "run", "--out", "site", "--method", "gradcam"], status: usage, message: "'grad-cam' and 'spatial'"),
        .init(name: "malformed --case", arguments: ["bench", "--case", "12:x:3"], status: usage, message: "--case expects D:widths:k"),
    ]

    static let configuration: [BadInputCase] = [
        .init(name: "missing config", arguments: trainFile("nope.yaml"), status: failure, message: "nope.yaml: configuration file not found"),
        .init(name: "directory as config", arguments: trainFile("folder"), status: failure, message: "folder: expected a configuration file, found a directory"),
        .init(name: "binary config", arguments: trainFile("binary.yaml"), status: failure, message: "binary.yaml: not valid YAML: cannot be read as UTF-8 text"),
        .init(name: "YAML syntax", arguments: trainFile("c.yaml"), status: failure, message: "c.yaml: not valid YAML:", files: ["c.yaml": "data: [d.h5\n"]),
        .init(name: "top-level list", arguments: trainFile("c.yaml"), status: failure, message: "c.yaml:1: (top level): expected a mapping of keys, found [a, b]",
              files: ["c.yaml": "- a\n- b\n"]),
        .init(name: "duplicate section", arguments: trainFile("c.yaml"), status: failure, message: "c.yaml:3: data: duplicate key (first at line 1)",
              files: ["c.yaml": "data:\n  file: d.h5\ndata:\n  file: other.h5\n"]),
        .init(name: "duplicate nested key", arguments: trainFile("c.yaml"), status: failure, message: "c.yaml:5: training.epochs: duplicate key (first at line 4)",
              files: ["c.yaml": "data:\n  file: d.h5\ntraining:\n  epochs: 1\n  epochs: 2\n"]),
        .init(name: "5000-deep flow nesting", arguments: trainFile("c.yaml"), status: failure, message: "c.yaml:3: expected mappings and lists nested at most 64 deep, found 5001 levels",
              files: ["c.yaml": deepFlow]),
        .init(name: "5000-deep block nesting", arguments: trainFile("c.yaml"), status: failure, message: "c.yaml:4: expected mappings and lists nested at most 64 deep, found 5001 levels",
              files: ["c.yaml": deepBlock]),
        .init(name: "5000-deep --set value", arguments: train("model.x=" + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)),
              status: failure, message: "expected keys and value nested at most 64 deep, found 5002 levels"),
        .init(name: "1 MB config", arguments: trainFile("c.yaml"), status: failure, message: "c.yaml: expected a configuration of at most 1 MB (1048576 bytes), found 1100021 bytes",
              files: ["c.yaml": "data:\n  file: d.h5\n#" + String(repeating: "x", count: 1_100_000) + "\n"]),
        .init(name: "alias bomb", arguments: trainFile("c.yaml"), status: failure,
              message: "c.yaml: expected at most 100000 keys and values (an alias counts each time it is used), found more",
              files: ["c.yaml": "data:\n  file: d.h5\n" + aliasBomb]),
        .init(name: "alias bomb in --set", arguments: train("model.x={" + aliasBomb.split(separator: "\n").joined(separator: ", ") + "}"), status: failure,
              message: "--set model.x: expected at most 100000 keys and values"),
        .init(name: "learning rate .inf", arguments: train("training.learning_rate=.inf"), status: failure, message: "training.learning_rate: expected a positive number, found '.inf'"),
        .init(name: "learning rate .nan", arguments: train("training.learning_rate=.nan"), status: failure, message: "training.learning_rate: expected a positive number, found '.nan'"),
        .init(name: "learning rate beyond Float", arguments: train("training.learning_rate=1e39"), status: failure, message: "training.learning_rate: expected a positive number, found '1e39'"),
        .init(name: "misspelled section", arguments: trainFile("c.yaml"), status: failure, message: "c.yaml: dat: unknown key; did you mean 'data'?",
              files: ["c.yaml": "dat:\n  file: d.h5\n"]),
        .init(name: "misspelled required key", arguments: trainFile("c.yaml"), status: failure, message: "c.yaml: data.fiel: unknown key; did you mean 'data.file'?",
              files: ["c.yaml": "data:\n  fiel: d.h5\n"]),
        .init(name: "misspelled optional key", arguments: train("training.epochz=3"), status: failure, message: "ok.yaml: training.epochz: unknown key; did you mean 'training.epochs'?"),
        .init(name: "no data section", arguments: trainFile("c.yaml"), status: failure, message: "c.yaml: data.file: missing; expected the path of an HDF5 activation file",
              files: ["c.yaml": "seed: 3\n"]),
        .init(name: "duplicate target column", arguments: train("data.target_columns=[1, 1]"), status: failure, message: "data.target_columns: expected each column once, found column 1 twice"),
        .init(name: "negative target column", arguments: train("data.target_columns=[-1]"), status: failure, message: "data.target_columns: expected a list of non-negative column indices, found [-1]"),
        .init(name: "negative batch size", arguments: train("training.batch_size=-3"), status: failure, message: "training.batch_size: expected a positive integer, found '-3'"),
        .init(name: "fractional epochs", arguments: train("training.epochs=2.5"), status: failure, message: "training.epochs: expected a positive integer, found '2.5'"),
        .init(name: "dropout 1.5", arguments: train("model.dropout=1.5"), status: failure, message: "model.dropout: expected a probability in [0, 1), found '1.5'"),
        .init(name: "no concepts", arguments: train("model.concepts=0"), status: failure, message: "model.concepts: expected an integer from 1 to 64, or auto, found '0'"),
        .init(name: "test fraction 1", arguments: train("data.test_fraction=1"), status: failure, message: "data.test_fraction: expected a number in [0, 1), found '1'"),
        .init(name: "unknown model kind", arguments: train("model.kind=vae"), status: failure, message: "model.kind: expected one of srae, autoencoder"),
        .init(name: "standardised input into ReLU", arguments: train("data.standardize_activations=true"), status: failure,
              message: "model.output_activation: expected linear (standardised activations are negative"),
        .init(name: "--set without =", arguments: train("training.epochs"), status: failure, message: "--set training.epochs: expected key.path=value"),
        .init(name: "--set empty key", arguments: train("training..epochs=2"), status: failure, message: "expected key.path=value with non-empty keys"),
        .init(name: "--set bad YAML", arguments: train("training.epochs=[1"), status: failure, message: "--set training.epochs=[1: value is not valid YAML"),
        .init(name: "--set under a string", arguments: train("data.file.x=1"), status: failure, message: "--set data.file.x=1: 'x' lies under a value that is not a mapping"),
    ]

    static let data: [BadInputCase] = [
        .init(name: "missing data file", arguments: train("data.file=nope.h5"), status: failure,
              message: "ok.yaml: data.file: expected an existing HDF5 file (a relative --set path is taken from the working directory), found 'nope.h5', which does not exist"),
        .init(name: "data file is text", arguments: train("data.file=text.h5"), status: failure, message: "text.h5: expected an HDF5 file, found something else"),
        .init(name: "data file is a folder", arguments: train("data.file=folder"), status: failure, message: "folder: expected an HDF5 file, found a directory"),
        .init(name: "truncated data file", arguments: train("data.file=truncated.h5"), status: failure,
              message: "truncated.h5: an HDF5 file that cannot be opened, truncated or corrupt (HDF5: truncated file: eof ="),
        .init(name: "missing dataset", arguments: train("data.activations=acts"), status: failure, message: "d.h5: dataset 'acts' not found (available: activations, acts_1d,"),
        .init(name: "NaN activation", arguments: train("data.activations=acts_nan"), status: failure, message: "dataset 'acts_nan': expected finite numbers, found nan at row 7, column 3"),
        .init(name: "infinite activation", arguments: train("data.activations=acts_inf"), status: failure, message: "dataset 'acts_inf': expected finite numbers, found inf at row 7, column 3"),
        .init(name: "1-D activations", arguments: train("data.activations=acts_1d"), status: failure,
              message: "dataset 'acts_1d': expected a 2-D array (samples × features) with at least one feature, found shape [60]"),
        .init(name: "activations with 0 columns", arguments: train("data.activations=acts_zero_columns"), status: failure,
              message: "dataset 'acts_zero_columns': expected a 2-D array (samples × features) with at least one feature, found shape [60, 0]"),
        .init(name: "targets with 0 columns", arguments: train("data.targets=logits_zero_columns"), status: failure,
              message: "dataset 'logits_zero_columns': expected a 1-D or 2-D array (samples × outputs) with at least one output, found shape [60, 0]"),
        .init(name: "fewer targets than rows", arguments: train("data.targets=logits_short"), status: failure,
              message: "dataset 'logits_short': expected 60 rows (one per row of 'activations'), found 50"),
        .init(name: "string targets", arguments: train("data.targets=class_names"), status: failure, message: "dataset 'class_names': expected numbers, found string"),
        .init(name: "target column out of range", arguments: train("data.target_columns=[5]"), status: failure,
              message: "data.target_columns names column 5, but it has 2 columns (0…1)"),
        .init(name: "constant target", arguments: train("data.targets=logits_constant"), status: failure,
              message: "dataset 'logits_constant': expected targets that vary over the training rows, found column 0 equal to 1.5 in all"),
        .init(name: "float test mask", arguments: train("data.test_mask=mask_float"), status: failure,
              message: "dataset 'mask_float': expected integers or booleans, one per row, found float32 values"),
        .init(name: "test mask of 0…3", arguments: train("data.test_mask=mask_values"), status: failure,
              message: "dataset 'mask_values': expected 0 (train) or 1 (test) in each row, found 2 at row 2"),
        .init(name: "test mask of zeros", arguments: train("data.test_mask=mask_zeros"), status: failure,
              message: "dataset 'mask_zeros': expected at least one test row (a 1), found 0 in all 60 rows"),
        .init(name: "test mask of ones", arguments: train("data.test_mask=mask_ones"), status: failure,
              message: "d.h5: expected training samples, found none (every row of 'mask_ones' is 1)"),
        .init(name: "short test mask", arguments: train("data.test_mask=mask_short"), status: failure,
              message: "dataset 'mask_short': expected 60 rows (one per row of 'activations'), found 59"),
        .init(name: "2-D test mask", arguments: train("data.test_mask=mask_2d"), status: failure,
              message: "dataset 'mask_2d': expected 60 rows (one per row of 'activations'), found 60"),
        .init(name: "float groups", arguments: train("data.groups=groups_float"), status: failure,
              message: "dataset 'groups_float': expected integers or booleans, one per row, found float32 values"),
        .init(name: "two rows", arguments: train("data.file=two.h5"), status: failure, message: "two.h5: expected at least 10 training rows, found 2"),
        .init(name: "twelve rows, split", arguments: train("data.file=twelve.h5"), status: failure,
              message: "twelve.h5: expected at least 10 training rows, found 9 (of 12 rows, 2 are test and 1 validation rows;"),
        .init(name: "batch of a million", arguments: train("training.batch_size=1000000"), status: failure,
              message: "training.batch_size: expected at most the 43 training rows of d.h5, found 1000000"),
        .init(name: "layer of 10⁸ units", arguments: train("model.hidden_widths=[100000000]"), status: failure,
              message: "model.hidden_widths: expected settings whose weights and buffers fit in this machine's"),
        .init(name: "layer of 10¹⁸ units", arguments: train("model.hidden_widths=[1000000000000000000]"), status: failure,
              message: "model.hidden_widths: expected settings whose weights and buffers fit in this machine's"),
        .init(name: "shuffle chunks of 10⁹ rows", arguments: train("training.shuffle=chunks", "training.shuffle_chunk_rows=1000000000"), status: failure,
              message: "training.shuffle_chunk_rows and training.shuffle_buffer_rows: expected settings whose weights and buffers fit"),
        .init(name: "activations × 1e30", arguments: train("data.activations=acts_huge"), status: failure,
              message: "training diverged in epoch 1 of attempt 1: the loss became inf; lower training.learning_rate (now 0.001) or set data.standardize_activations: true"),
        .init(name: "learning rate 1e6", arguments: train("training.learning_rate=1e6"), status: failure,
              message: "training diverged in epoch 1 of attempt 1:"),
        .init(name: "NMF of negative activations", arguments: train("data.activations=acts_negative", "model.kind=nmf"), status: failure,
              message: "model.kind nmf: expected non-negative activations, found -1.0 at row 0, column 0"),
    ]

    static let runFiles: [BadInputCase] = [
        .init(name: "evaluate a file", arguments: ["evaluate", "d.h5"], status: failure, message: "d.h5: expected a run directory from xnn train, found a file"),
        .init(name: "evaluate nothing", arguments: ["evaluate", "nowhere"], status: failure, message: "nowhere: expected a run directory from xnn train, no such directory"),
        .init(name: "evaluate a run without model", arguments: ["evaluate", "empty-run"], status: failure, message: "empty-run: expected a run directory from xnn train, it has no model.h5"),
        .init(name: "evaluate NaN weights", arguments: ["evaluate", "run-nan", "--out", "e.json"], status: failure,
              message: "run-nan/model.h5: expected an XNN model file, found nan in 'encoder/0/weight' at index 0"),
        .init(name: "visualize NaN weights", arguments: ["visualize", "run-nan", "--out", "site"], status: failure,
              message: "run-nan/model.h5: expected an XNN model file, found nan in 'encoder/0/weight' at index 0"),
        .init(name: "inspect NaN weights", arguments: ["inspect", "run-nan/model.h5"], status: failure,
              message: "run-nan/model.h5: expected an XNN model file, found nan in 'encoder/0/weight' at index 0"),
        .init(name: "compare NaN weights", arguments: ["compare", "run", "run-nan"], status: failure, message: "found nan in 'encoder/0/weight'"),
        .init(name: "model.h5 is no model", arguments: ["evaluate", "run-not-model", "--out", "e.json"], status: failure,
              message: "run-not-model/model.h5: expected an XNN model file, found no format = xnn-model attribute"),
        .init(name: "truncated model.h5", arguments: ["evaluate", "run-truncated", "--out", "e.json"], status: failure,
              message: "run-truncated/model.h5: an HDF5 file that cannot be opened, truncated or corrupt"),
        .init(name: "model of 0 concepts", arguments: ["evaluate", "run-no-concepts", "--out", "e.json"], status: failure,
              message: "run-no-concepts/model.h5: expected an XNN model file, found concepts = 0.0, expected a positive whole number"),
        .init(name: "model of 10¹² inputs", arguments: ["evaluate", "run-huge", "--out", "e.json"], status: failure,
              message: "run-huge/model.h5: expected an XNN model file, found attributes describing 8000000000020 weights but only"),
        .init(name: "model with dropout 5", arguments: ["inspect", "run-dropout/model.h5"], status: failure,
              message: "run-dropout/model.h5: expected an XNN model file, found hidden_widths = [8] and dropout = 5.0"),
        .init(name: "evaluate on other columns", arguments: ["evaluate", "run", "--data", "five-columns.h5", "--out", "e.json"], status: failure,
              message: "five-columns.h5: dataset 'activations': expected 6 columns, as the model was trained on, found shape [60, 5]"),
        .init(name: "inspect a missing file", arguments: ["inspect", "nothing.h5"], status: failure, message: "nothing.h5: file not found"),
        .init(name: "inspect a truncated file", arguments: ["inspect", "truncated.h5"], status: failure, message: "truncated.h5: an HDF5 file that cannot be opened, truncated or corrupt"),
        .init(name: "inspect a folder", arguments: ["inspect", "folder"], status: failure, message: "folder: expected an HDF5 file, found a directory"),
        .init(name: "train over a run", arguments: ["train", "ok.yaml", "--out", "run", "--quiet"], status: failure,
              message: "run: a run directory already exists there; pass --force to replace it"),
        .init(name: "--force over a foreign folder", arguments: ["train", "ok.yaml", "--out", "folder", "--force", "--quiet"], status: failure,
              message: "folder: --force replaces only folders xnn wrote"),
        .init(name: "visualize over a foreign folder", arguments: ["visualize", "run", "--out", "folder", "--force"], status: failure,
              message: "folder: --force replaces only folders xnn wrote"),
        .init(name: "evaluate over a report", arguments: ["evaluate", "run", "--out", "ok.yaml"], status: failure, message: "ok.yaml: cannot write: it exists; pass --force to replace it"),
    ]

    static let sweeps: [BadInputCase] = [
        .init(name: "grid of 10¹⁰ runs", arguments: ["sweep", "s.yaml"], status: failure,
              message: "s.yaml:3: grid: expected at most 10000 runs (the product of the lists' lengths), found 10000000000 runs", files: ["s.yaml": largeGrid]),
        .init(name: "misspelled grid key", arguments: ["sweep", "s.yaml"], status: failure, message: "s.yaml: grid.model.concept: unknown key; did you mean 'model.concepts'?",
              files: ["s.yaml": "base: ok.yaml\ngrid:\n  model.concept: [2]\n"]),
        .init(name: "bad grid value", arguments: ["sweep", "s.yaml"], status: failure, message: "s.yaml:4: grid.model.concepts: expected an integer from 1 to 64, or auto, found '0'",
              files: ["s.yaml": "base: ok.yaml\ngrid:\n  seed: [1]\n  model.concepts: [2, 0]\n"]),
        .init(name: "bad fixed setting", arguments: ["sweep", "s.yaml"], status: failure, message: "s.yaml:3: set.training.epochs: expected a positive integer, found '0'",
              files: ["s.yaml": "base: ok.yaml\nset:\n  training.epochs: 0\ngrid:\n  seed: [1]\n"]),
        .init(name: "sweep without base", arguments: ["sweep", "s.yaml"], status: failure, message: "s.yaml: base: missing",
              files: ["s.yaml": "grid:\n  seed: [1]\n"]),
        .init(name: "sweep with a missing base", arguments: ["sweep", "s.yaml"], status: failure, message: "nope.yaml: configuration file not found",
              files: ["s.yaml": "base: nope.yaml\ngrid:\n  seed: [1]\n"]),
        .init(name: "sweep with a duplicate key", arguments: ["sweep", "s.yaml"], status: failure, message: "s.yaml:4: grid.seed: duplicate key (first at line 3)",
              files: ["s.yaml": "base: ok.yaml\ngrid:\n  seed: [1]\n  seed: [2]\n"]),
        .init(name: "misspelled base", arguments: ["sweep", "s.yaml"], status: failure, message: "s.yaml: bsae: unknown key; did you mean 'base'?",
              files: ["s.yaml": "bsae: ok.yaml\ngrid:\n  seed: [1]\n"]),
        .init(name: "bad Slurm time limit", arguments: ["sweep", "s.yaml", "--slurm"], status: failure,
              message: "s.yaml:3: slurm.time: expected a Slurm time limit: MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS, found '1 hour'",
              files: ["s.yaml": "base: ok.yaml\nslurm:\n  time: 1 hour\ngrid:\n  seed: [1]\n"]),
        .init(name: "--index past the plan", arguments: ["sweep", "s.yaml", "--index", "1"], status: failure,
              message: "s.yaml: --index: expected a point of the plan, 0 to 0 (xnn sweep s.yaml --plan lists them), found 1",
              files: ["s.yaml": "base: ok.yaml\ngrid:\n  seed: [1]\n"]),
        .init(name: "--index with --collect", arguments: ["sweep", "s.yaml", "--index", "0", "--collect"], status: usage,
              message: "choose one of --plan, --index, --collect and --slurm"),
        .init(name: "--submit without --slurm", arguments: ["sweep", "s.yaml", "--submit"], status: usage,
              message: "--only-missing, --submit, --time, --memory, --cpus-per-task and --partition go with --slurm"),
    ]

    static let faults: [BadInputCase] = [
        .init(name: "disk full while writing model.h5", arguments: trainFile("wide.yaml"), status: failure,
              message: "model.h5: HDF5 failed to write dataset 'encoder/0/weight'",
              files: ["wide.yaml": "data:\n  file: wide.h5\nmodel:\n  hidden_widths: [400]\n  concepts: 2\ntraining:\n  epochs: 1\n  batch_size: 8\n  acceptance:\n    enabled: false\n"],
              fileSizeLimitKB: 100),
        .init(name: "run folder under a file", arguments: ["train", "ok.yaml", "--out", "ok.yaml/run", "--quiet"], status: failure, message: "ok.yaml is a file, not a folder"),
    ]
}
