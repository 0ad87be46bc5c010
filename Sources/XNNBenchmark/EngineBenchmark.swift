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
    /// The trained model run over every row as `xnn evaluate` does (`ConceptModel.infer`: encoder and
    /// predictor in chunks of rows, on the training's worker pool): x and ŷ per second. nil for streamed data.
    public let inferenceSamplesPerSecond: Double?
    /// Inference over training throughput, per sample (issue 14 asks for at least 5).
    public var inferenceToTraining: Double? { inferenceSamplesPerSecond.map { $0 / samplesPerSecond } }
}

public enum EngineBenchmark {
    /// The training configuration both implementations follow: the defaults of a run
    /// (docs/method.md §3 losses with α = 1/15/5, q = 100, dropout 0.02, Adam at 1e-3 with decay 1e-4),
    /// without the recipe's extras that the reference lacks (least-squares and independent-component
    /// starts, revival, retries).
    static func configuration(for benchmark: BenchmarkCase, epochs: Int, threads: Int, file: String = "(in memory)",
                              extra: [String] = []) throws -> RunConfiguration {
        var configuration = RunConfiguration(data: DataConfiguration(file: file))
        configuration.data.testFraction = 0
        configuration.model.hiddenWidths = benchmark.hiddenWidths
        configuration.model.concepts = benchmark.concepts
        configuration.model.dropout = 0.02
        configuration.loss = LossWeights(prediction: 1, reconstruction: 15, pullAway: 5, logPenaltyStrength: 100)
        configuration.training.epochs = epochs
        configuration.training.batchSize = benchmark.batchSize
        configuration.training.learningRate = 1e-3
        configuration.training.weightDecay = 1e-4
        configuration.training.leastSquaresInit = false
        configuration.training.conceptStart = .random
        configuration.training.deadConcepts = .ignore
        configuration.training.acceptance.enabled = false
        configuration.training.threads = threads
        return try configuration.overridden(extra, source: "(xnn bench)")
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
        return EngineMeasurement(samplesPerSecond: rate, gflops: rate * benchmark.flopsPerSample / 1e9, timedEpochs: timed.count,
                                 inferenceSamplesPerSecond: data.isStreamed ? nil : inferenceRate(outcome.model, data: data))
    }

    /// Passes of `model.infer` over all rows (after an untimed one) until `minimumSeconds` have passed: rows per second.
    static func inferenceRate(_ model: any ConceptModel, data: ActivationData, minimumSeconds: Double = 0.3) -> Double {
        let rows = Array(0..<data.sampleCount)
        _ = model.infer(data.inputs, rows: rows)
        var passes = 0
        let start = ContinuousClock.now
        var elapsed = 0.0
        repeat {
            _ = model.infer(data.inputs, rows: rows)
            passes += 1
            elapsed = start.duration(to: .now).seconds
        } while elapsed < minimumSeconds
        return Double(passes * rows.count) / elapsed
    }
}
