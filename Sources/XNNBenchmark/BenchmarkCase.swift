import XNNModel

/// One model size and batch size to time: the engine and the PyTorch reference train the same
/// SRAE on the same synthetic activations with the same hyperparameters.
public struct BenchmarkCase: Codable, Sendable {
    public var dimension: Int
    public var hiddenWidths: [Int]
    public var concepts: Int
    public var outputs: Int
    public var batchSize: Int
    /// Rows of the synthetic data set: one epoch is the unit of timing.
    public var samples: Int

    public init(dimension: Int, hiddenWidths: [Int], concepts: Int, outputs: Int = 1, batchSize: Int, samples: Int) {
        self.dimension = dimension
        self.hiddenWidths = hiddenWidths
        self.concepts = concepts
        self.outputs = outputs
        self.batchSize = batchSize
        self.samples = samples
    }

    public var architecture: SRAEArchitecture {
        SRAEArchitecture(inputDimension: dimension, hiddenWidths: hiddenWidths, concepts: concepts, outputs: outputs,
                         dropout: 0.02, outputActivation: .relu)
    }

    /// Exact FLOPs of one sample's training step (2 per multiply-add).
    public var flopsPerSample: Double { 2 * Double(architecture.trainingMultiplyAddsPerSample) }

    /// "D=1280 800/100 k=5 B=50".
    public var label: String {
        "D=\(dimension) \(hiddenWidths.map(String.init).joined(separator: "/")) k=\(concepts) B=\(batchSize)"
    }

    /// The shapes: the XNN paper's size, a mid-size layer and a small one, at batch 50 and 256.
    /// Sample counts keep each timed epoch near a second on two cores.
    public static func standardCases(batchSizes: [Int] = [50, 256], scale: Double = 1) -> [BenchmarkCase] {
        let shapes: [(Int, [Int], Int)] = [(4096, [800, 100], 3_000), (1280, [800, 100], 8_000), (64, [64, 32], 100_000)]
        return shapes.flatMap { dimension, hidden, samples in
            batchSizes.map { BenchmarkCase(dimension: dimension, hiddenWidths: hidden, concepts: 5, batchSize: $0,
                                           samples: max($0 * 4, Int(Double(samples) * scale))) }
        }
    }
}
