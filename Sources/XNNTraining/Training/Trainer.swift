import Foundation
import XNNEvaluation
import XNNLinearAlgebra
import XNNModel

/// The training recipe of docs/method.md §4: optional layer-wise pre-training, least-squares predictor,
/// joint fine-tuning with Adam and a step schedule, dead-concept revival, and the acceptance
/// test; the constrained recipe trains several fits and lets the validation rows choose, the
/// paper's recipe retries, re-weighted, until one passes.
public struct Trainer {
    public let architecture: SRAEArchitecture
    public let lossWeights: LossWeights
    public let settings: TrainingConfiguration
    public let seed: Int
    public let kind: ModelKind
    /// Who sets the BLAS thread count and how many cores are ours (the program, not this library);
    /// the resolved count is `settings.threadCount(for:cores:)`.
    public var threads = ComputeThreads.unchanged
    /// Checkpoints, resume and stop requests (TrainingCheckpointing.swift); nil trains without.
    public var checkpoints: TrainingCheckpointing?
    /// The least time between two `.batches` progress events inside an epoch.
    public var progressInterval: Duration = .seconds(1)

    public init(architecture: SRAEArchitecture, lossWeights: LossWeights, settings: TrainingConfiguration, seed: Int,
                kind: ModelKind = .srae) {
        self.kind = kind
        self.architecture = architecture
        self.lossWeights = lossWeights
        self.settings = settings
        self.seed = seed
    }

    public func train(_ data: ActivationData, onEvent: (TrainingEvent) -> Void = { _ in }) throws -> TrainingOutcome {
        try checkStreaming(data)
        try checkSettings(against: data)
        // The products and the optimiser's element-wise pass share the pool's cores.
        let pool = threads.use(settings.threadCount(for: architecture, cores: threads.cores))
        let clock = ContinuousClock.now
        if kind.isClosedForm { return try fitLinearBaseline(data, started: clock, onEvent: onEvent) }
        // Everything carried from fit to fit; a resumed run takes it from its checkpoint. Only the
        // best fit so far stays in memory (AttemptReport.isBetter).
        var progress = try checkpoints?.resumedProgress(architecture: architecture)
            ?? RunProgress(weights: lossWeights, target: settings.recipe == .constrained ? try attainableFaithfulness(data) : nil)
        let plan = FitPlan(settings: settings)
        while progress.attempt < plan.maxFits {
            let attempt = progress.attempt, weights = progress.weights
            let seconds = progress.secondsBefore + clock.duration(to: .now).seconds
            guard plan.budgetAllows(fit: attempt, after: seconds) else { break }
            let regularisation = plan.regularisation(of: attempt, configuredWeightDecay: settings.weightDecay,
                                                     architecture: architecture)
            checkpoints?.attemptStarting(progress)
            let run = try trainOnce(data, weights: weights, regularisation: regularisation, attempt: attempt,
                                    faithfulnessTarget: progress.target, pool: pool, onEvent: onEvent)
            progress.history += run.history
            progress.trainedSamples += run.history.count * data.trainRows.count
            progress.trainingSeconds += run.history.reduce(0) { $0 + $1.seconds }
            var report = try assess(run.model, data: data, weights: weights, attempt: attempt, finalLosses: run.history.last?.losses ?? LossValues())
            report.regularisation = regularisation
            report.start = run.start
            report.requireTargets(run.quality, orthogonalityTolerance: 0.5 * (settings.orthogonalityTarget ?? 0))
            progress.reports.append(report)
            if progress.best.map({ report.isBetter(than: $0.report) }) ?? true { progress.best = (report, run.model) }
            // The search trains every fit and lets the validation rows choose; the paper's recipe
            // retries, re-weighted, only until an attempt passes.
            let another = attempt + 1 < plan.maxFits && (plan.isSearch || !report.accepted)
            guard another else {
                onEvent(.attemptFinished(report, retryWith: nil))
                break
            }
            if !plan.isSearch {
                progress.weights.reconstruction *= settings.acceptance.reconstructionFactor
                progress.weights.pullAway *= settings.acceptance.pullAwayFactor
            }
            progress.attempt += 1
            onEvent(.attemptFinished(report, retryWith: plan.isSearch ? nil : progress.weights))
        }
        let chosen = progress.best!
        return TrainingOutcome(model: chosen.model, history: progress.history, attempts: progress.reports, chosen: chosen.report,
                               seconds: clock.duration(to: .now).seconds,
                               samplesPerSecond: progress.trainingSeconds > 0 ? Double(progress.trainedSamples) / progress.trainingSeconds : 0)
    }

