import XNNLinearAlgebra
import XNNModel

/// What `Trainer.train` carries from one attempt to the next.
struct RunProgress {
    var attempt = 0
    /// The loss weights the attempt starts from (the acceptance test re-weights them between attempts).
    var weights: LossWeights
    /// The constrained recipe's faithfulness target (computed once, before the first attempt).
    var target: Double?
    /// Epochs of the finished attempts.
    var history: [EpochRecord] = []
    var reports: [AttemptReport] = []
    /// The best finished attempt and its model.
    var best: (report: AttemptReport, model: SRAE)?
    var trainedSamples = 0
    var trainingSeconds = 0.0
    /// Wall-clock seconds the run spent before this process took over (the search's time budget counts them).
    var secondsBefore = 0.0
}

/// Everything needed to continue training bit for bit from the start of an epoch: the run's
/// progress over attempts, and the current attempt's parameters, Adam moments and step, the three
/// random generators, the shuffle order, the loss multipliers with their moving averages, the
/// best epoch so far with its parameters, and the epochs done (docs/reliability.md,
/// "Checkpoints and resume"). Nothing else in a run changes from epoch to epoch.
public struct TrainingCheckpoint: Sendable {
    /// The scalar part, stored as JSON; the arrays below are stored as they are.
    public struct State: Codable, Sendable, Equatable {
        public var attempt: Int
        public var attemptWeights: LossWeights
        public var faithfulnessTarget: Double?
        public var finishedHistory: [EpochRecord]
        public var reports: [AttemptReport]
        /// Index into `reports` of the best finished attempt.
        public var bestAttempt: Int?
        public var trainedSamples: Int
        public var trainingSeconds: Double
        /// Wall-clock seconds the run had taken at this checkpoint.
        public var elapsedSeconds: Double
        /// Epochs of this attempt already done: training continues with this (0-based) epoch.
        public var epoch: Int
        public var adamStep: Int
        /// Initialisation and revival, shuffling, dropout: four state words each, in hexadecimal.
        public var generators: [[String]]
        public var stepWeights: LossWeights
        /// α_pred and α_pt of the constrained recipe (nil when fixed).
        public var faithfulnessConstraint: ConstraintState?
        public var orthogonalityConstraint: ConstraintState?
        public var bestEpoch: Int
        public var bestEpochQuality: EpochQuality?
        /// Epochs of this attempt.
        public var history: [EpochRecord]
        /// Where this attempt's concepts started (method.md §4, "Where the concepts start").
        public var attemptStart: ConceptStartRecord?
    }

    public struct ConstraintState: Codable, Sendable, Equatable {
        public var multiplier: Float
        public var average: Double
    }

    public var state: State
    public var parameters: [[Float]]
    public var firstMoments: [[Float]]
    public var secondMoments: [[Float]]
    /// The best epoch's parameters (empty before one is chosen).
    public var bestEpochParameters: [[Float]]
    /// The best finished attempt's parameters (empty before the first attempt ends).
    public var bestAttemptParameters: [[Float]]
    public var batchOrder: [Int]
}

/// The objects of one attempt that change from epoch to epoch.
struct AttemptObjects {
    let model: SRAE
    let adam: Adam
    let batches: any BatchSource
    let best: BestEpoch
    let start: ConceptStartRecord?
}

extension TrainingCheckpoint {
    /// The state at the start of `epoch`, copied (an epoch later the objects have moved on).
    init(run: RunProgress, elapsedSeconds: Double, epoch: Int, objects: AttemptObjects, generators: [SeededGenerator], stepWeights: LossWeights,
         multipliers: LossMultipliers, history: [EpochRecord]) {
        let moments = objects.adam.momentValues
        state = State(
            attempt: run.attempt, attemptWeights: run.weights, faithfulnessTarget: run.target, finishedHistory: run.history,
            reports: run.reports, bestAttempt: run.best.flatMap { best in run.reports.firstIndex { $0.attempt == best.report.attempt } },
            trainedSamples: run.trainedSamples, trainingSeconds: run.trainingSeconds, elapsedSeconds: elapsedSeconds, epoch: epoch, adamStep: objects.adam.step,
            generators: generators.map { $0.stateWords.map { String($0, radix: 16) } }, stepWeights: stepWeights,
            faithfulnessConstraint: multipliers.faithfulness.map { ConstraintState(multiplier: $0.multiplier, average: $0.average) },
            orthogonalityConstraint: multipliers.orthogonality.map { ConstraintState(multiplier: $0.multiplier, average: $0.average) },
            bestEpoch: objects.best.epoch, bestEpochQuality: objects.best.key, history: history, attemptStart: objects.start)
        parameters = objects.model.parameters.map { $0.value.toArray() }
        (firstMoments, secondMoments) = (moments.first, moments.second)
        bestEpochParameters = objects.best.snapshot
        bestAttemptParameters = run.best?.model.parameters.map { $0.value.toArray() } ?? []
        batchOrder = ShuffleOrder.of(objects.batches)
    }

