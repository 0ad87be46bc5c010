import XNNEvaluation
import XNNLinearAlgebra
import XNNModel

/// docs/method.md §4, "Where the concepts start": before the joint fine-tuning, the encoder is
/// taught to output, as its k concepts, the k independent components of the training activations
/// that best rebuild the targets. Independent, non-Gaussian factors are identifiable by ICA; the
/// explanation-space loss alone would as gladly merge two of them that drive the same output.
enum IndependentComponentStart {
    /// Teaching the encoder its start (MSE of x against the chosen components) runs for epochs
    /// enough to make `minSteps` steps (at least `minEpochs`), and ends sooner once an epoch after
    /// the first `minEpochs` lowers the loss by less than `minimumGain` of it.
    static let minSteps = 3000, minEpochs = 5, minimumGain = 0.01
    /// At most this many training rows (evenly spaced) form the sample the start works on, read
    /// from memory or from the file alike (at D = 1280, 51 MB while the start runs).
    static let maxRows = 10_000

    /// Teaches `model` its start and returns what was done; the model keeps its random weights
    /// when no component settles at any count (no independent component was identified).
    static func run(model: SRAE, data: ActivationData, settings: TrainingConfiguration, pool: WorkerPool?,
                    generator: inout SeededGenerator) throws -> ConceptStartRecord {
        let k = model.architecture.concepts
        let stride = max(1, (data.trainRows.count + maxRows - 1) / maxRows)
        let rows = Swift.stride(from: 0, to: data.trainRows.count, by: stride).map { data.trainRows[$0] }
        guard rows.count > k + 1 else { return ConceptStartRecord(tried: []) }  // too few rows to find k components
        let sample = Matrix(rows: rows.count, columns: data.inputDimension)
        try data.gather(rows: rows[...], into: sample)
        let targets = ActivationData.gathered(rows: rows, from: data.targets)
        let all = Array(0..<rows.count)
        let axes = try PrincipalAxes(sample, rows: all, count: min(4 * k, data.inputDimension, rows.count - 1))
        // How many components to seek is not known: too few miss a weak factor, too many split
        // one. Each count is tried; the one whose k chosen components rebuild the targets best
        // wins. Components that settled (non-Gaussian, identified) are chosen before the others.
        let counts = candidateCounts(concepts: k, axes: axes.components.count)
        var record = ConceptStartRecord(tried: counts)
        var best: Matrix?
        for (count, ica) in try analyses(of: sample, axes: axes, counts: counts, pool: pool, generator: &generator) {
            let settled = ica.settled.indices.filter { ica.settled[$0] }
            record.settled.append(settled.count)
            guard !settled.isEmpty else { continue }
            let starts = rectified(ica.sources(of: sample))
            let others = ica.settled.indices.filter { !ica.settled[$0] }
            let (chosen, r2) = try forwardSelection(k, of: starts, groups: [settled, others], targets: targets)
            if r2 > record.r2 ?? -.infinity {
                (record.components, record.chosen, record.iterations, record.r2) = (count, chosen, ica.iterations, r2)
                best = starts
            }
        }
        guard let starts = best else { return record }
        let goal = Matrix(rows: starts.rows, columns: k)
        for r in 0..<goal.rows { for (j, c) in record.chosen.enumerated() { goal[r, j] = starts[r, c] } }
        record.finalLoss = teach(model, inputs: sample, goal: goal, settings: settings, pool: pool, generator: &generator)
        return record
    }

    /// The independent-component analysis of `sample` at each count. Once its starting draws are
    /// made (in count order, as one analysis after the other would make them), each analysis
    /// depends on nothing else, so they run side by side on the pool, the largest first: the
    /// same results as in sequence, on any number of threads.
    static func analyses(of sample: Matrix, axes: PrincipalAxes, counts: [Int], pool: WorkerPool?,
                         generator: inout SeededGenerator) throws -> [(count: Int, ica: IndependentComponents)] {
        let starts = counts.map { IndependentComponents.startingDraws(count: $0, generator: &generator) }
        let rows = Array(0..<sample.rows), last = counts.count - 1
        let largestFirst = try (pool ?? WorkerPool(threads: 1)).map(counts.count) { j in
            try IndependentComponents(sample, rows: rows, axes: axes, count: counts[last - j], start: starts[last - j])
        }
        return Array(zip(counts, largestFirst.reversed()))
    }

    /// k, 1.5k, 2k, 3k and 4k components, within the axes available.
    static func candidateCounts(concepts k: Int, axes: Int) -> [Int] {
        let counts = [k, (3 * k + 1) / 2, 2 * k, 3 * k, 4 * k].map { min($0, axes) }
        return counts.enumerated().filter { $0.offset == 0 || $0.element != counts[$0.offset - 1] }.map(\.element)
    }

