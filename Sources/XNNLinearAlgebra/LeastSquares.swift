import CBLAS

/// Dense affine least squares in Double: the predictor's start (docs/method.md §4 step 2), linear
/// baselines, and the ridge fits from z that tell the constrained recipe what faithfulness the data
/// allow. The normal equations are built once with BLAS (`NormalEquations`) and solved by LAPACK's
/// Cholesky for as many ridge strengths as wanted.
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
        try NormalEquations(inputs: inputs, targets: targets).solve(ridge: ridge)
    }

    /// `inputs · weightsᵀ + intercepts` (rows × targets), summed in Double: a fit's predictions.
    public static func predictions(of fit: (weights: [Float], intercepts: [Float]), for inputs: Matrix) -> Matrix {
        let outputs = fit.intercepts.count, width = inputs.columns
        let result = Matrix(rows: inputs.rows, columns: outputs)
        for i in 0..<inputs.rows {
            let row = inputs.row(i)
            for c in 0..<outputs {
                var sum = Double(fit.intercepts[c])
                for d in 0..<width { sum += Double(fit.weights[c * width + d]) * Double(row[d]) }
                result[i, c] = Float(sum)
            }
        }
        return result
    }
}

/// `G = [X, 1]ᵀ[X, 1]` and `R = [X, 1]ᵀ Y` of an affine fit, accumulated in Double over blocks of
/// rows (so a large X is never copied whole), ready to be solved for any ridge strength.
public struct NormalEquations {
    /// Unknowns per target: the input columns and the intercept.
    public let size: Int
    public let outputs: Int
    /// G, size × size; its upper triangle (row-major) is kept.
    private var gram: [Double]
    /// R, stored column-major (size × outputs) as LAPACK's right-hand sides.
    private var moments: [Double]
    /// Rows converted to Double per BLAS call.
    public static let blockRows = 2048

    /// Empty equations for `columns` inputs and `outputs` targets; `add` accumulates rows.
    public init(columns: Int, outputs: Int) {
        size = columns + 1
        self.outputs = outputs
        gram = [Double](repeating: 0, count: size * size)
        moments = [Double](repeating: 0, count: size * outputs)
    }

    public init(inputs: Matrix, targets: Matrix) {
        self.init(columns: inputs.columns, outputs: targets.columns)
        add(inputs: inputs, targets: targets)
    }

    /// Adds the rows of `inputs` and `targets`, `blockRows` at a time (so the same rows added in
    /// blocks of that size give the same bits as added at once).
    public mutating func add(inputs: Matrix, targets: Matrix) {
        precondition(inputs.rows == targets.rows && inputs.columns + 1 == size && targets.columns == outputs,
                     "least squares: \(inputs.rows)×\(inputs.columns) inputs vs \(targets.rows)×\(targets.columns) targets")
        let p = size, c = outputs
        var block = [Double](repeating: 1, count: Self.blockRows * p), blockTargets = [Double](repeating: 0, count: Self.blockRows * c)
        for first in stride(from: 0, to: inputs.rows, by: Self.blockRows) {
            let rows = min(Self.blockRows, inputs.rows - first)
            for r in 0..<rows {
                let input = inputs.row(first + r), target = targets.row(first + r)
                for a in 0..<(p - 1) { block[r * p + a] = Double(input[a]) }  // column p − 1 stays 1
                for t in 0..<c { blockTargets[r * c + t] = Double(target[t]) }
            }
            // G += Bᵀ B (upper triangle, row-major), R += Bᵀ T (stored transposed: column-major p × c).
            cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, Int32(p), Int32(rows), 1, block, Int32(p), 1, &gram, Int32(p))
            cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, Int32(p), Int32(c), Int32(rows), 1,
                        block, Int32(p), blockTargets, Int32(c), 1, &moments, Int32(p))
        }
    }

    /// Solves `(G + shift·I′) W = R`, I′ the identity without the intercept and shift
    /// `ridge · trace(G)/size`; returns the weights (outputs × inputs, row-major) and intercepts.
    public func solve(ridge: Double) throws -> (weights: [Float], intercepts: [Float]) {
        let p = size, c = outputs
        var factor = gram, solution = moments
        for a in 0..<p { for b in 0..<a { factor[a * p + b] = factor[b * p + a] } }  // G's upper triangle, mirrored
        var trace = 0.0
        for a in 0..<p { trace += gram[a * p + a] }
        let shift = ridge * max(trace / Double(p), 1e-12)
        for a in 0..<(p - 1) { factor[a * p + a] += shift }
        var n = Int32(p), count = Int32(c), info: Int32 = 0
        var lower = CChar(UInt8(ascii: "L"))
        dpotrf_(&lower, &n, &factor, &n, &info)
        guard info == 0 else { throw LeastSquares.Failure.notPositiveDefinite(size: p) }
        dpotrs_(&lower, &n, &count, factor, &n, &solution, &n, &info)
        guard info == 0 else { throw LeastSquares.Failure.notPositiveDefinite(size: p) }
        var weights = [Float](repeating: 0, count: c * (p - 1)), intercepts = [Float](repeating: 0, count: c)
        for t in 0..<c {
            for a in 0..<(p - 1) { weights[t * (p - 1) + a] = Float(solution[t * p + a]) }
            intercepts[t] = Float(solution[t * p + p - 1])
        }
        return (weights, intercepts)
    }
}
