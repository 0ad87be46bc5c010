import XNNStorage

/// How an epoch orders the training rows.
public enum ShuffleMode: String, ConfigEnumeration, Encodable, Sendable {
    /// A uniform permutation of all training rows (needs them all in memory).
    case full
    /// Chunks of consecutive rows in random order, then rows drawn at random from a shuffle
    /// buffer: the order a stream from disk can follow, and the same in memory.
    case chunks
}

/// How the weight of faithfulness is set (docs/method.md §4).
public enum TrainingRecipe: String, ConfigEnumeration, Encodable, Sendable {
    /// Faithfulness is a constraint: the trainer raises or lowers α_pred so the training R² stays at
    /// `faithfulness_target`, and keeps the epoch that is best on the validation rows.
    case constrained
    /// The paper's fixed weights, for the configured number of epochs, the last epoch kept.
    case paper

    /// The constrained recipe starts from independent components; the paper's from random weights, as in [1].
    public var defaultConceptStart: ConceptStart { self == .paper ? .random : .independentComponents }
}

/// Where the concepts start before the joint fine-tuning (docs/method.md §4, "Where the concepts start").
public enum ConceptStart: String, ConfigEnumeration, Encodable, Sendable {
    /// The seeded random weights.
    case random
    /// The encoder is first taught the independent components of the activations that best
    /// rebuild the targets.
    case independentComponents = "independent_components"
}

/// What to do with a concept that is zero for every training sample.
public enum DeadConceptPolicy: String, ConfigEnumeration, Encodable, Sendable {
    /// Re-seed it towards the rows the model gets most wrong, firing on about a fifth of them
    /// (docs/method.md §4, "Dead-concept revival"), and keep training.
    case revive
    /// Count the run as not accepted and retrain (within the acceptance retries).
    case retry
    /// Only report it.
    case ignore
}

/// The `training:` section: the recipe of docs/method.md §4 and how it runs.
public struct TrainingConfiguration: Encodable, Equatable, Sendable {
    public var recipe = TrainingRecipe.constrained
    /// R² of the rebuilt outputs the `constrained` recipe holds the training batches to; lowered to
    /// what a ridge regression from z reaches on the validation rows (less 0.01) when that is less.
    public var faithfulnessTarget = 0.98
    /// Mean squared cosine between concept contributions (the pull-away term) the `constrained`
    /// recipe holds the batches to by adapting α_pt; nil keeps α_pt fixed.
    public var orthogonalityTarget: Double? = 0.02
    /// Stop when the validation choice has not improved for this many epochs (0 = run every epoch).
    public var patience = 20
    public var epochs = 60
    public var batchSize = 50
    public var learningRate: Float = 1e-3
    public var weightDecay: Float = 1e-4
    /// The learning rate is multiplied by `learningRateDecay` every `learningRateStepEpochs` epochs.
    public var learningRateStepEpochs = 40
    public var learningRateDecay: Float = 0.1
    /// Epochs of greedy layer-wise pre-training per encoder layer (0 = off).
    public var pretrainEpochs = 0
    /// Initialise the predictor by least squares of the targets on the encoder's x.
    public var leastSquaresInit = true
    /// Where the concepts start; by default the recipe's `defaultConceptStart`.
    public var conceptStart = TrainingRecipe.constrained.defaultConceptStart
    public var deadConcepts = DeadConceptPolicy.revive
    /// Revive dead concepts only up to this share of the epochs, so the last ones can settle.
    public var reviveUntil = 0.8
    /// A concept firing on fewer than this share of the training samples in an epoch is revived too.
    public var reviveBelow = 0.01
    public var acceptance = AcceptanceConfiguration()
    public var search = SearchConfiguration()
    /// Worker threads for the products and Adam (OpenBLAS itself runs one per call); 0 chooses by
    /// model size (one thread for small products, where threading costs more than it gains, else
    /// one per core). Any count gives the same bits (docs/reliability.md).
    public var threads = 0
    /// How each epoch orders the training rows; streaming from disk needs `chunks`.
    public var shuffle = ShuffleMode.full
    /// Consecutive file rows that are read, and shuffled, as one unit.
    public var shuffleChunkRows = 1024
    /// Rows held in the in-memory shuffle buffer from which batches are drawn at random; nil
    /// means 16 chunks.
    public var shuffleBufferRows: Int?
    /// Minutes between checkpoints, saved at epoch boundaries (0 = at every epoch boundary);
    /// docs/reliability.md, "Checkpoints and resume".
    public var checkpointMinutes = 5.0

    enum CodingKeys: String, CodingKey {
        case recipe, faithfulnessTarget = "faithfulness_target", orthogonalityTarget = "orthogonality_target", patience
        case epochs, batchSize = "batch_size", learningRate = "learning_rate", weightDecay = "weight_decay"
        case learningRateStepEpochs = "lr_step_epochs", learningRateDecay = "lr_decay"
        case pretrainEpochs = "pretrain_epochs", leastSquaresInit = "least_squares_init", conceptStart = "concept_start"
        case deadConcepts = "dead_concepts", reviveUntil = "revive_until", reviveBelow = "revive_below", acceptance, search, threads
        case shuffle, shuffleChunkRows = "shuffle_chunk_rows", shuffleBufferRows = "shuffle_buffer_rows"
        case checkpointMinutes = "checkpoint_minutes"
    }