    /// Each source shifted so its median is 0, cut at 0 (a concept is off on at least half the
    /// rows, as a sparse factor is) and scaled to unit root-mean-square.
    static func rectified(_ sources: [[Double]]) -> Matrix {
        let rows = sources.count, count = sources.first?.count ?? 0
        let result = Matrix(rows: rows, columns: count)
        for c in 0..<count {
            let column = sources.map { $0[c] }
            let median = column.sorted()[rows / 2]
            let cut = column.map { max($0 - median, 0) }
            let rms = (cut.reduce(0) { $0 + $1 * $1 } / Double(max(rows, 1))).squareRoot()
            for r in 0..<rows { result[r, c] = Float(rms > 0 ? cut[r] / rms : 0) }
        }
        return result
    }

    /// Greedy forward selection: k times, the candidate column that most raises the training R² of
    /// the affine least-squares fit of `targets` on the columns chosen so far, taken from the first
    /// group until it is used up, then from the next.
    static func forwardSelection(_ k: Int, of candidates: Matrix, groups: [[Int]], targets: Matrix) throws -> (chosen: [Int], r2: Double) {
        var chosen: [Int] = [], best = 0.0
        for group in groups {
            while chosen.count < k, group.contains(where: { !chosen.contains($0) }) {
                var pick = -1, pickR2 = -Double.infinity
                for c in group where !chosen.contains(c) {
                    let r2 = try fittedR2(columns: chosen + [c], of: candidates, targets: targets)
                    if r2 > pickR2 { pick = c; pickR2 = r2 }
                }
                chosen.append(pick)
                best = pickR2
            }
        }
        return (chosen, best)
    }

    static func fittedR2(columns: [Int], of candidates: Matrix, targets: Matrix) throws -> Double {
        let inputs = Matrix(rows: candidates.rows, columns: columns.count)
        for r in 0..<inputs.rows { for (j, c) in columns.enumerated() { inputs[r, j] = candidates[r, c] } }
        let fit = try LeastSquares.fitAffine(inputs: inputs, targets: targets)
        return FaithfulnessMetrics(predictions: LeastSquares.predictions(of: fit, for: inputs), targets: targets).r2
    }

    /// Adam on the encoder alone, MSE of x against `goal` (rows aligned with `inputs`).
    /// Returns the last epoch's mean loss.
    static func teach(_ model: SRAE, inputs: Matrix, goal: Matrix, settings: TrainingConfiguration, pool: WorkerPool?,
                      generator: inout SeededGenerator) -> Double {
        let batch = settings.batchSize, encoder = model.encoder
        let outputs = encoder.map { Matrix(rows: batch, columns: $0.outputs) }
        let gradients = encoder.map { Matrix(rows: batch, columns: $0.outputs) }
        let input = Matrix(rows: batch, columns: inputs.columns), want = Matrix(rows: batch, columns: goal.columns)
        let adam = Adam(parameters: encoder.flatMap(\.parameters), learningRate: settings.learningRate, weightDecay: settings.weightDecay,
                        pool: pool)
        var order = Array(0..<inputs.rows), last = Double.infinity
        let stepsPerEpoch = (order.count + batch - 1) / batch
        let epochs = max(minEpochs, (minSteps + stepsPerEpoch - 1) / stepsPerEpoch)
        for epoch in 0..<epochs {
            generator.shuffle(&order)
            var total = 0.0, batches = 0, start = 0
            while start < order.count {
                let chunk = order[start..<min(start + batch, order.count)]
                start += chunk.count
                ActivationData.gather(rows: chunk, from: inputs, into: input)
                ActivationData.gather(rows: chunk, from: goal, into: want)
                for m in outputs + gradients { m.setRowCount(chunk.count) }
                let x = model.encode(input, into: outputs, generator: &generator)
                total += MeanSquaredError.evaluate(prediction: x, target: want, gradient: gradients[encoder.count - 1], scale: 1)
                batches += 1
                for l in Swift.stride(from: encoder.count - 1, through: 0, by: -1) {
                    encoder[l].backward(input: l == 0 ? input : outputs[l - 1], output: outputs[l], outputGradient: gradients[l],
                                        inputGradient: l == 0 ? nil : gradients[l - 1])
                }
                adam.update()
            }
            let loss = total / Double(max(batches, 1))
            defer { last = loss }
            if epoch >= minEpochs && last - loss < minimumGain * last { break }
        }
        return last
    }
}

/// What the independent-component start did, recorded with each fit (metrics.json `fits`).
public struct ConceptStartRecord: Codable, Equatable, Sendable {
    /// The component counts tried, and for each how many components settled (were identified).
    public var tried: [Int]
    public var settled: [Int] = []
    /// The count used (the one whose chosen components rebuilt the targets best); nil when no
    /// component settled at any count and the fit started from its random weights.
    public var components: Int?
    /// The components chosen as the k concepts, in concept order.
    public var chosen: [Int] = []
    public var iterations: Int?
    /// Training R² of the targets rebuilt by least squares from the chosen components.
    public var r2: Double?
    /// Mean squared error of the encoder's x against the chosen components after teaching.
    public var finalLoss: Double?

    public init(tried: [Int]) { self.tried = tried }

    enum CodingKeys: String, CodingKey {
        case tried, settled, components, chosen, iterations, r2, finalLoss = "final_loss"
    }
}
