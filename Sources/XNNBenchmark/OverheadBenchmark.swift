import Foundation
import XNNLinearAlgebra
import XNNRuns
import XNNTraining

/// `xnn train`'s time outside the epochs: `TrainingRun` itself, with the default recipe (every fit
/// of the search, least-squares start, revival, acceptance check, outputs written), on a small
/// generated file. The phases are told apart by when the trainer's events arrive.
public struct OverheadBenchmark {
    /// Shape and batch; `samples` rows are generated.
    public var benchmark: BenchmarkCase
    public var epochs: Int
    /// Where the file and the run directory go (both removed afterwards).
    public var scratchDirectory: String

    public init(benchmark: BenchmarkCase, epochs: Int = 2, scratchDirectory: String = NSTemporaryDirectory()) {
        self.benchmark = benchmark
        self.epochs = epochs
        self.scratchDirectory = scratchDirectory
    }

    /// Seconds of one `xnn train`, split by phase. Revival and the validation score run inside each
    /// epoch's own timing (Trainer.trainOnce), so they count in `epochSeconds`.
    public struct Result: Codable, Sendable {
        public let benchmark: BenchmarkCase
        public let fits: Int
        public let epochs: Int
        public let totalSeconds: Double
        /// Sum of the epochs' own seconds (steps, revival, validation).
        public let epochSeconds: Double
        /// Before each fit's first epoch: writing config.yaml, loading the data, the attainable-faithfulness
        /// fit (first fit), initialisation and the least-squares start of the predictor.
        public let startSeconds: Double
        /// The first fit's share of `startSeconds` (the only one that loads the data and fits the attainable faithfulness).
        public let firstStartSeconds: Double
        /// `ActivationData.load` of the same file alone, timed before the run: the data's part of the first start.
        public let loadSeconds: Double
        /// Between one epoch's end and the next one's start (checkpoint captures).
        public let betweenEpochsSeconds: Double
        /// After each fit's last epoch: restoring the chosen epoch and the acceptance check.
        public let acceptanceSeconds: Double
        /// After the last fit: the inference pass over every row, the metrics and writing the run directory.
        public let outputSeconds: Double
        public let revivedConcepts: Int

        public var outsideEpochsSeconds: Double { totalSeconds - epochSeconds }
    }

    public func run(threads: Int, threadControl: ComputeThreads, progress: (String) -> Void) throws -> Result {
        let folder = (scratchDirectory as NSString).appendingPathComponent("xnn-bench-overheads-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = (folder as NSString).appendingPathComponent("activations.h5")
        try SyntheticActivations.writeFile(to: file, rows: benchmark.samples, dimension: benchmark.dimension,
                                           outputs: benchmark.outputs, seed: 3)
        var configuration = RunConfiguration(data: DataConfiguration(file: file))
        configuration.model.hiddenWidths = benchmark.hiddenWidths
        configuration.model.concepts = benchmark.concepts
        configuration.training.epochs = epochs
        configuration.training.batchSize = benchmark.batchSize
        configuration.training.threads = threads
        let loadStart = ContinuousClock.now
        _ = try ActivationData.load(configuration.data, seed: configuration.seed, allowStreaming: true)
        let loadSeconds = loadStart.duration(to: .now).seconds
        var run = TrainingRun(configuration: configuration, outputDirectory: (folder as NSString).appendingPathComponent("run"), force: false)
        run.threads = threadControl
        progress("overheads: xnn train on \(benchmark.samples) rows × \(benchmark.dimension), \(epochs) epochs per fit")
        var phases = PhaseClock()
        let summary = try run.execute { phases.record($0) }
        return phases.result(total: phases.elapsed, load: loadSeconds, benchmark: benchmark, epochs: epochs,
                             revived: summary.outcome.history.reduce(0) { $0 + $1.revivedConcepts.count })
    }
}

/// Splits a run's wall time by the trainer's events: an epoch event arrives at the epoch's end and
/// carries its length; a fit's end arrives after its acceptance check.
private struct PhaseClock {
    let start = ContinuousClock.now
    var mark = 0.0  // seconds since start of the last event
    var inFit = false
    var fits = 0, epochSeconds = 0.0, startSeconds = 0.0, firstStartSeconds = 0.0, betweenSeconds = 0.0, acceptanceSeconds = 0.0

    var elapsed: Double { start.duration(to: .now).seconds }

    mutating func record(_ event: TrainingEvent) {
        let now = elapsed
        switch event {
        case .epoch(let record, _, _):
            let gap = max(0, now - record.seconds - mark)
            if inFit { betweenSeconds += gap } else { startSeconds += gap }
            if !inFit && fits == 0 { firstStartSeconds = gap }
            epochSeconds += record.seconds
            inFit = true
        case .attemptFinished:
            acceptanceSeconds += now - mark
            fits += 1
            inFit = false
        case .pretraining, .conceptStart, .batches:
            return  // counted in the fit's start, or inside the epoch
        }
        mark = now
    }

    func result(total: Double, load: Double, benchmark: BenchmarkCase, epochs: Int, revived: Int) -> OverheadBenchmark.Result {
        .init(benchmark: benchmark, fits: fits, epochs: epochs, totalSeconds: total, epochSeconds: epochSeconds,
              startSeconds: startSeconds, firstStartSeconds: firstStartSeconds, loadSeconds: load, betweenEpochsSeconds: betweenSeconds, acceptanceSeconds: acceptanceSeconds,
              outputSeconds: total - mark, revivedConcepts: revived)
    }
}
