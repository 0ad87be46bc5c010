import Foundation
import XNNEvaluation
import XNNLinearAlgebra
import XNNModel

/// The training recipe of docs/method.md §4: optional layer-wise pre-training, least-squares predictor,
/// joint fine-tuning with Adam and a step schedule, dead-concept revival, and the acceptance
/// test with re-weighted retries.
public struct Trainer {
    public let architecture: SRAEArchitecture
    public let lossWeights: LossWeights
    public let settings: TrainingConfiguration
    public let seed: Int
    public let kind: ModelKind

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
        BLAS.setThreadCount(Self.blasThreads(settings: settings, architecture: architecture))
        let clock = ContinuousClock.now
        if kind == .pca || kind == .nmf { return try fitLinearBaseline(data, started: clock, onEvent: onEvent) }
        var weights = lossWeights
        var history: [EpochRecord] = []
        var reports: [AttemptReport] = []
        // Only the best attempt so far stays in memory: an accepted one, failing that the one with
        // fewest dead concepts and the best fit (the earliest on a tie).
        var best: (report: AttemptReport, model: any ConceptModel)?
        func isBetter(_ a: AttemptReport, than b: AttemptReport) -> Bool {
            (a.deadConcepts.count, a.finalLosses.faithfulness) < (b.deadConcepts.count, b.finalLosses.faithfulness)
        }
        let maxAttempts = settings.acceptance.enabled ? settings.acceptance.maxRetries + 1 : 1
        var trainedSamples = 0, trainingSeconds = 0.0
        for attempt in 0..<maxAttempts {
            let run = try trainOnce(data, weights: weights, attempt: attempt, onEvent: onEvent)
            history += run.history
            trainedSamples += run.history.count * data.trainRows.count
            trainingSeconds += run.history.reduce(0) { $0 + $1.seconds }
            let report = try assess(run.model, data: data, weights: weights, attempt: attempt, finalLosses: run.history.last?.losses ?? LossValues())
            reports.append(report)
            if report.accepted || best.map({ isBetter(report, than: $0.report) }) ?? true { best = (report, run.model) }
            guard !report.accepted && attempt + 1 < maxAttempts else {
                onEvent(.attemptFinished(report, retryWith: nil))
                break
            }
            weights.reconstruction *= settings.acceptance.reconstructionFactor
            weights.pullAway *= settings.acceptance.pullAwayFactor
            onEvent(.attemptFinished(report, retryWith: weights))
        }
        let chosen = best!
        return TrainingOutcome(model: chosen.model, history: history, attempts: reports, chosen: chosen.report,
                               seconds: clock.duration(to: .now).seconds,
                               samplesPerSecond: trainingSeconds > 0 ? Double(trainedSamples) / trainingSeconds : 0)
    }

    /// PCA or NMF (docs/method.md §7): a closed-form or iterative fit, the least-squares predictor, the same assessment.
    func fitLinearBaseline(_ data: ActivationData, started: ContinuousClock.Instant,
                           onEvent: (TrainingEvent) -> Void) throws -> TrainingOutcome {
        let k = architecture.concepts, outputs = architecture.outputs
        let model: any ConceptModel
        if kind == .pca {
            let fit = PrincipalComponents.fit(data.inputs, rows: data.trainRows, components: k, seed: UInt64(seed))
            model = PrincipalComponents.model(fit, outputs: outputs)
        } else {
            let fit = try NonNegativeFactorization.fit(data.inputs, rows: data.trainRows, components: k, seed: UInt64(seed))
            model = NonNegativeFactorizationModel(basis: fit.basis, outputs: outputs)
        }
        try fitPredictor(model, data: data)
        let report = try assess(model, data: data, weights: lossWeights, attempt: 0, finalLosses: LossValues())
        onEvent(.attemptFinished(report, retryWith: nil))
        return TrainingOutcome(model: model, history: [], attempts: [report], chosen: report,
                               seconds: started.duration(to: .now).seconds, samplesPerSecond: 0)
    }

    /// Data streamed from disk (above `data.memory_budget_mb`) supports the chunk-shuffled epoch
    /// loop and block-wise passes only; say which setting to change when that is not enough.
    func checkStreaming(_ data: ActivationData) throws {
        guard let streamed = data.streamed else { return }
        let budget = "\(streamed.file) takes \(Int((Double(data.sampleCount * data.inputDimension) * 4 / 1_048_576).rounded())) MB, more than data.memory_budget_mb, so it is streamed from disk"
        if settings.shuffle != .chunks {
            throw DataError.streamingUnsupported(key: "training.shuffle", expected: "chunks", found: settings.shuffle.rawValue, reason: budget)
        }
        let shuffleMB = Double(ChunkShuffler.memoryBytes(chunkRows: settings.shuffleChunkRows, bufferRows: settings.shuffleBuffer,
                                                          columns: data.inputDimension, outputs: data.outputCount)) / 1_048_576
        if shuffleMB > streamed.memoryBudgetMB {
            throw DataError.streamingUnsupported(
                key: "training.shuffle_buffer_rows", expected: "a buffer that fits the budget with two read-ahead chunks",
                found: String(format: "%d rows + 2 × %d-row chunks = %.0f MB > data.memory_budget_mb %.0f MB",
                              settings.shuffleBuffer, settings.shuffleChunkRows, shuffleMB, streamed.memoryBudgetMB),
                reason: budget)
        }
        if settings.pretrainEpochs > 0 {
            throw DataError.streamingUnsupported(key: "training.pretrain_epochs", expected: "0", found: "\(settings.pretrainEpochs)", reason: budget)
        }
        if kind == .pca || kind == .nmf {
            throw DataError.streamingUnsupported(key: "model.kind", expected: "srae, autoencoder or srae_no_reconstruction",
                                                 found: kind.rawValue, reason: budget)
        }
    }

    /// The configured thread count, or for 0: one thread when the largest product of a step is
    /// below ~20 M multiply-adds (measured: two threads were slower there), else one per core.
    static func blasThreads(settings: TrainingConfiguration, architecture: SRAEArchitecture) -> Int {
        if settings.threads > 0 { return settings.threads }
        let widths = architecture.encoderWidths
        let largestLayer = zip(widths, widths.dropFirst()).map { $0 * $1 }.max() ?? 0
        return settings.batchSize * largestLayer < 20_000_000 ? 1 : ProcessInfo.processInfo.activeProcessorCount
    }

    /// One pass of the recipe with fixed loss weights.
    func trainOnce(_ data: ActivationData, weights: LossWeights, attempt: Int,
                   onEvent: (TrainingEvent) -> Void) throws -> (model: SRAE, history: [EpochRecord]) {
        let model = SRAE(architecture: architecture)
        // Separate streams: a change in how often dropout draws never moves the initial weights.
        var initGenerator = SeededGenerator(seed: UInt64(seed), stream: 100 + UInt64(attempt))
        var shuffleGenerator = SeededGenerator(seed: UInt64(seed), stream: 200 + UInt64(attempt))
        var dropoutGenerator = SeededGenerator(seed: UInt64(seed), stream: 300 + UInt64(attempt))
        model.initialize(using: &initGenerator)
        let ws = SRAEWorkspace(architecture: architecture, capacity: settings.batchSize)

        if settings.pretrainEpochs > 0 {
            LayerwisePretraining.run(model: model, data: data, settings: settings, generator: &shuffleGenerator, onEvent: onEvent)
        }
        if settings.leastSquaresInit { try fitPredictor(model, data: data) }

        // The optimiser's element-wise pass uses as many cores as the products do.
        let adam = Adam(parameters: model.parameters, learningRate: settings.learningRate, weightDecay: settings.weightDecay,
                        pool: WorkerPool(threads: BLAS.threadCount))
        var order = data.trainRows
        let shuffler = settings.shuffle == .chunks
            ? ChunkShuffler(data: data, chunkRows: settings.shuffleChunkRows, bufferRows: settings.shuffleBuffer) : nil
        var history: [EpochRecord] = []
        let reviveEpochs = Int((Double(settings.epochs) * settings.reviveUntil).rounded(.down))
        for epoch in 0..<settings.epochs {
            let start = ContinuousClock.now
            adam.learningRate = settings.learningRate * pow(settings.learningRateDecay, Float(epoch / settings.learningRateStepEpochs))
            ws.resetConceptFiringCounts()
            var sums = LossValues(), batches = 0
            // The step: every loss and gradient on the batch in the workspace, then Adam.
            func step() {
                let losses = model.computeLossAndGradients(inputs: ws.inputs, targets: ws.targets, weights: weights,
                                                           workspace: ws, dropout: .sample, generator: &dropoutGenerator)
                adam.update()
                sums.total += losses.total; sums.faithfulness += losses.faithfulness
                sums.reconstruction += losses.reconstruction; sums.pullAway += losses.pullAway
                batches += 1
            }
            if let shuffler {
                shuffler.startEpoch(generator: &shuffleGenerator)
                while try shuffler.nextBatch(size: settings.batchSize, inputs: ws.inputs, targets: ws.targets,
                                             generator: &shuffleGenerator) > 0 { step() }
            } else {
                shuffleGenerator.shuffle(&order)
                var first = 0
                while first < order.count {
                    let batch = order[first..<min(first + settings.batchSize, order.count)]
                    first += batch.count
                    ActivationData.gather(rows: batch, from: data.inputs, into: ws.inputs)
                    ActivationData.gather(rows: batch, from: data.targets, into: ws.targets)
                    step()
                }
            }
            let counts = ws.conceptFiringCountsArray
            let dead = counts.enumerated().filter { $0.element == 0 }.map(\.offset)
            // Concepts firing on fewer than `reviveBelow` of the samples are as good as dead.
            let rare = counts.enumerated().filter { Double($0.element) < settings.reviveBelow * Double(order.count) }.map(\.offset)
            var revived: [Int] = []
            if !rare.isEmpty && settings.deadConcepts == .revive && epoch < reviveEpochs {
                try revive(rare, model: model, adam: adam, data: data, workspace: ws, generator: &initGenerator)
                revived = rare
            }
            let seconds = start.duration(to: .now).seconds
            let n = Double(max(batches, 1))
            let record = EpochRecord(
                attempt: attempt, epoch: epoch + 1, learningRate: adam.learningRate,
                losses: LossValues(total: sums.total / n, faithfulness: sums.faithfulness / n,
                                   reconstruction: sums.reconstruction / n, pullAway: sums.pullAway / n),
                deadConcepts: dead, revivedConcepts: revived, seconds: seconds,
                samplesPerSecond: seconds > 0 ? Double(order.count) / seconds : 0)
            history.append(record)
            let meanSeconds = history.reduce(0) { $0 + $1.seconds } / Double(history.count)
            onEvent(.epoch(record, epochs: settings.epochs, secondsRemaining: meanSeconds * Double(settings.epochs - epoch - 1)))
        }
        return (model, history)
    }

    /// docs/method.md §4 step 2: V and b by least squares of y on the encoder's x over the training rows.
    func fitPredictor(_ model: any ConceptModel, data: ActivationData) throws {
        let (concepts, _) = try data.infer(model, rows: data.trainRows)
        let targets = Matrix(rows: data.trainRows.count, columns: data.outputCount)
        ActivationData.gather(rows: data.trainRows[...], from: data.targets, into: targets)
        let fit = try LeastSquares.fitAffine(inputs: concepts, targets: targets, ridge: 1e-3)
        for (i, w) in fit.weights.enumerated() { model.predictor.weight.value.storage[i] = w }
        for (i, b) in fit.intercepts.enumerated() { model.predictor.bias.value.storage[i] = b }
    }

    /// Re-seeds each dead concept where the model errs most (like dictionary resampling in sparse
    /// autoencoders): its incoming weights point from the mean code of all probe samples to the
    /// mean code of the 20% worst-rebuilt ones, its bias lets it fire on about that 20%, and its
    /// predictor column is the least-squares fit of the residual. It is useful at once, so the
    /// faithfulness gradient keeps it alive. Optimiser moments of the touched weights are reset.
    func revive(_ concepts: [Int], model: SRAE, adam: Adam, data: ActivationData, workspace ws: SRAEWorkspace,
                generator: inout SeededGenerator) throws {
        let conceptLayer = model.encoder[model.encoder.count - 1]
        let width = conceptLayer.inputs, outputs = model.architecture.outputs
        // Probe: codes h below the concept layer, predictions and targets for up to 2,000 training rows.
        let probeRows = Array(data.trainRows.prefix(2000))
        var codes = [Float](), residuals = [Double]()
        codes.reserveCapacity(probeRows.count * width)
        var start = 0
        while start < probeRows.count {
            let chunk = probeRows[start..<min(start + ws.capacity, probeRows.count)]
            start += chunk.count
            try data.gather(rows: chunk, into: ws.inputs)
            ActivationData.gather(rows: chunk, from: data.targets, into: ws.targets)
            ws.setBatchSize(chunk.count)
            let x = model.forwardEncoder(ws.inputs, workspace: ws, dropout: .off, generator: &generator)
            model.predictor.forward(x, into: ws.prediction)
            let below = model.encoder.count > 1 ? ws.encoderOutputs[model.encoder.count - 2] : ws.inputs
            codes.append(contentsOf: UnsafeBufferPointer(start: below.storage, count: below.count))
            for i in 0..<chunk.count {
                var r = 0.0
                for c in 0..<outputs { r += Double(ws.targets[i, c] - ws.prediction[i, c]) }
                residuals.append(r)
            }
        }
        let n = residuals.count
        let weightScale: Float = {
            var sum: Float = 0
            for i in 0..<conceptLayer.weight.value.count { sum += conceptLayer.weight.value.storage[i] * conceptLayer.weight.value.storage[i] }
            return (sum / Float(conceptLayer.outputs)).squareRoot()
        }()
        var targetedSamples = Set<Int>()
        for j in concepts {
            // The 20% most under-predicted or most over-predicted samples, whichever carries more error,
            // leaving out samples an earlier revival in this round already took.
            let order = (0..<n).filter { !targetedSamples.contains($0) }.sorted { residuals[$0] < residuals[$1] }
            let share = max(1, order.count / 5)
            let low = order.prefix(share), high = order.suffix(share)
            let lowMass = low.reduce(0) { $0 + abs(residuals[$1]) }, highMass = high.reduce(0) { $0 + abs(residuals[$1]) }
            let chosen = Array(highMass >= lowMass ? high : low)
            targetedSamples.formUnion(chosen)
            var direction = [Float](repeating: 0, count: width)
            for i in 0..<n { for d in 0..<width { direction[d] -= codes[i * width + d] / Float(n) } }
            for i in chosen { for d in 0..<width { direction[d] += codes[i * width + d] / Float(chosen.count) } }
            var norm = direction.reduce(0) { $0 + $1 * $1 }.squareRoot()
            if norm == 0 {  // no structure to aim at: a random direction
                for d in 0..<width { direction[d] = generator.nextFloat(in: -1, 1) }
                norm = direction.reduce(0) { $0 + $1 * $1 }.squareRoot()
            }
            let w = conceptLayer.weight.value.row(j)
            for d in 0..<width { w[d] = direction[d] / norm * weightScale }
            let preActivations = (0..<n).map { i -> Float in
                var sum: Float = 0
                for d in 0..<width { sum += w[d] * codes[i * width + d] }
                return sum
            }
            let threshold = preActivations.sorted()[min(n - 1, n - share)]
            conceptLayer.bias.value[0, j] = -threshold
            // Least-squares predictor weight of the residual on the new concept.
            var xr = 0.0, xx = 0.0
            for i in 0..<n {
                let xi = Double(max(0, preActivations[i] - threshold))
                xr += xi * residuals[i] / Double(outputs)
                xx += xi * xi
            }
            let v = xx > 0 ? Float(xr / xx) : generator.nextFloat(in: -0.1, 0.1)
            for c in 0..<outputs { model.predictor.weight.value[c, j] = v }
        }
        adam.resetMoments(of: conceptLayer.weight, rows: concepts)
        adam.resetMoments(of: conceptLayer.bias, columns: concepts)
        adam.resetMoments(of: model.predictor.weight, columns: concepts)
    }

    /// docs/method.md §4 step 4 on the training rows, plus the dead-concept check.
    func assess(_ model: any ConceptModel, data: ActivationData, weights: LossWeights, attempt: Int, finalLosses: LossValues) throws -> AttemptReport {
        let (concepts, _) = try data.infer(model, rows: data.trainRows)
        let measured = ConceptMetrics(concepts: concepts, conceptWeights: model.conceptWeights)
        let means = measured.meanContributions, dead = measured.deadConcepts
        let positive = means.filter { $0 > 0 }.sorted(by: >)
        let acceptance = settings.acceptance
        var reasons: [String] = []
        if positive.count < acceptance.minimumPositiveConcepts {
            reasons.append("\(positive.count) concept(s) with positive mean contribution, need \(acceptance.minimumPositiveConcepts)")
        } else if positive.count >= 2 && positive[1] < acceptance.secondToFirstRatio * positive[0] {
            reasons.append(String(format: "second largest contribution %.3g < %.2f × largest %.3g", positive[1], acceptance.secondToFirstRatio, positive[0]))
        }
        if !dead.isEmpty && settings.deadConcepts != .ignore {
            reasons.append("dead concept(s) \(dead.map(String.init).joined(separator: ", "))")
        }
        return AttemptReport(attempt: attempt, lossWeights: weights, meanContributions: means, positiveConcepts: positive.count,
                             deadConcepts: dead, accepted: reasons.isEmpty,
                             reason: reasons.isEmpty ? "accepted" : reasons.joined(separator: "; "), finalLosses: finalLosses)
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
