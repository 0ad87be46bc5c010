import XNNModel
import XNNStorage

/// Which explanation model to fit: the SRAE, or one of the docs/method.md §7 baselines that share its code.
public enum ModelKind: String, ConfigEnumeration, Encodable, Sendable {
    case srae
    /// A plain autoencoder with a linear predictor: MSE reconstruction, no pull-away.
    case autoencoder
    /// The SRAE without its reconstruction term (α_rec = 0): no decoder is trained.
    case sraeNoReconstruction = "srae_no_reconstruction"
    /// k principal components of the activations + least squares to y; no training.
    case pca
    /// Non-negative matrix factorisation with k components + least squares to y.
    case nmf
    /// The layer's channels clustered into k groups weighted by their read-out (docs/layers.md) + least squares to y.
    case channelClusters = "channel_clusters"

    /// Fitted in closed form on the training rows in memory: no batches, epochs or retries.
    public var isClosedForm: Bool { self == .pca || self == .nmf || self == .channelClusters }
}

extension Activation: ConfigEnumeration {}

/// The `model:` section: the kind of model and its shape (docs/method.md §2).
public struct ModelConfiguration: Encodable, Equatable, Sendable {
    public var kind = ModelKind.srae
    public var hiddenWidths = [800, 100]
    public var concepts = 5
    /// `concepts: auto`: the run chooses k on the validation rows (docs/sweeps.md, "Choosing k");
    /// `concepts` then holds the largest k tried until the choice replaces it.
    public var chooseConcepts = false
    /// `concepts_seconds`: the time `concepts: auto` may spend on its trials; the search ends
    /// after the trial that passes it, choosing among the k tried.
    public var conceptSearchSeconds = 600.0
    public var dropout: Float = 0.02
    public var outputActivation = Activation.relu

    /// The largest k `concepts: auto` tries.
    public static let largestAutomaticConcepts = 8

    enum CodingKeys: String, CodingKey {
        case kind, hiddenWidths = "hidden_widths", concepts, conceptSearchSeconds = "concepts_seconds", dropout
        case outputActivation = "output_activation"
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(hiddenWidths, forKey: .hiddenWidths)
        if chooseConcepts { try container.encode("auto", forKey: .concepts) } else { try container.encode(concepts, forKey: .concepts) }
        try container.encode(conceptSearchSeconds, forKey: .conceptSearchSeconds)
        try container.encode(dropout, forKey: .dropout)
        try container.encode(outputActivation, forKey: .outputActivation)
    }

    public init() {}

    public init(section: ConfigSection) throws {
        try section.read(&kind, CodingKeys.kind)
        try section.read(&hiddenWidths, CodingKeys.hiddenWidths, expected: "a list of positive widths") { $0.allSatisfy { $0 > 0 } }
        if (try? section.optional(CodingKeys.concepts.stringValue) as String?) == "auto" {
            chooseConcepts = true
            concepts = Self.largestAutomaticConcepts
        } else {
            try section.read(&concepts, CodingKeys.concepts, expected: "an integer from 1 to 64, or auto") { (1...64).contains($0) }
        }
        try section.read(&conceptSearchSeconds, CodingKeys.conceptSearchSeconds, expected: "a positive number of seconds") { $0 > 0 }
        try section.read(&dropout, CodingKeys.dropout, expected: "a probability in [0, 1)") { $0 >= 0 && $0 < 1 }
        try section.read(&outputActivation, CodingKeys.outputActivation)
        try section.finish()
    }

    public func architecture(inputDimension: Int, outputs: Int) -> SRAEArchitecture {
        guard kind != .pca && kind != .channelClusters else {  // one linear layer each way, whatever the SRAE settings say
            return .linear(inputDimension: inputDimension, concepts: concepts, outputs: outputs)
        }
        return SRAEArchitecture(inputDimension: inputDimension, hiddenWidths: hiddenWidths, concepts: concepts,
                                outputs: outputs, dropout: dropout, outputActivation: outputActivation)
    }
}
