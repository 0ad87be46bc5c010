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

    /// Leading eigenvectors of the covariance of `rows` of `data` by orthogonal (subspace) iteration
    /// with a Rayleigh–Ritz step; products of the D × D covariance go through BLAS.
    public static func fit(_ data: Matrix, rows: [Int], components k: Int, iterations: Int = 300, seed: UInt64 = 0) -> Fit {
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

        let width = min(d, k + 4)  // a few extra vectors speed up convergence of the k we keep
        var generator = SeededGenerator(seed: seed)
        let basis = Matrix(rows: d, columns: width), product = Matrix(rows: d, columns: width)
        for i in 0..<basis.count { basis.storage[i] = generator.nextFloat(in: -1, 1) }
        orthonormaliseColumns(basis)
        for _ in 0..<iterations {
            product.assignProduct(covariance, basis)
            basis.copy(from: product)
            orthonormaliseColumns(basis)
        }
        // Rayleigh–Ritz: eigenvectors of Qᵀ C Q rotate Q onto the eigenvectors of C.
        product.assignProduct(covariance, basis)
        let small = Matrix(rows: width, columns: width)
        small.assignProduct(basis, transposeA: true, product)
        let (values, vectors) = SymmetricEigen.decompose((0..<width).map { i in (0..<width).map { Double(small[i, $0]) } })
        let order = values.indices.sorted { values[$0] > values[$1] }.prefix(k)
        var components: [[Double]] = []
        for e in order {
            var component = (0..<d).map { row in (0..<width).reduce(0.0) { $0 + Double(basis[row, $1]) * vectors[$1][e] } }
            // Sign convention: the largest-magnitude entry is positive.
            if let pivot = component.indices.max(by: { abs(component[$0]) < abs(component[$1]) }), component[pivot] < 0 {
                component = component.map { -$0 }
            }
            components.append(component)
        }
        return Fit(components: components, variances: order.map { max(0, values[$0]) }, mean: mean, totalVariance: totalVariance)
    }

    /// Gram–Schmidt (twice, for stability) on the columns, in Double.
    static func orthonormaliseColumns(_ m: Matrix) {
        let d = m.rows, w = m.columns
        var columns = (0..<w).map { j in (0..<d).map { Double(m[$0, j]) } }
        for j in 0..<w {
            for _ in 0..<2 {
                for l in 0..<j {
                    let dot = zip(columns[j], columns[l]).reduce(0) { $0 + $1.0 * $1.1 }
                    for i in 0..<d { columns[j][i] -= dot * columns[l][i] }
                }
            }
            let norm = columns[j].reduce(0) { $0 + $1 * $1 }.squareRoot()
            for i in 0..<d { columns[j][i] = norm > 0 ? columns[j][i] / norm : (i == j ? 1 : 0) }
        }
        for j in 0..<w { for i in 0..<d { m[i, j] = Float(columns[j][i]) } }
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

/// Eigen-decomposition of a small symmetric matrix by cyclic Jacobi rotations.
public enum SymmetricEigen {
    /// Eigenvalues and eigenvectors (`vectors[i][e]` = component i of eigenvector e).
    public static func decompose(_ matrix: [[Double]], sweeps: Int = 100) -> (values: [Double], vectors: [[Double]]) {
        let n = matrix.count
        var a = matrix
        var v = (0..<n).map { i in (0..<n).map { $0 == i ? 1.0 : 0.0 } }
        for _ in 0..<sweeps {
            var off = 0.0
            for p in 0..<n { for q in (p + 1)..<max(p + 1, n) { off += a[p][q] * a[p][q] } }
            if off < 1e-22 { break }
            for p in 0..<n {
                for q in (p + 1)..<max(p + 1, n) where a[p][q] != 0 {
                    let theta = (a[q][q] - a[p][p]) / (2 * a[p][q])
                    let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot(), s = t * c
                    for k in 0..<n {
                        let akp = a[k][p], akq = a[k][q]
                        a[k][p] = c * akp - s * akq
                        a[k][q] = s * akp + c * akq
                    }
                    for k in 0..<n {
                        let apk = a[p][k], aqk = a[q][k]
                        a[p][k] = c * apk - s * aqk
                        a[q][k] = s * apk + c * aqk
                    }
                    for k in 0..<n {
                        let vkp = v[k][p], vkq = v[k][q]
                        v[k][p] = c * vkp - s * vkq
                        v[k][q] = s * vkp + c * vkq
                    }
                }
            }
        }
        return ((0..<n).map { a[$0][$0] }, v)
    }
}
