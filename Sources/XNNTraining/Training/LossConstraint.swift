import Foundation
import XNNModel

/// One multiplier of the `constrained` recipe (docs/method.md §4): a loss term is not weighed
/// against the others by a fixed weight but held to a target, L ≤ τ (faithfulness:
/// τ = (1 − R²*)·Var(y), so R² ≥ R²* on the training batches; the pull-away term: τ = its target).
/// As in constrained VAE training (GECO), a moving average of the violation L/τ − 1 drives a
/// multiplicative update of the Lagrange multiplier λ, the term's weight: it grows while the term
/// misses its target and shrinks once it is met, leaving the rest of the gradient to the others.
struct LossConstraint {
    /// τ: the largest value of the constrained loss term that meets the target.
    let tolerance: Double
    // Settable within the module: a checkpoint restores them (TrainingCheckpoint.swift).
    var multiplier: Float
    var average = 0.0
    private let bounds: ClosedRange<Float>

    /// Per-step rate of λ's log: λ changes by at most e^rate per step. 0.01 (about 2× per 80 steps,
    /// one quickstart epoch) tracks without fighting Adam's own adaptation; with fewer steps per
    /// epoch the rate rises to 1/steps, so λ can still move by up to e per epoch on small data.
    let rate: Double
    /// Weight of the newest batch in the moving average of the constraint.
    static let smoothing = 0.1

    init(tolerance: Double, initialWeight: Float, stepsPerEpoch: Int = 100) {
        rate = max(0.01, 1 / Double(max(stepsPerEpoch, 1)))
        self.tolerance = max(tolerance, 1e-12)
        multiplier = initialWeight
        // Bounds around 1 as well as the initial weight, so a badly chosen start is never a prison.
        bounds = (min(initialWeight, 1) * 1e-3)...(max(initialWeight, 1) * 1e4)
    }

    /// Faithfulness held to an R² target: L_faith ≤ (1 − R²*)·Var(y).
    static func faithfulness(targetR2: Double, targetVariance: Double, initialWeight: Float, stepsPerEpoch: Int) -> LossConstraint {
        LossConstraint(tolerance: (1 - targetR2) * targetVariance, initialWeight: initialWeight, stepsPerEpoch: stepsPerEpoch)
    }

    /// Whether the moving average of the term meets its target.
    var isMet: Bool { average <= 0 }

    /// Takes one batch's value of the constrained term and returns its weight for the next step;
    /// with `mayGrow` false the weight may only fall (a lower-priority constraint yields).
    mutating func update(_ value: Double, mayGrow: Bool = true) -> Float {
        let violation = min(value / tolerance - 1, 10)  // one bad batch cannot blow λ up
        average += Self.smoothing * (violation - average)
        let step = max(-1, min(mayGrow ? 1 : 0, average))
        let next = Double(multiplier) * exp(rate * step)
        multiplier = min(max(Float(next), bounds.lowerBound), bounds.upperBound)
        return multiplier
    }
}

/// The constrained recipe's two multipliers, α_pred for faithfulness and α_pt for orthogonality;
/// either is absent when its weight stays fixed (the paper's recipe, or no pull-away term).
struct LossMultipliers {
    var faithfulness: LossConstraint?
    var orthogonality: LossConstraint?
    let orthogonalityTarget: Double?

    init(settings: TrainingConfiguration, weights: LossWeights, faithfulnessTarget: Double?, data: ActivationData) {
        let steps = (data.trainRows.count + settings.batchSize - 1) / settings.batchSize
        faithfulness = faithfulnessTarget.map {
            LossConstraint.faithfulness(targetR2: $0, targetVariance: data.meanTargetVariance, initialWeight: weights.prediction,
                                        stepsPerEpoch: steps)
        }
        let adaptsPullAway = settings.recipe == .constrained && weights.pullAway > 0
        orthogonalityTarget = adaptsPullAway ? settings.orthogonalityTarget : nil
        orthogonality = orthogonalityTarget.map { LossConstraint(tolerance: $0, initialWeight: weights.pullAway, stepsPerEpoch: steps) }
    }

    /// Moves the weights of the next step after a step with `losses`.
    mutating func update(after losses: LossValues, weights: inout LossWeights) {
        if faithfulness != nil { weights.prediction = faithfulness!.update(losses.faithfulness) }
        // Faithfulness comes first: α_pt may rise only while the outputs are rebuilt as wanted, so
        // the pull-away term never buys orthogonality by giving up faithfulness (or concepts).
        let faithful = faithfulness?.isMet ?? true
        if orthogonality != nil { weights.pullAway = orthogonality!.update(losses.pullAway, mayGrow: faithful) }
    }
}
