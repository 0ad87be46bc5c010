import XNNModel
import XNNStorage

/// Everything one training run needs, read from a YAML file (see docs/configuration.md).
/// Every field has a documented default except `data.file`.
public struct RunConfiguration: Encodable, Equatable, Sendable {
    /// Seeds initialisation, shuffling, dropout and the random split: same seed, same run.
    public var seed: Int
    public var data: DataConfiguration
    public var model: ModelConfiguration
    public var loss: LossConfiguration
    public var training: TrainingConfiguration
    public var output: OutputConfiguration

    /// Reads a configuration file, applies `--set` overrides, and checks every key and value.
    public static func load(file: String, overrides: [String] = []) throws -> RunConfiguration {
        var document = try ConfigDocument(contentsOf: file)
        for override in overrides { try document.applyOverride(override) }
        return try RunConfiguration(section: document.rootSection())
    }

    public static func parse(yaml: String, file: String = "(inline)", overrides: [String] = []) throws -> RunConfiguration {
        var document = try ConfigDocument(yaml: yaml, file: file)
        for override in overrides { try document.applyOverride(override) }
        return try RunConfiguration(section: document.rootSection())
    }

    public init(section root: ConfigSection) throws {
        seed = try root.value("seed", default: 1, expected: "a non-negative integer") { $0 >= 0 }
        data = try DataConfiguration(section: root.section("data"))
        model = try ModelConfiguration(section: root.section("model"))
        loss = try LossConfiguration(section: root.section("loss"), kind: model.kind)
        training = try TrainingConfiguration(section: root.section("training"))
        output = try OutputConfiguration(section: root.section("output"))
        try root.finish()
        if data.standardizeActivations && model.outputActivation == .relu {
            throw ConfigError.invalidValue(
                file: root.file, keyPath: "model.output_activation", line: nil,
                expected: "linear (standardised activations are negative, a ReLU output cannot rebuild them)",
                found: "'relu' with data.standardize_activations: true")
        }
    }

    /// The resolved configuration as YAML, every default written out.
    public func yaml() throws -> String { try YAMLText.encode(self) }
}

public struct DataConfiguration: Encodable, Equatable, Sendable {
    /// HDF5 file with the activations (relative paths are taken from the working directory).
    public var file: String
    /// Dataset of pooled activations, N × D.
    public var activations: String
    /// Dataset of class scores to rebuild, N × C (logits).
    public var targets: String
    /// Columns of `targets` to explain; empty means all.
    public var targetColumns: [Int]
    /// Dataset of 0/1 flags, 1 = held out; when absent the split is random.
    public var testMask: String?
    /// Share held out when splitting at random.
    public var testFraction: Double
    /// Subtract the training mean and divide by the standard deviation of each activation dimension.
    public var standardizeActivations: Bool
    /// The same for the targets; metrics are always reported in the original units.
    public var standardizeTargets: Bool
    /// Megabytes the activations may take in memory; a larger file is streamed from disk (0 = no limit).
    public var memoryBudgetMB: Double

    enum CodingKeys: String, CodingKey {
        case file, activations, targets, targetColumns = "target_columns", testMask = "test_mask"
        case testFraction = "test_fraction", standardizeActivations = "standardize_activations"
        case standardizeTargets = "standardize_targets", memoryBudgetMB = "memory_budget_mb"
    }

    public init(section: ConfigSection) throws {
        file = try section.required("file", expected: "the path of an HDF5 activation file")
        activations = try section.value("activations", default: "activations")
        targets = try section.value("targets", default: "logits")
        targetColumns = try section.value("target_columns", default: [], expected: "a list of non-negative column indices") {
            $0.allSatisfy { $0 >= 0 } && Set($0).count == $0.count
        }
        testMask = try section.optional("test_mask")
        testFraction = try section.value("test_fraction", default: 0.2, expected: "a number in [0, 1)") { $0 >= 0 && $0 < 1 }
        standardizeActivations = try section.value("standardize_activations", default: false)
        standardizeTargets = try section.value("standardize_targets", default: false)
        memoryBudgetMB = try section.value("memory_budget_mb", default: 0, expected: "a non-negative number of megabytes (0 = no limit)") { $0 >= 0 }
        try section.finish()
    }
}

/// Which explanation model to fit: the SRAE, or one of the docs/method.md §7 ablations that share its code.
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
}

extension Activation: ConfigEnumeration {}
extension ReconstructionPenalty: ConfigEnumeration {}
extension PullAwayMode: ConfigEnumeration {}

public struct ModelConfiguration: Encodable, Equatable, Sendable {
    public var kind: ModelKind
    public var hiddenWidths: [Int]
    public var concepts: Int
    public var dropout: Float
    public var outputActivation: Activation

    enum CodingKeys: String, CodingKey {
        case kind, hiddenWidths = "hidden_widths", concepts, dropout, outputActivation = "output_activation"
    }

