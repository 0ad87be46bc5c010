import Foundation
import XNNLinearAlgebra

/// `xnn bench`: the SGEMM ceiling, then each case on the engine and on the PyTorch reference.
public struct Benchmark {
    public var cases: [BenchmarkCase]
    public var threads: Int
    public var timedEpochs: Int
    /// nil: do not run the PyTorch reference.
    public var torchScript: String?
    /// Where the synthetic activation files for the reference go.
    public var scratchDirectory: String
    /// The streaming case, if any.
    public var streaming: StreamingBenchmark?
    /// Who sets the BLAS thread count (`.openBLAS` from `xnn bench`); every measurement uses `threads`.
    public var threadControl = ComputeThreads.unchanged

    public init(cases: [BenchmarkCase], threads: Int = 2, timedEpochs: Int = 2, torchScript: String? = "scripts/torch_reference.py",
                scratchDirectory: String = NSTemporaryDirectory()) {
        self.cases = cases
        self.threads = threads
        self.timedEpochs = timedEpochs
        self.torchScript = torchScript
        self.scratchDirectory = scratchDirectory
    }

    public func run(progress: (String) -> Void = { _ in }) throws -> BenchmarkReport {
        let pool = threadControl.use(threads)
        progress("SGEMM 1024×1024·1024×1024")
        let peak = GEMMBenchmark.measure(m: 1024, n: 1024, k: 1024, minimumSeconds: 1, pool: pool)
        var report = BenchmarkReport(threads: threads, blasConfiguration: BLAS.configuration, peak: peak, cases: [], streaming: nil)
        for benchmark in cases {
            let data = SyntheticActivations.make(rows: benchmark.samples, dimension: benchmark.dimension,
                                                 outputs: benchmark.outputs, seed: 1)
            _ = threadControl.use(threads)  // a previous measurement may have changed it
            let largest = GEMMBenchmark.measure(m: benchmark.batchSize, n: benchmark.hiddenWidths.first ?? benchmark.concepts,
                                                k: benchmark.dimension, transposeB: true, pool: pool)
            progress("\(benchmark.label): engine, \(benchmark.samples) samples × \(timedEpochs + 1) epochs")
            let engine = try EngineBenchmark.measure(benchmark, data: data, threads: threads, timedEpochs: timedEpochs)
            var torch: TorchMeasurement?, skipped: String?
            if let torchScript {
                progress("\(benchmark.label): PyTorch reference")
                let file = (scratchDirectory as NSString).appendingPathComponent("xnn-bench-\(ProcessInfo.processInfo.processIdentifier).h5")
                try SyntheticActivations.write(data, to: file)
                defer { try? FileManager.default.removeItem(atPath: file) }
                switch TorchReference.measure(script: torchScript, dataFile: file, benchmark: benchmark, threads: threads, timedEpochs: timedEpochs) {
                case .measured(let measurement): torch = measurement
                case .skipped(let reason): skipped = reason
                }
            } else {
                skipped = "not requested (--no-torch)"
            }
            report.cases.append(.init(benchmark: benchmark, flopsPerSample: benchmark.flopsPerSample, engine: engine,
                                      largestProduct: largest, torch: torch, torchSkipped: skipped))
        }
        if let streaming {
            report.streaming = try streaming.run(threads: threads, timedEpochs: timedEpochs, progress: progress)
        }
        return report
    }
}
