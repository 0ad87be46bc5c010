import ArgumentParser
import Foundation
import XNNBenchmark
import XNNRuns

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time the engine's training step and inference against the peak at the step's shapes and the PyTorch and JAX peers on the same data.",
        discussion: """
            Default cases: D=4096 800/100 k=5, D=1280 800/100 k=5 and D=64 64/32 k=5, each at batch 50 and 256.
            The peers (scripts/torch_reference.py, scripts/jax_reference.py) run with .venv/bin/python when it exists
            (bash scripts/python_env.sh --peers makes it), else python3, or --python; a peer whose framework is not
            importable is skipped with the reason. Prints a table; --json also writes every figure (docs/performance.md).
            """)

    @Option(name: .long, help: ArgumentHelp("A case instead of the defaults, as D:widths:k (e.g. 1280:800,100:5); repeatable.", valueName: "case"))
    var `case`: [String] = []

    @Option(name: .long, parsing: .upToNextOption, help: "Batch sizes.")
    var batch: [Int] = [50, 256]

    @Option(name: .long, help: "BLAS and worker threads.")
    var threads = 2

    @Option(name: .long, help: "Rows of synthetic data per case (default: about one second of training per epoch).")
    var samples: Int?

    @Option(name: .long, help: "Timed epochs per measurement, after one warm-up epoch.")
    var epochs = 2

    @Option(name: .long, help: ArgumentHelp(
        "Measure the engine and the peers this many times per case, alternately.",
        discussion: "The table then gives each one's median round and, as engine/peer, the median of the rounds' ratios, "
            + "with every round listed below it: on a shared machine timings move by 10–30 % from run to run "
            + "(docs/performance.md)."))
    var rounds = 1

    @Flag(name: .long, help: "Skip the PyTorch peer.")
    var noTorch = false

    @Option(name: .long, help: "The PyTorch peer script.")
    var torchScript = "scripts/torch_reference.py"

    @Flag(name: .long, help: "Skip the JAX peer.")
    var noJax = false

    @Option(name: .long, help: "The JAX peer script.")
    var jaxScript = "scripts/jax_reference.py"

    @Option(name: .long, help: "The Python that runs the peers (default: .venv/bin/python beside the scripts' folder when it exists, else python3).")
    var python: String?

    @Option(name: .long, help: "Rows of the generated file on which a whole xnn train (default recipe, 2 epochs per fit) is timed phase by phase (first case's shape, first batch size); 0 skips it.")
    var overheadRows = 4_000

    @Option(name: .long, help: "Rows of the generated file for the streaming case (D=1280 800/100 k=5 at the largest batch; the budget is a 4.5th of the file); 0 skips it.")
    var streamingRows = 60_000

    @Option(name: .long, help: "Keep the streaming case's generated file at this path (to rerun it with xnn train).")
    var streamingFile: String?

    @Option(name: .long, help: "Write the report as JSON to this file.")
    var json: String?

    @OptionGroup var replace: ReplaceOption

    func validate() throws {
        guard threads > 0 else { throw ValidationError("--threads must be positive, got \(threads)") }
        guard epochs > 0 else { throw ValidationError("--epochs must be positive, got \(epochs)") }
        guard rounds > 0 else { throw ValidationError("--rounds must be positive, got \(rounds)") }
        guard batch.allSatisfy({ $0 > 0 }), !batch.isEmpty else { throw ValidationError("--batch needs positive sizes, got \(batch)") }
        if let samples, samples < 2 { throw ValidationError("--samples must be at least 2, got \(samples)") }
        guard streamingRows >= 0 else { throw ValidationError("--streaming-rows must be non-negative, got \(streamingRows)") }
        guard overheadRows == 0 || overheadRows >= 100 else { throw ValidationError("--overhead-rows must be 0 or at least 100, got \(overheadRows)") }
        if let streamingFile, FileManager.default.fileExists(atPath: streamingFile), !replace.force {
            throw ValidationError("--streaming-file \(streamingFile) exists; pass --force to replace it")
        }
        _ = try cases()
    }

    func cases() throws -> [BenchmarkCase] {
        guard !`case`.isEmpty else {
            return BenchmarkCase.standardCases(batchSizes: batch).map { standard in
                var adjusted = standard
                if let samples { adjusted.samples = samples }
                return adjusted
            }
        }
        return try `case`.flatMap { text -> [BenchmarkCase] in
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            let widths = parts.count == 3 ? parts[1].split(separator: ",").compactMap { Int($0) } : []
            guard parts.count == 3, let dimension = Int(parts[0]), let concepts = Int(parts[2]),
                  dimension > 0, concepts > 0, !widths.isEmpty, widths.count == parts[1].split(separator: ",").count,
                  widths.allSatisfy({ $0 > 0 }) else {
                throw ValidationError("--case expects D:widths:k such as 1280:800,100:5, got '\(text)'")
            }
            return batch.map { batchSize in
                var custom = BenchmarkCase(dimension: dimension, hiddenWidths: widths, concepts: concepts, batchSize: batchSize, samples: 0)
                // About 50 GFLOP per epoch (a second or so on two cores), within sane bounds.
                custom.samples = samples ?? min(200_000, max(8 * batchSize, Int(5e10 / custom.flopsPerSample)))
                return custom
            }
        }
    }

    func run() throws {
        try Terminal.reportingErrors {
            if let json, FileManager.default.fileExists(atPath: json), !replace.force {
                throw RunError.cannotWrite(path: json, reason: "it exists; pass --force to replace it")
            }
            let peers: [(Peer, declined: Bool, flag: String)] = [(.torch(script: torchScript), noTorch, "--no-torch"),
                                                                  (.jax(script: jaxScript), noJax, "--no-jax")]
            var benchmark = Benchmark(cases: try cases(), threads: threads, timedEpochs: epochs, peers: peers.map(\.0))
            benchmark.rounds = rounds
            for (peer, _, flag) in peers.filter(\.declined) { benchmark.declinedPeers[peer.name] = "not requested (\(flag))" }
            benchmark.python = python.map(PythonInterpreter.init(path:))
            benchmark.threadControl = .openBLAS
            // The shape, or with --case the first given one.
            let shape = `case`.isEmpty ? BenchmarkCase(dimension: 1280, hiddenWidths: [800, 100], concepts: 5, batchSize: 0, samples: 0)
                                       : try cases()[0]
            if overheadRows > 0 {
                var overheadShape = shape
                overheadShape.batchSize = batch[0]
                overheadShape.samples = overheadRows
                benchmark.overheads = OverheadBenchmark(benchmark: overheadShape)
            }
            if streamingRows > 0 {
                // At the largest batch.
                var shape = shape
                shape.batchSize = batch.max()!
                shape.samples = streamingRows
                let scratch = (NSTemporaryDirectory() as NSString).appendingPathComponent("xnn-bench-stream-\(ProcessInfo.processInfo.processIdentifier).h5")
                benchmark.streaming = StreamingBenchmark(benchmark: shape, rows: streamingRows, path: streamingFile ?? scratch,
                                                         keepFile: streamingFile != nil)
            }
            let report = try benchmark.run { Terminal.printError("bench: \($0)") }
            print(report.table)
            if let json {
                try AtomicFile.write(try report.json(), to: json, force: replace.force)
                print("wrote \(json)")
            }
        }
    }
}
