import XNNLinearAlgebra

/// Which vectors the pull-away term pushes apart (docs/method.md §3).
public enum PullAwayMode: String, Codable, CaseIterable, Sendable {
    /// The columns s_j ∈ R^B of the contributions, one per concept (the default).
    case features
    /// The rows, one per sample of the batch.
    case samples
}

/// docs/method.md §3: the pull-away term of energy-based GANs on the concept contributions `S = x ⊙ v̄`,
/// `L_PT = 1/(n(n−1)) Σ_{j≠l} (s_jᵀ s_l / (‖s_j‖ ‖s_l‖ + ε))²` over n vectors.
public enum PullAwayLoss {
    public static let epsilon: Double = 1e-8

    /// Given the Gram matrix `gram` (n × n, `G_jl = s_jᵀ s_l`) returns the loss and writes into
    /// `coupling` the n × n matrix M with `∂L/∂s_j = scale · Σ_l s_l M_lj`, so the gradient is one
    /// product: `S · M` for columns, `M · S` for rows.
    public static func evaluate(gram: Matrix, coupling: Matrix, scale: Float) -> Double {
        let n = gram.rows
        precondition(gram.columns == n && coupling.rows == n && coupling.columns == n)
        coupling.fill(0)
        guard n > 1 else { return 0 }
        let pairs = Double(n * (n - 1))
        let g = gram.storage, m = coupling.storage
        var loss: Double = 0
        for j in 0..<n {
            let normJ = Double(g[j * n + j]).squareRoot()
            var diagonal: Double = 0
            for l in 0..<n where l != j {
                let normL = Double(g[l * n + l]).squareRoot()
                let gjl = Double(g[j * n + l])
                let denominator = normJ * normL + epsilon
                let cosine = gjl / denominator
                loss += cosine * cosine
                // The pair appears as (j, l) and (l, j): each contributes 2c/pairs · ∂c.
                let weight = 4 * cosine / (pairs * denominator)
                m[l * n + j] = Float(Double(scale) * weight)
                if normJ > 0 { diagonal -= weight * gjl * normL / (denominator * normJ) }
            }
            m[j * n + j] = Float(Double(scale) * diagonal)
        }
        return loss / pairs
    }
}