    public init() {}

    /// The shuffle buffer in rows, resolved.
    public var shuffleBuffer: Int { shuffleBufferRows ?? 16 * shuffleChunkRows }

    public init(section: ConfigSection) throws {
        let positiveInteger = "a positive integer", nonNegativeInteger = "a non-negative integer"
        try section.read(&recipe, CodingKeys.recipe)
        conceptStart = recipe.defaultConceptStart
        try section.read(&faithfulnessTarget, CodingKeys.faithfulnessTarget, expected: "an R² in (0, 1)") { $0 > 0 && $0 < 1 }
        try section.read(&orthogonalityTarget, CodingKeys.orthogonalityTarget, expected: "a mean squared cosine in (0, 1)") { $0 > 0 && $0 < 1 }
        try section.read(&patience, CodingKeys.patience, expected: nonNegativeInteger) { $0 >= 0 }
        try section.read(&epochs, CodingKeys.epochs, expected: positiveInteger) { $0 > 0 }
        try section.read(&batchSize, CodingKeys.batchSize, expected: positiveInteger) { $0 > 0 }
        try section.read(&learningRate, CodingKeys.learningRate, expected: "a positive number") { $0 > 0 }
        try section.read(&weightDecay, CodingKeys.weightDecay, expected: "a non-negative number") { $0 >= 0 }
        try section.read(&learningRateStepEpochs, CodingKeys.learningRateStepEpochs, expected: positiveInteger) { $0 > 0 }
        try section.read(&learningRateDecay, CodingKeys.learningRateDecay, expected: "a number in (0, 1]") { $0 > 0 && $0 <= 1 }
        try section.read(&pretrainEpochs, CodingKeys.pretrainEpochs, expected: nonNegativeInteger) { $0 >= 0 }
        try section.read(&leastSquaresInit, CodingKeys.leastSquaresInit)
        try section.read(&conceptStart, CodingKeys.conceptStart)
        try section.read(&deadConcepts, CodingKeys.deadConcepts)
        try section.read(&reviveUntil, CodingKeys.reviveUntil, expected: "a number in [0, 1]") { $0 >= 0 && $0 <= 1 }
        try section.read(&reviveBelow, CodingKeys.reviveBelow, expected: "a share in [0, 1)") { $0 >= 0 && $0 < 1 }
        acceptance = try AcceptanceConfiguration(section: section.section(CodingKeys.acceptance))
        search = try SearchConfiguration(section: section.section(CodingKeys.search))
        try section.read(&threads, CodingKeys.threads, expected: nonNegativeInteger) { $0 >= 0 }
        try section.read(&shuffle, CodingKeys.shuffle)
        try section.read(&shuffleChunkRows, CodingKeys.shuffleChunkRows, expected: positiveInteger) { $0 > 0 }
        let chunkRows = shuffleChunkRows
        try section.read(&shuffleBufferRows, CodingKeys.shuffleBufferRows,
                         expected: "an integer ≥ training.shuffle_chunk_rows (\(chunkRows))") { $0 >= chunkRows }
        try section.read(&checkpointMinutes, CodingKeys.checkpointMinutes, expected: "a non-negative number of minutes") { $0 >= 0 && $0.isFinite }
        try section.finish()
    }
}

/// docs/method.md §4 step 4: when a trained space is good enough, and how to retry when it is not.
public struct AcceptanceConfiguration: Encodable, Equatable, Sendable {
    public var enabled = true
    public var maxRetries = 2
    /// At least this many concepts must have a positive mean contribution…
    public var minimumPositiveConcepts = 2
    /// …and the second largest must be at least this share of the largest.
    public var secondToFirstRatio = 0.3
    /// Share of the training rows, those with the largest summed explained outputs, over which the
    /// mean contributions are taken (1 = every row).
    public var evidenceShare = 0.1
    public var reconstructionFactor: Float = 1.2
    public var pullAwayFactor: Float = 0.8

    enum CodingKeys: String, CodingKey {
        case enabled, maxRetries = "max_retries", minimumPositiveConcepts = "min_positive_concepts"
        case secondToFirstRatio = "second_to_first_ratio", evidenceShare = "evidence_share", reconstructionFactor = "reconstruction_factor"
        case pullAwayFactor = "pull_away_factor"
    }

    public init() {}

    public init(section: ConfigSection) throws {
        try section.read(&enabled, CodingKeys.enabled)
        try section.read(&maxRetries, CodingKeys.maxRetries, expected: "a non-negative integer") { $0 >= 0 }
        try section.read(&minimumPositiveConcepts, CodingKeys.minimumPositiveConcepts, expected: "a positive integer") { $0 > 0 }
        try section.read(&secondToFirstRatio, CodingKeys.secondToFirstRatio, expected: "a number in [0, 1]") { $0 >= 0 && $0 <= 1 }
        try section.read(&evidenceShare, CodingKeys.evidenceShare, expected: "a share in (0, 1]") { $0 > 0 && $0 <= 1 }
        try section.read(&reconstructionFactor, CodingKeys.reconstructionFactor, expected: "a positive number") { $0 > 0 }
        try section.read(&pullAwayFactor, CodingKeys.pullAwayFactor, expected: "a positive number") { $0 > 0 }
        try section.finish()
    }
}
