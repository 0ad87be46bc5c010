/// Small dense least-squares problems, solved in Double for accuracy: used to initialise the
/// predictor (docs/method.md §4 step 2) and by linear baselines. Sizes are tiny (k + 1 unknowns).
public enum LeastSquares {
    public enum Failure: Error, CustomStringConvertible, Equatable {
        case notPositiveDefinite(size: Int)
        public var description: String {
            switch self {
            case .notPositiveDefinite(let size):
                "least squares: the \(size)×\(size) normal equations are singular even with ridge regularisation"
            }
        }
    }

    /// Fits `targets ≈ inputs · coefficientsᵀ + intercept` for each target column.
    ///
    /// Returns `weights` (targets.columns × inputs.columns, row-major) and `intercepts`.
    /// A tiny ridge `ridge · trace/n` keeps the solve stable when a column is constant (a dead concept).
    public static func fitAffine(inputs: Matrix, targets: Matrix, ridge: Double = 1e-6) throws -> (weights: [Float], intercepts: [Float]) {
        precondition(inputs.rows == targets.rows, "least squares: \(inputs.rows) inputs vs \(targets.rows) targets")
        let n = inputs.rows, p = inputs.columns + 1, c = targets.columns
        // Normal equations on [inputs, 1].
        var gram = [Double](repeating: 0, count: p * p)
        var rhs = [Double](repeating: 0, count: p * c)
        var augmented = [Double](repeating: 1, count: p)
        for i in 0..<n {
            let inputRow = inputs.row(i), targetRow = targets.row(i)
            for a in 0..<(p - 1) { augmented[a] = Double(inputRow[a]) }
            for a in 0..<p {
                let va = augmented[a]
                if va == 0 { continue }
                for b in a..<p { gram[a * p + b] += va * augmented[b] }
                for t in 0..<c { rhs[a * c + t] += va * Double(targetRow[t]) }
            }
        }
        for a in 0..<p { for b in 0..<a { gram[a * p + b] = gram[b * p + a] } }
        var trace = 0.0
        for a in 0..<p { trace += gram[a * p + a] }
        let shift = ridge * max(trace / Double(p), 1e-12)
        for a in 0..<(p - 1) { gram[a * p + a] += shift }
        let solution = try solveSymmetricPositiveDefinite(gram, size: p, rightHandSides: rhs, count: c)
        var weights = [Float](repeating: 0, count: c * (p - 1))
        var intercepts = [Float](repeating: 0, count: c)
        for t in 0..<c {
            for a in 0..<(p - 1) { weights[t * (p - 1) + a] = Float(solution[a * c + t]) }
            intercepts[t] = Float(solution[(p - 1) * c + t])
        }
        return (weights, intercepts)
    }

    /// Solves `A X = B` for symmetric positive definite `A` (size × size) by Cholesky.
    /// `B` is size × count, row-major.
    public static func solveSymmetricPositiveDefinite(_ matrix: [Double], size n: Int, rightHandSides: [Double], count c: Int) throws -> [Double] {
        var l = [Double](repeating: 0, count: n * n)
        for j in 0..<n {
            var diagonal = matrix[j * n + j]
            for k in 0..<j { diagonal -= l[j * n + k] * l[j * n + k] }
            guard diagonal > 0 else { throw Failure.notPositiveDefinite(size: n) }
            let root = diagonal.squareRoot()
            l[j * n + j] = root
            for i in (j + 1)..<max(j + 1, n) {
                var value = matrix[i * n + j]
                for k in 0..<j { value -= l[i * n + k] * l[j * n + k] }
                l[i * n + j] = value / root
            }
        }
        var x = rightHandSides
        for t in 0..<c {
            for i in 0..<n {  // forward: L y = b
                var value = x[i * c + t]
                for k in 0..<i { value -= l[i * n + k] * x[k * c + t] }
                x[i * c + t] = value / l[i * n + i]
            }
            for i in stride(from: n - 1, through: 0, by: -1) {  // backward: Lᵀ x = y
                var value = x[i * c + t]
                for k in (i + 1)..<max(i + 1, n) { value -= l[k * n + i] * x[k * c + t] }
                x[i * c + t] = value / l[i * n + i]
            }
        }
        return x
    }
}
