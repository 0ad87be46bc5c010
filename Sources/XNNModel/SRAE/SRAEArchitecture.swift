/// The shape of a Sparse Reconstruction Autoencoder (docs/method.md §2).
public struct SRAEArchitecture: Codable, Equatable, Sendable {
    /// D, the width of the CNN activation vector z.
    public var inputDimension: Int
    /// Encoder hidden widths, e.g. [800, 100]; the decoder mirrors them.
    public var hiddenWidths: [Int]
    /// k, the number of concepts.
    public var concepts: Int
    /// C, the number of class scores rebuilt from the concepts.
    public var outputs: Int
    /// Dropout probability after the first encoder layer (0 switches it off).
    public var dropout: Float
    /// Activation of the decoder's last layer (ReLU suits post-ReLU CNN features).
    public var outputActivation: Activation
    /// Activation of the concept layer: ReLU (x ≥ 0) for the SRAE, linear for a PCA baseline.
    public var conceptActivation: Activation = .relu
    /// Activation of every hidden layer, encoder and decoder; recorded in model.h5 (`hidden_activation`)
    /// so readers outside xnn need not assume it.
    public static let hiddenActivation: Activation = .relu

    public init(inputDimension: Int, hiddenWidths: [Int] = [800, 100], concepts: Int = 5, outputs: Int = 1,
                dropout: Float = 0.02, outputActivation: Activation = .relu) {
        self.inputDimension = inputDimension
        self.hiddenWidths = hiddenWidths
        self.concepts = concepts
        self.outputs = outputs
        self.dropout = dropout
        self.outputActivation = outputActivation
    }

    /// One linear layer each way and linear concepts: the shape of the closed-form baselines (PCA,
    /// channel clusters) stored as an SRAE.
    public static func linear(inputDimension: Int, concepts: Int, outputs: Int) -> SRAEArchitecture {
        var architecture = SRAEArchitecture(inputDimension: inputDimension, hiddenWidths: [], concepts: concepts,
                                            outputs: outputs, dropout: 0, outputActivation: .linear)
        architecture.conceptActivation = .linear
        return architecture
    }

    /// Widths from input to concepts: [D, h1, ..., k].
    public var encoderWidths: [Int] { [inputDimension] + hiddenWidths + [concepts] }

    /// Multiply-adds of one sample's forward pass through encoder, decoder and predictor.
    public var multiplyAddsPerSample: Int {
        let widths = encoderWidths
        var total = 0
        for i in 0..<(widths.count - 1) { total += 2 * widths[i] * widths[i + 1] }  // encoder + mirrored decoder
        return total + concepts * outputs
    }

    /// Multiply-adds of one sample's training step: the forward pass, then a weight gradient and an
    /// input gradient per layer (none for the first layer's input, the data), plus the two k × k
    /// products of the pull-away term. Twice this is the step's exact FLOP count.
    public var trainingMultiplyAddsPerSample: Int {
        3 * multiplyAddsPerSample - inputDimension * encoderWidths[1] + 2 * concepts * concepts
    }
}
