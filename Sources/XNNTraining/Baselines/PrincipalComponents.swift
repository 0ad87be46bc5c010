import XNNLinearAlgebra
import XNNModel

/// The PCA baseline of docs/method.md §7: x = the k leading principal components of the (training) activations,
/// ẑ = mean + x · components, ŷ by least squares on x. It is built as a one-layer SRAE with linear
/// concept and output layers, so it is saved, evaluated and compared exactly like a trained SRAE.
public enum PrincipalComponents {
    public struct Fit {
        /// k × D, orthonormal rows, by decreasing variance.
        public let components: [[Double]]
        /// Variance along each component (eigenvalues of the covariance, divided by n).
        public let variances: [Double]
        public let mean: [Double]
        public let totalVariance: Double
    }

    /// The leading eigenvectors of the covariance of `rows` of `data` (the product of the centred
    /// rows through BLAS, the eigenpairs by LAPACK's `dsyevr`). Each component's largest-magnitude
    /// entry is positive, so the signs do not depend on the solver.
    public static func fit(_ data: Matrix, rows: [Int], components k: Int) throws -> Fit {
        let d = data.columns, n = rows.count
        var mean = [Double](repeating: 0, count: d)
        for r in rows { for j in 0..<d { mean[j] += Double(data[r, j]) } }
        mean = mean.map { $0 / Double(max(n, 1)) }
        let centred = Matrix(rows: n, columns: d)
        for (i, r) in rows.enumerated() { for j in 0..<d { centred[i, j] = Float(Double(data[r, j]) - mean[j]) } }
        let covariance = Matrix(rows: d, columns: d)
        covariance.assignProduct(centred, transposeA: true, centred, alpha: 1 / Float(max(n, 1)))
        var totalVariance = 0.0
        for j in 0..<d { totalVariance += Double(covariance[j, j]) }
        let (values, vectors) = try SymmetricEigen.leading(min(k, d), of: covariance.toArray().map(Double.init), size: d)
        let components = vectors.map { component -> [Double] in
            guard let pivot = component.indices.max(by: { abs(component[$0]) < abs(component[$1]) }), component[pivot] < 0 else { return component }
            return component.map { -$0 }
        }
        return Fit(components: components, variances: values.map { max(0, $0) }, mean: mean, totalVariance: totalVariance)
    }

    /// The fit as a model: encoder x = W(z − mean), decoder ẑ = Wᵀx + mean, both linear.
    public static func model(_ fit: Fit, outputs: Int) -> SRAE {
        let d = fit.mean.count, k = fit.components.count
        var architecture = SRAEArchitecture(inputDimension: d, hiddenWidths: [], concepts: k, outputs: outputs,
                                            dropout: 0, outputActivation: .linear)
        architecture.conceptActivation = .linear
        let model = SRAE(architecture: architecture)
        let encoder = model.encoder[0], decoder = model.decoder[0]
        for c in 0..<k {
            var bias = 0.0
            for j in 0..<d {
                encoder.weight.value[c, j] = Float(fit.components[c][j])
                decoder.weight.value[j, c] = Float(fit.components[c][j])
                bias -= fit.components[c][j] * fit.mean[j]
            }
            encoder.bias.value[0, c] = Float(bias)
        }
        for j in 0..<d { decoder.bias.value[0, j] = Float(fit.mean[j]) }
        return model
    }
}