    public init(section: ConfigSection) throws {
        kind = try section.value("kind", default: .srae)
        hiddenWidths = try section.value("hidden_widths", default: [800, 100], expected: "a list of positive widths") {
            $0.allSatisfy { $0 > 0 }
        }
        concepts = try section.value("concepts", default: 5, expected: "an integer from 1 to 64") { (1...64).contains($0) }
        dropout = try section.value("dropout", default: 0.02, expected: "a probability in [0, 1)") { $0 >= 0 && $0 < 1 }
        outputActivation = try section.value("output_activation", default: .relu)
        try section.finish()
    }

    public func architecture(inputDimension: Int, outputs: Int) -> SRAEArchitecture {
        guard kind != .pca else {  // one linear layer each way, whatever the SRAE settings say
            var linear = SRAEArchitecture(inputDimension: inputDimension, hiddenWidths: [], concepts: concepts,
                                          outputs: outputs, dropout: 0, outputActivation: .linear)
            linear.conceptActivation = .linear
            return linear
        }
        return SRAEArchitecture(inputDimension: inputDimension, hiddenWidths: hiddenWidths, concepts: concepts,
                                outputs: outputs, dropout: dropout, outputActivation: outputActivation)
    }
}

public struct LossConfiguration: Encodable, Equatable, Sendable {
    public var prediction: Float
    public var reconstruction: Float
    public var pullAway: Float
    public var reconstructionPenalty: ReconstructionPenalty
    public var logPenaltyStrength: Float
    public var pullAwayMode: PullAwayMode

    enum CodingKeys: String, CodingKey {
        case prediction, reconstruction, pullAway = "pull_away", reconstructionPenalty = "reconstruction_penalty"
        case logPenaltyStrength = "log_penalty_strength", pullAwayMode = "pull_away_mode"
    }

    /// Defaults follow docs/method.md §3; the ablation kinds then switch off the term they remove.
    public init(section: ConfigSection, kind: ModelKind = .srae) throws {
        let nonNegative = "a non-negative number"
        pullAwayMode = try section.value("pull_away_mode", default: .features)
        // The reference weights differ by mode (docs/method.md §3): 1/15/5 for features, 1/10/10 for samples.
        let samples = pullAwayMode == .samples
        prediction = try section.value("prediction", default: 1, expected: nonNegative) { $0 >= 0 }
        reconstruction = try section.value("reconstruction", default: samples ? 10 : 15, expected: nonNegative) { $0 >= 0 }
        pullAway = try section.value("pull_away", default: samples ? 10 : 5, expected: nonNegative) { $0 >= 0 }
        reconstructionPenalty = try section.value("reconstruction_penalty", default: .sparseLog)
        // The ablation kinds remove one term whatever the loss section says, so one base
        // configuration serves every kind of a sweep; the resolved config records what was used.
        switch kind {
        case .srae, .pca, .nmf: break
        case .autoencoder:
            pullAway = 0
            reconstructionPenalty = .meanSquared
        case .sraeNoReconstruction:
            reconstruction = 0
        }
        logPenaltyStrength = try section.value("log_penalty_strength", default: 100, expected: "a positive number") { $0 > 0 }
        try section.finish()
    }

    public var weights: LossWeights {
        LossWeights(prediction: prediction, reconstruction: reconstruction, pullAway: pullAway,
                    reconstructionPenalty: reconstructionPenalty, logPenaltyStrength: logPenaltyStrength,
                    pullAwayMode: pullAwayMode)
    }
}

/// What to do with a concept that is zero for every training sample.
/// How an epoch orders the training rows.
public enum ShuffleMode: String, ConfigEnumeration, Encodable, Sendable {
    /// A uniform permutation of all training rows (needs them all in memory).
    case full
    /// Chunks of consecutive rows in random order, then rows drawn at random from a shuffle
    /// buffer: the order a stream from disk can follow, and the same in memory.
    case chunks
}

public enum DeadConceptPolicy: String, ConfigEnumeration, Encodable, Sendable {
    /// Re-draw its incoming weights so it fires on about half the samples, and keep training.
    case revive
    /// Count the run as not accepted and retrain (within the acceptance retries).
    case retry
    /// Only report it.
    case ignore
}

public struct TrainingConfiguration: Encodable, Equatable, Sendable {
    public var epochs: Int
    public var batchSize: Int
    public var learningRate: Float
    public var weightDecay: Float
    /// The learning rate is multiplied by `learningRateDecay` every `learningRateStepEpochs` epochs.
    public var learningRateStepEpochs: Int
    public var learningRateDecay: Float
    /// Epochs of greedy layer-wise pre-training per encoder layer (0 = off).
    public var pretrainEpochs: Int
    /// Initialise the predictor by least squares of the targets on the encoder's x.
    public var leastSquaresInit: Bool
    public var deadConcepts: DeadConceptPolicy
    /// Revive dead concepts only up to this share of the epochs, so the last ones can settle.
    public var reviveUntil: Double
    /// A concept firing on fewer than this share of the training samples in an epoch is revived too.
    public var reviveBelow: Double
    public var acceptance: AcceptanceConfiguration
    /// OpenBLAS threads; 0 chooses by model size (one thread for small products, where
    /// threading costs more than it gains, else one per core).
    public var threads: Int
    /// How each epoch orders the training rows; streaming from disk needs `chunks`.
    public var shuffle: ShuffleMode
    /// Consecutive file rows that are read, and shuffled, as one unit.
    public var shuffleChunkRows: Int
    /// Rows held in the in-memory shuffle buffer from which batches are drawn at random.
    public var shuffleBufferRows: Int

