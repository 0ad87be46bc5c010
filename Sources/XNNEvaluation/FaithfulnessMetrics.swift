import XNNLinearAlgebra

/// How well ŷ rebuilds y (docs/method.md §5): MSE, R² and Pearson r and Spearman ρ per output and averaged,
/// and with several outputs the share of samples where argmax ŷ = argmax y.
public struct FaithfulnessMetrics: Codable, Equatable, Sendable {
    public var mse: Double
    /// Mean of the per-output R².
    public var r2: Double
    public var r2PerOutput: [Double]
    public var pearson: Double
    public var pearsonPerOutput: [Double]
    public var spearman: Double
    public var spearmanPerOutput: [Double]
    /// nil with a single output.
    public var argmaxAgreement: Double?

    enum CodingKeys: String, CodingKey {
        case mse, r2, r2PerOutput = "r2_per_output", pearson, pearsonPerOutput = "pearson_per_output"
        case spearman, spearmanPerOutput = "spearman_per_output", argmaxAgreement = "argmax_agreement"
    }

    /// R² = 1 − SS_res / SS_tot per column; a constant target column gives R² = 0 when missed, 1 when hit.
    public init(predictions: Matrix, targets: Matrix) {
        precondition(predictions.rows == targets.rows && predictions.columns == targets.columns)
        let n = targets.rows, c = targets.columns
        var squaredError = 0.0
        r2PerOutput = []
        pearsonPerOutput = []
        for j in 0..<c {
            var meanY = 0.0, meanP = 0.0
            for i in 0..<n { meanY += Double(targets[i, j]); meanP += Double(predictions[i, j]) }
            meanY /= Double(max(n, 1)); meanP /= Double(max(n, 1))
            var residual = 0.0, total = 0.0, covariance = 0.0, varianceP = 0.0
            for i in 0..<n {
                let y = Double(targets[i, j]), p = Double(predictions[i, j])
                residual += (y - p) * (y - p)
                total += (y - meanY) * (y - meanY)
                covariance += (y - meanY) * (p - meanP)
                varianceP += (p - meanP) * (p - meanP)
            }
            squaredError += residual
            r2PerOutput.append(total > 0 ? 1 - residual / total : (residual == 0 ? 1 : 0))
            let denominator = (total * varianceP).squareRoot()
            pearsonPerOutput.append(denominator > 0 ? covariance / denominator : 0)
        }
        spearmanPerOutput = (0..<c).map { j in
            RankCorrelation.spearman((0..<n).map { Double(targets[$0, j]) }, (0..<n).map { Double(predictions[$0, j]) })
        }
        spearman = spearmanPerOutput.reduce(0, +) / Double(max(c, 1))
        if c > 1 {
            func argmax(_ m: Matrix, _ i: Int) -> Int { (0..<c).max { m[i, $0] < m[i, $1] }! }
            argmaxAgreement = Double((0..<n).filter { argmax(predictions, $0) == argmax(targets, $0) }.count) / Double(max(n, 1))
        }
        mse = squaredError / Double(max(n * c, 1))
        r2 = r2PerOutput.reduce(0, +) / Double(max(c, 1))
        pearson = pearsonPerOutput.reduce(0, +) / Double(max(c, 1))
    }
}