    /// One pass of the recipe: the `constrained` recipe adapts α_pred each step and keeps the epoch
    /// the validation rows choose; the `paper` recipe keeps its weights and its last epoch.
    func trainOnce(_ data: ActivationData, weights: LossWeights, regularisation: Regularisation, attempt: Int,
                   faithfulnessTarget: Double?, pool: WorkerPool,
                   onEvent: (TrainingEvent) -> Void) throws -> (model: SRAE, history: [EpochRecord], quality: EpochQuality?,
                                                               start: ConceptStartRecord?) {
        let architecture = regularisation.applied(to: self.architecture)
        // Separate streams: a change in how often dropout draws never moves the initial weights.
        var initGenerator = SeededGenerator(seed: UInt64(seed), stream: 100 + UInt64(attempt))
        var shuffleGenerator = SeededGenerator(seed: UInt64(seed), stream: 200 + UInt64(attempt))
        var dropoutGenerator = SeededGenerator(seed: UInt64(seed), stream: 300 + UInt64(attempt))
        // A resumed attempt takes its model from the checkpoint (below), not from initialisation.
        let resumed = checkpoints?.takeResumedAttempt()
        let (model, start) = try resumed.map { (SRAE(architecture: architecture), $0.state.attemptStart) }
            ?? initialModel(data, architecture: architecture, attempt: attempt, pool: pool, initGenerator: &initGenerator,
                            shuffleGenerator: &shuffleGenerator, onEvent: onEvent)
        model.pool = pool
        let ws = SRAEWorkspace(architecture: architecture, capacity: settings.batchSize)

        let adam = Adam(parameters: model.parameters, learningRate: settings.learningRate, weightDecay: regularisation.weightDecay,
                        pool: pool)
        let batches = settings.batchSource(for: data)
        var stepWeights = weights
        var multipliers = LossMultipliers(settings: settings, weights: weights, faithfulnessTarget: faithfulnessTarget, data: data)
        let best = BestEpoch()
        var history: [EpochRecord] = []
        // ── Checkpoint hooks (TrainingCheckpoint.swift): restore, capture at each epoch's start, stop after a step.
        let objects = AttemptObjects(model: model, adam: adam, batches: batches, best: best, start: start)
        try resumed?.restoreAttempt(into: objects, &initGenerator, &shuffleGenerator, &dropoutGenerator,
                                    stepWeights: &stepWeights, multipliers: &multipliers, history: &history)
        for epoch in (resumed?.state.epoch ?? 0)..<settings.epochs {
            try checkpoints?.epochStarting { run, elapsed in
                TrainingCheckpoint(run: run, elapsedSeconds: elapsed, epoch: epoch, objects: objects, generators: [initGenerator, shuffleGenerator, dropoutGenerator],
                                   stepWeights: stepWeights, multipliers: multipliers, history: history)
            }
            let start = ContinuousClock.now
            adam.learningRate = settings.learningRate * pow(settings.learningRateDecay, Float(epoch / settings.learningRateStepEpochs))
            ws.resetConceptFiringCounts()
            var sums = LossValues(), steps = 0, lastReport = start
            batches.startEpoch(generator: &shuffleGenerator)
            // The step: every loss and gradient on the batch in the workspace, then Adam.
            while try batches.nextBatch(size: settings.batchSize, inputs: ws.inputs, targets: ws.targets, generator: &shuffleGenerator) > 0 {
                let losses = model.computeLossAndGradients(inputs: ws.inputs, targets: ws.targets, weights: stepWeights,
                                                           workspace: ws, dropout: .sample, generator: &dropoutGenerator)
                adam.update()
                multipliers.update(after: losses, weights: &stepWeights)
                sums.add(losses)
                steps += 1
                try checkpoints?.stepFinished()
                reportBatches(&lastReport, attempt: attempt, epoch: epoch, steps: steps, started: start, data: data, onEvent: onEvent)
            }
            let dead = ws.conceptFiringCountsArray.enumerated().filter { $0.element == 0 }.map(\.offset)
            let revived = try reviveRareConcepts(after: epoch, model: model, adam: adam, data: data, workspace: ws, generator: &initGenerator)
            let validation = try validate(model, data: data, weights: stepWeights, workspace: ws, generator: &dropoutGenerator)
            if let validation, faithfulnessTarget != nil {
                best.consider(epoch: epoch + 1, validation: validation, target: faithfulnessTarget,
                              orthogonalityTarget: multipliers.orthogonalityTarget, weights: weights, model: model)
            }
            let seconds = start.duration(to: .now).seconds
            let record = EpochRecord(
                attempt: attempt, epoch: epoch + 1, learningRate: adam.learningRate, losses: sums.averaged(over: steps),
                faithfulnessWeight: stepWeights.prediction, pullAwayWeight: stepWeights.pullAway, validation: validation,
                deadConcepts: dead, revivedConcepts: revived, seconds: seconds,
                samplesPerSecond: seconds > 0 ? Double(data.trainRows.count) / seconds : 0)
            history.append(record)
            try checkDivergence(record, data: data)
            let meanSeconds = history.reduce(0) { $0 + $1.seconds } / Double(history.count)
            onEvent(.epoch(record, epochs: settings.epochs, secondsRemaining: meanSeconds * Double(settings.epochs - epoch - 1)))
            if best.shouldStop(after: epoch + 1, patience: settings.patience) { break }
        }
        if best.epoch > 0 {
            best.restore(into: model)
            history[best.epoch - 1].kept = true
        }
        return (model, history, best.key, start)
    }
}