    enum CodingKeys: String, CodingKey {
        case epochs, batchSize = "batch_size", learningRate = "learning_rate", weightDecay = "weight_decay"
        case learningRateStepEpochs = "lr_step_epochs", learningRateDecay = "lr_decay"
        case pretrainEpochs = "pretrain_epochs", leastSquaresInit = "least_squares_init"
        case deadConcepts = "dead_concepts", reviveUntil = "revive_until", reviveBelow = "revive_below", acceptance, threads
        case shuffle, shuffleChunkRows = "shuffle_chunk_rows", shuffleBufferRows = "shuffle_buffer_rows"
    }

    public init(section: ConfigSection) throws {
        epochs = try section.value("epochs", default: 60, expected: "a positive integer") { $0 > 0 }
        batchSize = try section.value("batch_size", default: 50, expected: "a positive integer") { $0 > 0 }
        learningRate = try section.value("learning_rate", default: 1e-3, expected: "a positive number") { $0 > 0 }
        weightDecay = try section.value("weight_decay", default: 1e-4, expected: "a non-negative number") { $0 >= 0 }
        learningRateStepEpochs = try section.value("lr_step_epochs", default: 40, expected: "a positive integer") { $0 > 0 }
        learningRateDecay = try section.value("lr_decay", default: 0.1, expected: "a number in (0, 1]") { $0 > 0 && $0 <= 1 }
        pretrainEpochs = try section.value("pretrain_epochs", default: 0, expected: "a non-negative integer") { $0 >= 0 }
        leastSquaresInit = try section.value("least_squares_init", default: true)
        deadConcepts = try section.value("dead_concepts", default: .revive)
        reviveUntil = try section.value("revive_until", default: 0.8, expected: "a number in [0, 1]") { $0 >= 0 && $0 <= 1 }
        reviveBelow = try section.value("revive_below", default: 0.01, expected: "a share in [0, 1)") { $0 >= 0 && $0 < 1 }
        acceptance = try AcceptanceConfiguration(section: section.section("acceptance"))
        threads = try section.value("threads", default: 0, expected: "a non-negative integer") { $0 >= 0 }
        shuffle = try section.value("shuffle", default: .full)
        shuffleChunkRows = try section.value("shuffle_chunk_rows", default: 1024, expected: "a positive integer") { $0 > 0 }
        let chunkRows = shuffleChunkRows
        shuffleBufferRows = try section.value("shuffle_buffer_rows", default: 16 * chunkRows,
                                              expected: "an integer ≥ training.shuffle_chunk_rows (\(chunkRows))") { $0 >= chunkRows }
        try section.finish()
    }
}

/// docs/method.md §4 step 4: when a trained space is good enough, and how to retry when it is not.
public struct AcceptanceConfiguration: Encodable, Equatable, Sendable {
    public var enabled: Bool
    public var maxRetries: Int
    /// At least this many concepts must have a positive mean contribution…
    public var minimumPositiveConcepts: Int
    /// …and the second largest must be at least this share of the largest.
    public var secondToFirstRatio: Double
    public var reconstructionFactor: Float
    public var pullAwayFactor: Float

    enum CodingKeys: String, CodingKey {
        case enabled, maxRetries = "max_retries", minimumPositiveConcepts = "min_positive_concepts"
        case secondToFirstRatio = "second_to_first_ratio", reconstructionFactor = "reconstruction_factor"
        case pullAwayFactor = "pull_away_factor"
    }

    public init(section: ConfigSection) throws {
        enabled = try section.value("enabled", default: true)
        maxRetries = try section.value("max_retries", default: 5, expected: "a non-negative integer") { $0 >= 0 }
        minimumPositiveConcepts = try section.value("min_positive_concepts", default: 2, expected: "a positive integer") { $0 > 0 }
        secondToFirstRatio = try section.value("second_to_first_ratio", default: 0.3, expected: "a number in [0, 1]") { $0 >= 0 && $0 <= 1 }
        reconstructionFactor = try section.value("reconstruction_factor", default: 1.2, expected: "a positive number") { $0 > 0 }
        pullAwayFactor = try section.value("pull_away_factor", default: 0.8, expected: "a positive number") { $0 > 0 }
        try section.finish()
    }
}

public struct OutputConfiguration: Encodable, Equatable, Sendable {
    /// The run directory; by default `runs/` plus the configuration file's name.
    public var directory: String?

    public init(section: ConfigSection) throws {
        directory = try section.optional("directory")
        try section.finish()
    }
}
