import Foundation
import XNNEvaluation
import XNNLinearAlgebra
import XNNModel

extension Trainer {
    /// PCA, NMF or channel clusters (docs/method.md §7): a closed-form or iterative fit, the
    /// least-squares predictor, the same assessment.
    func fitLinearBaseline(_ data: ActivationData, started: ContinuousClock.Instant,
                           onEvent: (TrainingEvent) -> Void) throws -> TrainingOutcome {
        let k = architecture.concepts, outputs = architecture.outputs
        let model: any ConceptModel
        switch kind {
        case .pca:
            let fit = try PrincipalComponents.fit(data.inputs, rows: data.trainRows, components: k)
            model = PrincipalComponents.model(fit, outputs: outputs)
        case .channelClusters:
            let fit = try ChannelClusters.fit(inputs: data.inputs, targets: data.targets, rows: data.trainRows, concepts: k, seed: UInt64(seed))
            model = try ChannelClusters.model(fit, inputs: data.inputs, rows: data.trainRows, outputs: outputs)
        default:
            let fit = try NonNegativeFactorization.fit(data.inputs, rows: data.trainRows, components: k, seed: UInt64(seed))
            model = NonNegativeFactorizationModel(basis: fit.basis, outputs: outputs)
        }
        try fitPredictor(model, data: data)
        let report = try assess(model, data: data, weights: lossWeights, attempt: 0, finalLosses: LossValues())
        onEvent(.attemptFinished(report, retryWith: nil))
        return TrainingOutcome(model: model, history: [], attempts: [report], chosen: report,
                               seconds: started.duration(to: .now).seconds, samplesPerSecond: 0)
    }

    /// docs/method.md §4 step 2: V and b by least squares of y on the encoder's x over the training rows.
    func fitPredictor(_ model: any ConceptModel, data: ActivationData) throws {
        let (concepts, _) = try data.infer(model, rows: data.trainRows)
        let targets = ActivationData.gathered(rows: data.trainRows, from: data.targets)
        let fit = try LeastSquares.fitAffine(inputs: concepts, targets: targets, ridge: 1e-3)
        for (i, w) in fit.weights.enumerated() { model.predictor.weight.value.storage[i] = w }
        for (i, b) in fit.intercepts.enumerated() { model.predictor.bias.value.storage[i] = b }
    }
}
