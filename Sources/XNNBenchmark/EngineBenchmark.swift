import Foundation
import XNNLinearAlgebra
import XNNModel
import XNNTraining

/// The engine's training throughput, measured through `Trainer` itself: the step users run.
public struct EngineMeasurement: Codable, Sendable {
    public let samplesPerSecond: Double
    /// Exact FLOPs of the step (BenchmarkCase.flopsPerSample) times samples/s.
    public let gflops: Double
    public let timedEpochs: Int
}

public enum EngineBenchmark {
    /// The training configuration both implementations follow: the defaults of a run
    /// (docs/method.md §3 losses with α = 1/15/5, q = 100, dropout 0.02, Adam at 1e-3 with decay 1e-4),
    /// without the recipe's extras that the reference lacks (least-squares start, revival, retries).
    static func configuration(for benchmark: BenchmarkCase, epochs: Int, threads: Int, file: String = "(in memory)",
                              extra: [String] = []) throws -> RunConfiguration {
        try RunConfiguration.parse(yaml: """
            seed: 1
            data: {file: "\(file)", test_fraction: 0}
            model: {hidden_widths: [\(benchmark.hiddenWidths.map(String.init).joined(separator: ", "))], concepts: \(benchmark.concepts), dropout: 0.02}
            loss: {prediction: 1, reconstruction: 15, pull_away: 5, log_penalty_strength: 100}
            training:
              epochs: \(epochs)
              batch_size: \(benchmark.batchSize)
              learning_rate: 0.001
              weight_decay: 0.0001
              least_squares_init: false
              dead_concepts: ignore
              acceptance: {enabled: false}
              threads: \(threads)
            """, file: "(xnn bench)", overrides: extra)
    }

    /// Trains for one warm-up epoch plus `timedEpochs` and reports the mean rate of the timed ones.
    public static func measure(_ benchmark: BenchmarkCase, data: ActivationData, threads: Int, timedEpochs: Int,
                               extra: [String] = []) throws -> EngineMeasurement {
        let configuration = try configuration(for: benchmark, epochs: timedEpochs + 1, threads: threads, extra: extra)
        let trainer = Trainer(architecture: benchmark.architecture, lossWeights: configuration.loss,
                              settings: configuration.training, seed: configuration.seed)
        let outcome = try trainer.train(data)
        let timed = outcome.history.dropFirst()
        let seconds = timed.reduce(0) { $0 + $1.seconds }
        let rate = Double(timed.count * data.trainRows.count) / seconds
        return EngineMeasurement(samplesPerSecond: rate, gflops: rate * benchmark.flopsPerSample / 1e9, timedEpochs: timed.count)
    }
}
