import XNNLinearAlgebra

/// The mean of squared differences over all entries: docs/method.md §3's faithfulness
/// `L_faith = 1/(B·C) Σ_i Σ_c (ŷ_ic − y_ic)²`, the plain-MSE reconstruction, and layer-wise pre-training.
public enum MeanSquaredError {
    /// Returns the loss and writes `scale · ∂L/∂prediction` into `gradient`.
    public static func evaluate(prediction: Matrix, target: Matrix, gradient: Matrix, scale: Float) -> Double {
        precondition(prediction.rows == target.rows && prediction.columns == target.columns)
        let n = prediction.count
        guard n > 0 else { return 0 }
        let factor = scale * 2 / Float(n)
        let p = prediction.storage, t = target.storage, g = gradient.storage
        var sum: Double = 0
        for i in 0..<n {
            let difference = p[i] - t[i]
            sum += Double(difference * difference)
            g[i] = factor * difference
        }
        return sum / Double(n)
    }
}

/// docs/method.md §3's faithfulness term: how far the rebuilt prediction ŷ is from the CNN's scores y.
public typealias FaithfulnessLoss = MeanSquaredError
