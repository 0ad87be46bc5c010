import Foundation
import XNNEvaluation
import XNNLinearAlgebra
import XNNModel

extension Trainer {
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