    /// The run's progress over attempts, with the best attempt's model rebuilt.
    func runProgress(architecture: SRAEArchitecture) throws -> RunProgress {
        var progress = RunProgress(attempt: state.attempt, weights: state.attemptWeights, target: state.faithfulnessTarget,
                                   history: state.finishedHistory, reports: state.reports,
                                   trainedSamples: state.trainedSamples, trainingSeconds: state.trainingSeconds,
                                   secondsBefore: state.elapsedSeconds)
        if let index = state.bestAttempt {
            guard state.reports.indices.contains(index) else { throw CheckpointError.inconsistent("best attempt \(index + 1) was never reported") }
            // The search may have given the fit its own dropout and widths.
            let fitArchitecture = state.reports[index].regularisation?.applied(to: architecture) ?? architecture
            let model = SRAE(architecture: fitArchitecture)
            try Self.load(bestAttemptParameters, into: model, what: "the best attempt's parameters")
            progress.best = (state.reports[index], model)
        }
        return progress
    }

    /// Puts the attempt's state back into freshly made objects.
    func restoreAttempt(into objects: AttemptObjects, _ initialization: inout SeededGenerator, _ shuffle: inout SeededGenerator,
                        _ dropout: inout SeededGenerator, stepWeights: inout LossWeights, multipliers: inout LossMultipliers,
                        history: inout [EpochRecord]) throws {
        try Self.load(parameters, into: objects.model, what: "the parameters")
        guard objects.adam.restore(step: state.adamStep, first: firstMoments, second: secondMoments) else {
            throw CheckpointError.inconsistent("the optimiser moments do not fit the model")
        }
        let generators = try state.generators.map { words in
            let values = words.compactMap { UInt64($0, radix: 16) }
            guard values.count == 4 else { throw CheckpointError.inconsistent("a random generator state is not four words") }
            return SeededGenerator(stateWords: values)
        }
        guard generators.count == 3 else { throw CheckpointError.inconsistent("expected 3 random generators, found \(generators.count)") }
        (initialization, shuffle, dropout) = (generators[0], generators[1], generators[2])
        try ShuffleOrder.restore(batchOrder, into: objects.batches)
        stepWeights = state.stepWeights
        guard (multipliers.faithfulness != nil) == (state.faithfulnessConstraint != nil),
              (multipliers.orthogonality != nil) == (state.orthogonalityConstraint != nil) else {
            throw CheckpointError.inconsistent("the loss multipliers do not match the recipe")
        }
        if let saved = state.faithfulnessConstraint { multipliers.faithfulness!.multiplier = saved.multiplier; multipliers.faithfulness!.average = saved.average }
        if let saved = state.orthogonalityConstraint { multipliers.orthogonality!.multiplier = saved.multiplier; multipliers.orthogonality!.average = saved.average }
        objects.best.epoch = state.bestEpoch
        objects.best.key = state.bestEpochQuality
        objects.best.snapshot = bestEpochParameters
        history = state.history
    }

    private static func load(_ values: [[Float]], into model: SRAE, what: String) throws {
        let parameters = model.parameters
        guard values.count == parameters.count, zip(values, parameters).allSatisfy({ $0.count == $1.value.count }) else {
            throw CheckpointError.inconsistent("\(what) do not fit the configured model")
        }
        for (saved, parameter) in zip(values, parameters) { parameter.value.storage.update(from: saved, count: saved.count) }
    }
}

/// The shuffle order a batch source carries from epoch to epoch (the rest of its state is rebuilt
/// at each epoch's start).
enum ShuffleOrder {
    static func of(_ source: any BatchSource) -> [Int] {
        switch source {
        case let rows as PermutedRows: return rows.order
        case let shuffler as ChunkShuffler: return shuffler.order
        default: preconditionFailure("\(type(of: source)) cannot be checkpointed: add it to ShuffleOrder")
        }
    }

    static func restore(_ order: [Int], into source: any BatchSource) throws {
        guard order.count == of(source).count, Set(order) == Set(of(source)) else {
            throw CheckpointError.inconsistent("the saved shuffle order does not fit the data's training rows")
        }
        switch source {
        case let rows as PermutedRows: rows.order = order
        case let shuffler as ChunkShuffler: shuffler.order = order
        default: preconditionFailure("\(type(of: source)) cannot be checkpointed: add it to ShuffleOrder")
        }
    }
}

/// A checkpoint that cannot be used; one line each.
public enum CheckpointError: Error, CustomStringConvertible, Equatable {
    case inconsistent(String)

    public var description: String {
        switch self {
        case .inconsistent(let reason): return "the checkpoint does not fit this run: \(reason)"
        }
    }
}
