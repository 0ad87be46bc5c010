import Foundation
import XNNEvaluation
import XNNLinearAlgebra
import XNNModel

extension Trainer {
    /// After `epoch`: the concepts that fired on fewer than `revive_below` of the training rows
    /// (dead ones among them), re-seeded when the policy and the `revive_until` window allow.
    func reviveRareConcepts(after epoch: Int, model: SRAE, adam: Adam, data: ActivationData, workspace ws: SRAEWorkspace,
                            generator: inout SeededGenerator) throws -> [Int] {
        let reviveEpochs = Int((Double(settings.epochs) * settings.reviveUntil).rounded(.down))
        guard settings.deadConcepts == .revive && epoch < reviveEpochs else { return [] }
        let limit = settings.reviveBelow * Double(data.trainRows.count)
        let rare = ws.conceptFiringCountsArray.enumerated().filter { Double($0.element) < limit }.map(\.offset)
        if !rare.isEmpty { try revive(rare, model: model, adam: adam, data: data, workspace: ws, generator: &generator) }
        return rare
    }

    /// Re-seeds each dead concept where the model errs most (like dictionary resampling in sparse
    /// autoencoders): its incoming weights point from the mean code of all probe samples to the
    /// mean code of the 20% worst-rebuilt ones, its bias lets it fire on about that 20%, and its
    /// predictor column is the least-squares fit of the residual. It is useful at once, so the
    /// faithfulness gradient keeps it alive. Optimiser moments of the touched weights are reset.
    func revive(_ concepts: [Int], model: SRAE, adam: Adam, data: ActivationData, workspace ws: SRAEWorkspace,
                generator: inout SeededGenerator) throws {
        let conceptLayer = model.encoder[model.encoder.count - 1]
        let probe = try RevivalProbe(model: model, data: data, workspace: ws, generator: &generator)
        let weightScale: Float = {
            var sum: Float = 0
            for i in 0..<conceptLayer.weight.value.count { sum += conceptLayer.weight.value.storage[i] * conceptLayer.weight.value.storage[i] }
            return (sum / Float(conceptLayer.outputs)).squareRoot()
        }()
        var targetedSamples = Set<Int>()
        for j in concepts {
            reseed(j, model: model, probe: probe, weightScale: weightScale, targeted: &targetedSamples, generator: &generator)
        }
        adam.resetMoments(of: conceptLayer.weight, rows: concepts)
        adam.resetMoments(of: conceptLayer.bias, columns: concepts)
        adam.resetMoments(of: model.predictor.weight, columns: concepts)
    }

    /// Points concept `j` at the 20% most under-predicted or most over-predicted probe samples,
    /// whichever carries more error, leaving out samples an earlier revival in this round took.
    private func reseed(_ j: Int, model: SRAE, probe: RevivalProbe, weightScale: Float, targeted: inout Set<Int>,
                        generator: inout SeededGenerator) {
        let conceptLayer = model.encoder[model.encoder.count - 1]
        let (codes, residuals, width) = (probe.codes, probe.residuals, probe.width)
        let n = residuals.count, outputs = model.architecture.outputs
        let order = (0..<n).filter { !targeted.contains($0) }.sorted { residuals[$0] < residuals[$1] }
        let share = max(1, order.count / 5)
        let low = order.prefix(share), high = order.suffix(share)
        let lowMass = low.reduce(0) { $0 + abs(residuals[$1]) }, highMass = high.reduce(0) { $0 + abs(residuals[$1]) }
        let chosen = Array(highMass >= lowMass ? high : low)
        targeted.formUnion(chosen)
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
}

/// What revival aims at: for up to 2,000 training rows, the codes h below the concept layer
/// (rows × width, row-major) and the summed residual y − ŷ of each row.
struct RevivalProbe {
    let width: Int
    private(set) var codes: [Float] = []
    private(set) var residuals: [Double] = []

    init(model: SRAE, data: ActivationData, workspace ws: SRAEWorkspace, generator: inout SeededGenerator) throws {
        width = model.encoder[model.encoder.count - 1].inputs
        let outputs = model.architecture.outputs
        let probeRows = Array(data.trainRows.prefix(2000))
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
    }
}