extension Trainer {
    /// Progress inside a long epoch: every 16 steps the clock is read, and an event goes out when
    /// `progressInterval` has passed since the last one.
    func reportBatches(_ last: inout ContinuousClock.Instant, attempt: Int, epoch: Int, steps: Int,
                       started: ContinuousClock.Instant, data: ActivationData, onEvent: (TrainingEvent) -> Void) {
        guard steps % 16 == 0 else { return }
        let now = ContinuousClock.now
        guard last.duration(to: now) >= progressInterval else { return }
        last = now
        let total = (data.trainRows.count + settings.batchSize - 1) / settings.batchSize
        let seconds = started.duration(to: now).seconds
        onEvent(.batches(attempt: attempt, epoch: epoch + 1, done: steps, total: total,
                         samplesPerSecond: seconds > 0 ? Double(steps * settings.batchSize) / seconds : 0))
    }

    /// Steps 1 and 2 of the recipe: seeded weights, optional layer-wise pre-training, the
    /// independent-component start, least-squares predictor. Pre-training and the start run on
    /// `pool`, as the epochs do (the same bits on any pool; docs/reliability.md).
    func initialModel(_ data: ActivationData, architecture: SRAEArchitecture, attempt: Int, pool: WorkerPool,
                      initGenerator: inout SeededGenerator, shuffleGenerator: inout SeededGenerator,
                      onEvent: (TrainingEvent) -> Void) throws -> (model: SRAE, start: ConceptStartRecord?) {
        let model = SRAE(architecture: architecture)
        model.initialize(using: &initGenerator)
        model.pool = pool
        if settings.pretrainEpochs > 0 {
            LayerwisePretraining.run(model: model, data: data, settings: settings, pool: pool, generator: &shuffleGenerator,
                                     onEvent: onEvent)
        }
        var start: ConceptStartRecord?
        if settings.conceptStart == .independentComponents {
            let record = try IndependentComponentStart.run(model: model, data: data, settings: settings, pool: pool,
                                                           generator: &shuffleGenerator)
            onEvent(.conceptStart(attempt: attempt, record))
            start = record
        }
        if settings.leastSquaresInit { try fitPredictor(model, data: data) }
        return (model, start)
    }
}
