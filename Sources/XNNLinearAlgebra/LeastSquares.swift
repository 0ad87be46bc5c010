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
}

/// `G = [X, 1]ᵀ[X, 1]` and `R = [X, 1]ᵀ Y` of an affine fit, accumulated in Double over blocks of
/// rows (so a large X is never copied whole), ready to be solved for any ridge strength.
public struct NormalEquations {
    /// Unknowns per target: the input columns and the intercept.
    public let size: Int
    public let outputs: Int
    /// G, size × size, symmetric, stored in full.
    private var gram: [Double]
    /// R, stored column-major (size × outputs) as LAPACK's right-hand sides.
    private var moments: [Double]
    /// Rows converted to Double per BLAS call.
    static let blockRows = 2048

    public init(inputs: Matrix, targets: Matrix) {
        precondition(inputs.rows == targets.rows, "least squares: \(inputs.rows) inputs vs \(targets.rows) targets")
        let p = inputs.columns + 1, c = targets.columns
        size = p
        outputs = c
        gram = [Double](repeating: 0, count: p * p)
        moments = [Double](repeating: 0, count: p * c)
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
        for a in 0..<p { for b in 0..<a { gram[a * p + b] = gram[b * p + a] } }
    }

    /// Solves `(G + shift·I′) W = R`, I′ the identity without the intercept and shift
    /// `ridge · trace(G)/size`; returns the weights (outputs × inputs, row-major) and intercepts.
    public func solve(ridge: Double) throws -> (weights: [Float], intercepts: [Float]) {
        let p = size, c = outputs
        var factor = gram, solution = moments
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
