import XNNLinearAlgebra

/// docs/method.md §3, "Concept sparsity" (an option, `loss.concept_sparsity`): the mean over
/// concepts of each column's mean over its root-mean-square on the batch,
/// `L_sp = 1/k Σ_j m_j / r_j`, `m_j = 1/B Σ_i x_ij`, `r_j = √(1/B Σ_i x_ij² + ε)`.
/// For x ≥ 0 it is √(share of rows where the concept fires) when the concept is on/off, and lower
/// the more a concept's mass sits on few rows: it favours concepts that fire strongly on some
/// images and not at all on others. It does not depend on a column's scale, so it cannot be met
/// by shrinking x and growing V.
public enum ConceptSparsityLoss {
    public static let epsilon: Double = 1e-12

    /// Returns L_sp of `x` (B × k) and adds `scale · ∂L_sp/∂x` into `dx`:
    /// `∂(m_j/r_j)/∂x_ij = 1/(B r_j) − m_j x_ij / (B r_j³)`. Allocates nothing.
    public static func evaluate(x: Matrix, dx: Matrix, scale: Float) -> Double {
        let rows = x.rows, k = x.columns
        guard rows > 0, k > 0 else { return 0 }
        let b = Double(rows)
        var loss = 0.0
        for j in 0..<k {
            var sum = 0.0, squares = 0.0
            for i in 0..<rows {
                let value = Double(x[i, j])
                sum += value
                squares += value * value
            }
            let mean = sum / b, rms = (squares / b + epsilon).squareRoot()
            loss += mean / rms
            let constant = Double(scale) / (Double(k) * b * rms), slope = Double(scale) * mean / (Double(k) * b * rms * rms * rms)
            for i in 0..<rows { dx[i, j] += Float(constant - slope * Double(x[i, j])) }
        }
        return loss / Double(k)
    }
}
