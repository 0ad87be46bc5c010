import XNNLinearAlgebra

/// Every buffer one training step or inference pass needs, allocated once for a batch capacity,
/// so the step itself allocates nothing.
public final class SRAEWorkspace {
    public let capacity: Int
    /// The batch itself: z (B × D) and y (B × C), gathered here from the data set.
    public let inputs: Matrix
    public let targets: Matrix
    /// Output of each encoder layer; the last is x (B × k).
    public let encoderOutputs: [Matrix]
    /// ∂L/∂(output of each encoder layer); the last is ∂L/∂x, where the three loss branches meet.
    public let encoderGradients: [Matrix]
    /// Output of each decoder layer; the last is ẑ (B × D).
    public let decoderOutputs: [Matrix]
    public let decoderGradients: [Matrix]
    /// ŷ (B × C) and ∂L/∂ŷ.
    public let prediction: Matrix
    public let predictionGradient: Matrix
    /// S = x ⊙ v̄ (B × k) and ∂L/∂S.
    public let contributions: Matrix
    public let contributionGradient: Matrix
    /// Gram and coupling matrices of the pull-away term: k × k (features) and B × B (samples).
    public let featureGram: Matrix
    public let featureCoupling: Matrix
    public let sampleGram: Matrix
    public let sampleCoupling: Matrix
    /// v̄ (k) and the per-dimension reconstruction errors (D).
    public let conceptWeights: UnsafeMutablePointer<Float>
    public let dimensionErrors: UnsafeMutablePointer<Double>
    /// How many samples each concept fired on (x > 0) since the last reset: 0 means dead.
    /// Counted in the forward pass, so it costs no extra sweep over the data.
    public let conceptFiringCounts: UnsafeMutablePointer<Int>
    public let dropout: Dropout?

    public init(architecture: SRAEArchitecture, capacity: Int) {
        precondition(capacity > 0, "batch capacity must be positive")
        self.capacity = capacity
        let widths = architecture.encoderWidths
        inputs = Matrix(rows: capacity, columns: architecture.inputDimension)
        targets = Matrix(rows: capacity, columns: architecture.outputs)
        encoderOutputs = widths.dropFirst().map { Matrix(rows: capacity, columns: $0) }
        encoderGradients = widths.dropFirst().map { Matrix(rows: capacity, columns: $0) }
        decoderOutputs = widths.reversed().dropFirst().map { Matrix(rows: capacity, columns: $0) }
        decoderGradients = widths.reversed().dropFirst().map { Matrix(rows: capacity, columns: $0) }
        let k = architecture.concepts
        prediction = Matrix(rows: capacity, columns: architecture.outputs)
        predictionGradient = Matrix(rows: capacity, columns: architecture.outputs)
        contributions = Matrix(rows: capacity, columns: k)
        contributionGradient = Matrix(rows: capacity, columns: k)
        featureGram = Matrix(rows: k, columns: k)
        featureCoupling = Matrix(rows: k, columns: k)
        sampleGram = Matrix(rows: capacity, columns: capacity)
        sampleCoupling = Matrix(rows: capacity, columns: capacity)
        conceptWeights = .allocate(capacity: k)
        conceptWeights.initialize(repeating: 0, count: k)
        dimensionErrors = .allocate(capacity: architecture.inputDimension)
        dimensionErrors.initialize(repeating: 0, count: architecture.inputDimension)
        conceptFiringCounts = .allocate(capacity: k)
        conceptFiringCounts.initialize(repeating: 0, count: k)
        let hasHiddenLayer = !architecture.hiddenWidths.isEmpty
        dropout = architecture.dropout > 0 && hasHiddenLayer
            ? Dropout(probability: architecture.dropout, capacityRows: capacity, columns: widths[1]) : nil
        self.concepts = k
    }

    private let concepts: Int

    deinit {
        conceptWeights.deallocate()
        dimensionErrors.deallocate()
        conceptFiringCounts.deallocate()
    }

    /// Sets the active batch size of every per-sample buffer (≤ capacity; no reallocation).
    public func setBatchSize(_ size: Int) {
        precondition(size <= capacity, "batch of \(size) exceeds the workspace capacity \(capacity)")
        // Plain loops: a concatenated or literal array here would allocate on every step.
        for m in encoderOutputs { m.setRowCount(size) }
        for m in encoderGradients { m.setRowCount(size) }
        for m in decoderOutputs { m.setRowCount(size) }
        for m in decoderGradients { m.setRowCount(size) }
        inputs.setRowCount(size); targets.setRowCount(size)
        prediction.setRowCount(size); predictionGradient.setRowCount(size)
        contributions.setRowCount(size); contributionGradient.setRowCount(size)
        sampleGram.reshape(rows: size, columns: size)
        sampleCoupling.reshape(rows: size, columns: size)
    }

    public func resetConceptFiringCounts() { conceptFiringCounts.update(repeating: 0, count: concepts) }

    public var conceptFiringCountsArray: [Int] { Array(UnsafeBufferPointer(start: conceptFiringCounts, count: concepts)) }
}
