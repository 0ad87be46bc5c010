import Foundation
import XNNEvaluation
import XNNLinearAlgebra
import XNNModel

extension Trainer {
    /// docs/method.md §4 step 4 on the training rows, plus the dead-concept check.
    func assess(_ model: any ConceptModel, data: ActivationData, weights: LossWeights, attempt: Int, finalLosses: LossValues) throws -> AttemptReport {
        let (concepts, _) = try data.infer(model, rows: data.trainRows)
        let all = ConceptMetrics(concepts: concepts, conceptWeights: model.conceptWeights)
        var means = all.meanContributions
        if settings.acceptance.evidenceShare < 1 {
            // Evidence is measured against the average input, as additive attributions are (for a
            // linear read-out, v̄_j·(x_j − E x_j) is its Shapley value): a concept counts for the
            // class when it adds more on the class's rows than on the average row.
            let evidence = ActivationData.gathered(rows: evidencePositions(data, share: settings.acceptance.evidenceShare), from: concepts)
            let onEvidence = ConceptMetrics(concepts: evidence, conceptWeights: model.conceptWeights).meanContributions
            means = zip(onEvidence, means).map { $0 - $1 }
        }
        let dead = all.deadConcepts
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

    /// Positions (in `trainRows`) of the rows whose summed explained outputs are in the top `share`:
    /// for a class logit, about the images of that class, whose positive evidence an explanation
    /// of the class must carry.
    func evidencePositions(_ data: ActivationData, share: Double) -> [Int] {
        let rows = data.trainRows
        let evidence = rows.map { r in (0..<data.outputCount).reduce(0.0) { $0 + Double(data.targets[r, $1]) } }
        let count = min(rows.count, max(10, Int((Double(rows.count) * share).rounded())))
        return Array(rows.indices.sorted { (evidence[$0], $1) > (evidence[$1], $0) }.prefix(count)).sorted()
    }
}

extension AttemptReport {
    /// The constrained recipe's attempt passes only if its kept epoch also met the stated targets on
    /// the validation rows (faithfulness, then orthogonality within `orthogonalityTolerance`, since
    /// unseen rows overlap a little more than the batches held to the target): otherwise a retry
    /// may do better.
    mutating func requireTargets(_ kept: EpochQuality?, orthogonalityTolerance: Double) {
        quality = kept
        guard let kept, accepted else { return }
        if kept.faithShortfall > 0 {
            accepted = false
            reason = String(format: "validation R² %.4f misses the faithfulness target", 1 - kept.faithShortfall)
        } else if kept.orthogonalityExcess > orthogonalityTolerance {
            accepted = false
            reason = String(format: "validation pull-away term exceeds the orthogonality target by %.3g", kept.orthogonalityExcess)
        }
    }
}
