import CBLAS
import Foundation

/// Independent component analysis (FastICA, symmetric, with the log-cosh contrast) of a set of
/// rows: the independent-component start of the concept layer (docs/method.md §4, "Where the
/// concepts start"). Sparse, independent factors mixed linearly into the features are identifiable
/// this way when no more than one of them is Gaussian, which the explanation-space loss alone does
/// not guarantee.
///
/// The rows are centred and whitened on their `count` leading principal axes; an orthogonal
/// unmixing W of the whitened rows is then sought that makes each source as non-Gaussian as the
/// contrast can tell, by the fixed-point iteration
/// `W ← E[g(W x) xᵀ] − diag(E[g′(W x)]) W`, `g = tanh`, followed by `W ← (W Wᵀ)^(−1/2) W`.
/// Each source's sign is chosen so that its skewness is positive (a sparse, non-negative factor
/// has its long tail up). All sums are in Double.
public struct IndependentComponents: Sendable {
    /// The unmixing in the original coordinates: source s = unmixing · (row − mean), count × D.
    public let unmixing: [[Double]]
    public let mean: [Double]
    /// Fixed-point iterations run, and whether the last one moved every row of W by less than the tolerance.
    public let iterations: Int
    public let converged: Bool
    /// Per source: whether its row of W had stopped turning at the last iteration. A source along
    /// a non-Gaussian factor settles; rows spanning Gaussian directions, which no contrast can
    /// order, may keep turning, so W as a whole may never converge while those sources are found.
    public let settled: [Bool]

    public static let tolerance = 1e-4
    public static let maxIterations = 400

    /// FastICA on `rows` of `data` with `axes` (computed on the same rows) and `count` sources,
    /// `count` ≤ the number of axes; W starts from Gaussian draws of `generator`.
    public init(_ data: Matrix, rows: [Int], axes: PrincipalAxes, count: Int, generator: inout SeededGenerator) throws {
        try self.init(data, rows: rows, axes: axes, count: count, start: Self.startingDraws(count: count, generator: &generator))
    }

    /// W's starting values for `count` sources, count × count row-major: what the initialiser
    /// above draws. Drawn apart, analyses of several counts can run side by side.
    public static func startingDraws(count: Int, generator: inout SeededGenerator) -> [Double] {
        (0..<count * count).map { _ in generator.nextGaussian() }
    }

