import Foundation
import XNNLinearAlgebra

/// How much of z the decoder rebuilds (docs/method.md §5): the sparse-reconstruction loss over the split, the
/// centred explained variance `1 − Σ‖z − ẑ‖² / Σ‖z − z̄‖²`, and the share of dimensions whose own
/// R² exceeds 0.5 (a constant dimension counts when it is rebuilt exactly).
public struct ReconstructionMetrics: Codable, Equatable, Sendable {
    public var sparseReconstructionLoss: Double
    public var explainedVariance: Double
    public var shareOfDimensionsAboveHalf: Double

    enum CodingKeys: String, CodingKey {
        case sparseReconstructionLoss = "sparse_reconstruction_loss", explainedVariance = "explained_variance"
        case shareOfDimensionsAboveHalf = "share_of_dimensions_r2_above_half"
    }

    public init(reconstructions: Matrix, targets: Matrix, logPenaltyStrength q: Double = 100) {
        precondition(reconstructions.rows == targets.rows && reconstructions.columns == targets.columns)
        let n = targets.rows, d = targets.columns
        var means = [Double](repeating: 0, count: d)
        for i in 0..<n { for j in 0..<d { means[j] += Double(targets[i, j]) } }
        means = means.map { $0 / Double(max(n, 1)) }
        var residual = [Double](repeating: 0, count: d), total = [Double](repeating: 0, count: d)
        for i in 0..<n {
            for j in 0..<d {
                let z = Double(targets[i, j]), r = Double(reconstructions[i, j])
                residual[j] += (z - r) * (z - r)
                total[j] += (z - means[j]) * (z - means[j])
            }
        }
        sparseReconstructionLoss = residual.reduce(0) { $0 + log1p(q * $1 / Double(max(n, 1))) } / Double(max(d, 1))
        let totalResidual = residual.reduce(0, +), totalVariance = total.reduce(0, +)
        explainedVariance = totalVariance > 0 ? 1 - totalResidual / totalVariance : 0
        let above = (0..<d).filter { j in total[j] > 0 ? 1 - residual[j] / total[j] > 0.5 : residual[j] == 0 }.count
        shareOfDimensionsAboveHalf = Double(above) / Double(max(d, 1))
    }
}
