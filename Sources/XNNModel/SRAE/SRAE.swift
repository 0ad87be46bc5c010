import XNNLinearAlgebra

/// The Sparse Reconstruction Autoencoder of docs/method.md §2: encoder z → x (ReLU, x ≥ 0), decoder x → ẑ,
/// predictor ŷ = V x + b.
public final class SRAE {
    public let architecture: SRAEArchitecture
    /// D → h1 → … → k, `SRAEArchitecture.hiddenActivation` (ReLU) after each layer (the concept layer's activation is configurable: linear for PCA).
    public let encoder: [DenseLayer]
    /// k → … → h1 → D, the hidden activation after each layer except the last, which uses `outputActivation`.
    public let decoder: [DenseLayer]
    /// k → C, linear; its weight is V (C × k).
    public let predictor: DenseLayer

    public init(architecture: SRAEArchitecture) {
        precondition(architecture.inputDimension > 0 && architecture.concepts > 0 && architecture.outputs > 0,
                     "SRAE needs positive input dimension, concepts and outputs")
        self.architecture = architecture
        let widths = architecture.encoderWidths
        encoder = (0..<(widths.count - 1)).map {
            DenseLayer(inputs: widths[$0], outputs: widths[$0 + 1],
                       activation: $0 == widths.count - 2 ? architecture.conceptActivation : SRAEArchitecture.hiddenActivation,
                       name: "encoder.\($0)")
        }
        let mirrored = Array(widths.reversed())
        decoder = (0..<(mirrored.count - 1)).map {
            DenseLayer(inputs: mirrored[$0], outputs: mirrored[$0 + 1],
                       activation: $0 == mirrored.count - 2 ? architecture.outputActivation : SRAEArchitecture.hiddenActivation,
                       name: "decoder.\($0)")
        }
        predictor = DenseLayer(inputs: architecture.concepts, outputs: architecture.outputs,
                               activation: .linear, name: "predictor")
    }

    /// Workers for every layer's products (training, validation and inference alike); any pool,
    /// or none, gives the same bits (`ProductPartition`).
    public var pool: WorkerPool? {
        didSet { for layer in layers { layer.pool = pool } }
    }

    /// Every layer in a fixed order: encoder, decoder, predictor.
    public var layers: [DenseLayer] { encoder + decoder + [predictor] }

    public var parameters: [Parameter] { layers.flatMap(\.parameters) }

    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }

    /// Draws every weight from the seeded generator (PyTorch's `nn.Linear` default).
    public func initialize(using generator: inout SeededGenerator) {
        for layer in layers { layer.initialize(using: &generator) }
    }

    /// The decoder layer that mirrors encoder layer `index` (they form one shallow autoencoder
    /// in layer-wise pre-training).
    public func mirror(ofEncoderLayer index: Int) -> DenseLayer { decoder[decoder.count - 1 - index] }

    /// v̄_j = Σ_c V_cj: how much a unit of concept j adds to the summed class scores.
    public func conceptWeights(into weights: UnsafeMutablePointer<Float>) {
        let k = architecture.concepts, v = predictor.weight.value
        weights.update(repeating: 0, count: k)
        for c in 0..<v.rows { for j in 0..<k { weights[j] += v[c, j] } }
    }
}
