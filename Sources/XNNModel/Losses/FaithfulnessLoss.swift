import XNNLinearAlgebra

/// SPEC §3: `L_faith = 1/(B·C) Σ_i Σ_c (ŷ_ic − y_ic)²`, how far the rebuilt prediction is from the CNN's.
public enum FaithfulnessLoss {
    /// Returns the loss and writes `scale · ∂L/∂ŷ` into `gradient`.
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
