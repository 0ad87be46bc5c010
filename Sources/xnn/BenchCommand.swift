import ArgumentParser
import Foundation
import XNNBenchmark
import XNNRuns

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time SGEMM, the engine's training step and the PyTorch reference on the same data.",
        discussion: """
            Default cases: D=4096 800/100 k=5, D=1280 800/100 k=5 and D=64 64/32 k=5, each at batch 50 and 256.
            The PyTorch reference (scripts/torch_reference.py) runs when python3 can import torch and h5py.
            Prints a table; --json also writes every figure.
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

    @Flag(name: .long, help: "Skip the PyTorch reference.")
    var noTorch = false

    @Option(name: .long, help: "The PyTorch reference script.")
    var torchScript = "scripts/torch_reference.py"

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
        guard batch.allSatisfy({ $0 > 0 }), !batch.isEmpty else { throw ValidationError("--batch needs positive sizes, got \(batch)") }
        if let samples, samples < 2 { throw ValidationError("--samples must be at least 2, got \(samples)") }
        guard streamingRows >= 0 else { throw ValidationError("--streaming-rows must be non-negative, got \(streamingRows)") }
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
            var benchmark = Benchmark(cases: try cases(), threads: threads, timedEpochs: epochs,
                                      torchScript: noTorch ? nil : torchScript)
            benchmark.threadControl = .openBLAS
            if streamingRows > 0 {
                // The streaming shape, or with --case the first given one, at the largest batch.
                var shape = `case`.isEmpty ? BenchmarkCase(dimension: 1280, hiddenWidths: [800, 100], concepts: 5, batchSize: 0, samples: 0)
                                           : try cases()[0]
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