    /// FastICA as above, W starting from `start` (`startingDraws`).
    public init(_ data: Matrix, rows: [Int], axes: PrincipalAxes, count: Int, start: [Double]) throws {
        precondition((1...axes.components.count).contains(count), "ICA: \(count) sources from \(axes.components.count) axes")
        precondition(start.count == count * count, "ICA: \(start.count) starting values for \(count) sources")
        let d = axes.mean.count
        var whitening = [Double](repeating: 0, count: count * d)  // count × D, row-major
        for a in 0..<count {
            let scale = 1 / max(axes.variances[a], 1e-12).squareRoot()
            for j in 0..<d { whitening[a * d + j] = axes.components[a][j] * scale }
        }
        let white = Self.project(data, rows: rows, mean: axes.mean, onto: whitening, count: count)
        var w = try Self.decorrelated(start, count: count)
        var iteration = 0, converged = false, settled = [Bool](repeating: false, count: count)
        var products = [Double](repeating: 0, count: rows.count * count)
        while iteration < Self.maxIterations && !converged {
            let next = try Self.decorrelated(Self.fixedPointStep(w, white: white, rows: rows.count, count: count, products: &products),
                                             count: count)
            // Converged when every new row points where the old one did (up to sign).
            for c in 0..<count {
                var dot = 0.0
                for j in 0..<count { dot += next[c * count + j] * w[c * count + j] }
                settled[c] = abs(abs(dot) - 1) < Self.tolerance
            }
            w = next
            iteration += 1
            converged = !settled.contains(false)
        }
        // Unmixing in the original coordinates, W · whitening; each row's sign from its skewness.
        var unmixing = [Double](repeating: 0, count: count * d)
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(count), Int32(d), Int32(count), 1,
                    w, Int32(count), whitening, Int32(d), 0, &unmixing, Int32(d))
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows.count), Int32(count), Int32(count), 1,
                    white, Int32(count), w, Int32(count), 0, &products, Int32(count))
        self.unmixing = (0..<count).map { c in
            let row = Array(unmixing[(c * d)..<((c + 1) * d)])
            return Self.skewness(of: (0..<rows.count).map { products[$0 * count + c] }) < 0 ? row.map { -$0 } : row
        }
        self.mean = axes.mean
        self.iterations = iteration
        self.converged = converged
        self.settled = settled
    }

    /// The sources of every row of `data` (rows × count).
    public func sources(of data: Matrix) -> [[Double]] {
        let count = unmixing.count
        let flat = Self.project(data, rows: Array(0..<data.rows), mean: mean, onto: unmixing.flatMap { $0 }, count: count)
        return (0..<data.rows).map { Array(flat[($0 * count)..<(($0 + 1) * count)]) }
    }

    /// One fixed-point step for every row of W at once: with Y = X Wᵀ,
    /// W⁺ = tanh(Y)ᵀ X / n − diag(mean(1 − tanh²(Y))) W.
    private static func fixedPointStep(_ w: [Double], white: [Double], rows: Int, count: Int, products y: inout [Double]) -> [Double] {
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(count), Int32(count), 1,
                    white, Int32(count), w, Int32(count), 0, &y, Int32(count))
        var slope = [Double](repeating: 0, count: count)
        for i in 0..<(rows * count) {
            let g = tanh(y[i])
            y[i] = g
            slope[i % count] += 1 - g * g
        }
        var next = [Double](repeating: 0, count: count * count)
        let n = Double(rows)
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(count), Int32(count), Int32(rows), 1 / n,
                    y, Int32(count), white, Int32(count), 0, &next, Int32(count))
        for c in 0..<count { for j in 0..<count { next[c * count + j] -= slope[c] / n * w[c * count + j] } }
        return next
    }

    /// (W Wᵀ)^(−1/2) W: the symmetric orthogonalisation that keeps no row ahead of the others.
    private static func decorrelated(_ w: [Double], count: Int) throws -> [Double] {
        var gram = [Double](repeating: 0, count: count * count)
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(count), Int32(count), Int32(count), 1,
                    w, Int32(count), w, Int32(count), 0, &gram, Int32(count))
        let (values, vectors) = try SymmetricEigen.leading(count, of: gram, size: count)
        // E diag(λ^(−1/2)) Eᵀ W
        var inverseRoot = [Double](repeating: 0, count: count * count)
        for e in 0..<count {
            let scale = 1 / max(values[e], 1e-12).squareRoot()
            for a in 0..<count { for b in 0..<count { inverseRoot[a * count + b] += vectors[e][a] * vectors[e][b] * scale } }
        }
        var result = [Double](repeating: 0, count: count * count)
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(count), Int32(count), Int32(count), 1,
                    inverseRoot, Int32(count), w, Int32(count), 0, &result, Int32(count))
        return result
    }

    /// (row − mean) · axesᵀ for the given rows, rows × count, row-major; axes is count × D,
    /// row-major. Rows are centred in Double a block at a time, so no rows × D copy is made.
    private static func project(_ data: Matrix, rows: [Int], mean: [Double], onto axes: [Double], count: Int) -> [Double] {
        let d = mean.count, blockRows = 1024
        var centred = [Double](repeating: 0, count: min(blockRows, rows.count) * d)
        var result = [Double](repeating: 0, count: rows.count * count)
        for first in Swift.stride(from: 0, to: rows.count, by: blockRows) {
            let block = min(blockRows, rows.count - first)
            for i in 0..<block { for j in 0..<d { centred[i * d + j] = Double(data[rows[first + i], j]) - mean[j] } }
            result.withUnsafeMutableBufferPointer { out in
                cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(block), Int32(count), Int32(d), 1,
                            centred, Int32(d), axes, Int32(d), 0, out.baseAddress! + first * count, Int32(count))
            }
        }
        return result
    }

    private static func skewness(of values: [Double]) -> Double {
        let n = Double(values.count), mean = values.reduce(0, +) / n
        var second = 0.0, third = 0.0
        for v in values { let d = v - mean; second += d * d; third += d * d * d }
        return (third / n) / pow(max(second / n, 1e-300), 1.5)
    }
}
