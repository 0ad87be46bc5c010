import Foundation
import XNNLinearAlgebra

/// Exact t-SNE (van der Maaten & Hinton, 2008) to two dimensions, with scikit-learn's schedule
/// (docs/layers.md): affinities P from Gaussian kernels whose widths meet a perplexity,
/// symmetrised; a Student-t kernel Q on the embedding; gradient descent on KL(P‖Q) with momentum
/// and per-coordinate gains, P exaggerated 12× for the first 250 iterations. Sequential sums in
/// double precision, so a seed gives the same bits on every thread count.
public struct TSNE: Sendable {
    public var perplexity = 30.0
    public var iterations = 1000
    public var exaggeration = 12.0
    public var exaggerationIterations = 250
    public var seed: UInt64 = 0

    public struct Embedding: Sendable {
        /// n points in 2-D.
        public let points: [[Double]]
        /// KL(P‖Q) of the seeded starting points and of the result (P not exaggerated).
        public let initialDivergence: Double
        public let finalDivergence: Double
        /// The perplexity used: the requested one, at most (n − 1)/3 (the kernels need that many neighbours).
        public let perplexity: Double
    }

    public init(seed: UInt64 = 0) { self.seed = seed }

    public func embed(_ points: [[Double]]) -> Embedding {
        let n = points.count
        let used = min(perplexity, max(1, Double(n - 1) / 3))
        guard n > 1 else { return Embedding(points: points.map { _ in [0, 0] }, initialDivergence: 0, finalDivergence: 0, perplexity: used) }
        let p = Self.jointAffinities(DistanceMatrix(points: points), perplexity: used)
        var generator = SeededGenerator(seed: seed, stream: 0x75E)
        var y = (0..<(2 * n)).map { _ in 1e-4 * generator.nextGaussian() }
        let initial = Self.divergence(p: p, y: y, n: n)
        var update = [Double](repeating: 0, count: 2 * n), gains = [Double](repeating: 1, count: 2 * n)
        var gradient = [Double](repeating: 0, count: 2 * n), kernel = [Double](repeating: 0, count: n * n)
        let rate = max(Double(n) / exaggeration / 4, 50)
        for iteration in 0..<iterations {
            let early = iteration < exaggerationIterations
            Self.gradient(p: p, scale: early ? exaggeration : 1, y: y, n: n, kernel: &kernel, into: &gradient)
            let momentum = early ? 0.5 : 0.8
            for i in 0..<(2 * n) {
                gains[i] = max(0.01, update[i] * gradient[i] < 0 ? gains[i] + 0.2 : gains[i] * 0.8)
                update[i] = momentum * update[i] - rate * gains[i] * gradient[i]
                y[i] += update[i]
            }
        }
        return Embedding(points: (0..<n).map { [y[2 * $0], y[2 * $0 + 1]] }, initialDivergence: initial,
                         finalDivergence: Self.divergence(p: p, y: y, n: n), perplexity: used)
    }

    /// P_ij = (p_j|i + p_i|j) / 2n, each conditional row a Gaussian kernel whose width is found by
    /// bisection so that its entropy is log(perplexity); entries floored at the double epsilon.
    static func jointAffinities(_ d: DistanceMatrix, perplexity: Double) -> [Double] {
        let n = d.count, target = log(perplexity)
        var conditional = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            var beta = 1.0, low = 0.0, high = Double.infinity
            for _ in 0..<100 {
                var sum = 0.0, weighted = 0.0
                for j in 0..<n where j != i {
                    let value = exp(-d[i, j] * beta)
                    conditional[i * n + j] = value
                    sum += value
                    weighted += d[i, j] * value
                }
                sum = max(sum, 1e-300)
                let entropy = log(sum) + beta * weighted / sum
                for j in 0..<n where j != i { conditional[i * n + j] /= sum }
                if abs(entropy - target) <= 1e-5 { break }
                if entropy > target { low = beta; beta = high.isInfinite ? beta * 2 : (beta + high) / 2 } else { high = beta; beta = (beta + low) / 2 }
            }
        }
        var joint = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n where j != i { joint[i * n + j] = max((conditional[i * n + j] + conditional[j * n + i]) / Double(2 * n), Double.ulpOfOne) } }
        return joint
    }

    /// ∂KL/∂y_i = 4 Σ_j (s·P_ij − Q_ij)(1 + ‖y_i − y_j‖²)⁻¹ (y_i − y_j).
    static func gradient(p: [Double], scale: Double, y: [Double], n: Int, kernel: inout [Double], into gradient: inout [Double]) {
        let total = studentKernel(y: y, n: n, into: &kernel)
        for i in 0..<n {
            var gx = 0.0, gy = 0.0
            for j in 0..<n where j != i {
                let w = kernel[i * n + j], coefficient = (scale * p[i * n + j] - max(w / total, Double.ulpOfOne)) * w
                gx += coefficient * (y[2 * i] - y[2 * j])
                gy += coefficient * (y[2 * i + 1] - y[2 * j + 1])
            }
            gradient[2 * i] = 4 * gx
            gradient[2 * i + 1] = 4 * gy
        }
    }

    /// KL(P‖Q) = Σ P log(P / Q).
    static func divergence(p: [Double], y: [Double], n: Int) -> Double {
        var kernel = [Double](repeating: 0, count: n * n)
        let total = studentKernel(y: y, n: n, into: &kernel)
        var sum = 0.0
        for i in 0..<n { for j in 0..<n where j != i { sum += p[i * n + j] * log(p[i * n + j] / max(kernel[i * n + j] / total, Double.ulpOfOne)) } }
        return sum
    }

    /// Fills w_ij = (1 + ‖y_i − y_j‖²)⁻¹ and returns Σ_{i≠j} w_ij.
    private static func studentKernel(y: [Double], n: Int, into kernel: inout [Double]) -> Double {
        var total = 0.0
        for i in 0..<n {
            for j in 0..<n where j != i {
                let dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1]
                let w = 1 / (1 + dx * dx + dy * dy)
                kernel[i * n + j] = w
                total += w
            }
        }
        return total
    }
}
