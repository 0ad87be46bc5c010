import XCTest
@testable import XNNLinearAlgebra

/// FastICA on a known mixture: three sparse, non-negative, independent sources mixed into six
/// features with a little Gaussian noise are found again (up to order), with positive skew, and
/// the sources are white (unit variance, uncorrelated), as the whitening and the orthogonal
/// unmixing require.
final class IndependentComponentsTests: XCTestCase {
    struct Mixture {
        let data: Matrix
        let sources: [[Double]]
    }

    func makeMixture(rows: Int = 3000) -> Mixture {
        var generator = SeededGenerator(seed: 7)
        let mixing: [[Double]] = [[1, 0.5, 0.2], [0.3, 1, 0.6], [0.7, 0.2, 1], [0.4, 0.9, 0.1], [0.2, 0.3, 0.8], [1, 1, 0.4]]
        let sources = (0..<rows).map { _ in
            (0..<3).map { _ in sparseDraw(&generator) }
        }
        let data = Matrix(rows: rows, columns: mixing.count)
        for r in 0..<rows {
            for f in 0..<mixing.count {
                data[r, f] = Float((0..<3).reduce(0.05 * generator.nextGaussian()) { $0 + mixing[f][$1] * sources[r][$1] })
            }
        }
        return Mixture(data: data, sources: sources)
    }

    /// A sparse, non-negative draw: 0 on 70 % of rows, else exponential with mean 1.
    func sparseDraw(_ generator: inout SeededGenerator) -> Double {
        generator.nextUnitFloat() < 0.7 ? 0 : -log(Double(max(generator.nextUnitFloat(), 1e-7)))
    }

    func correlation(_ a: [Double], _ b: [Double]) -> Double {
        let n = Double(a.count), ma = a.reduce(0, +) / n, mb = b.reduce(0, +) / n
        var ab = 0.0, aa = 0.0, bb = 0.0
        for i in 0..<a.count { ab += (a[i] - ma) * (b[i] - mb); aa += (a[i] - ma) * (a[i] - ma); bb += (b[i] - mb) * (b[i] - mb) }
        return ab / (aa * bb).squareRoot()
    }

    func solve(_ mixture: Mixture, seed: UInt64 = 1) throws -> IndependentComponents {
        let rows = Array(0..<mixture.data.rows)
        let axes = try PrincipalAxes(mixture.data, rows: rows, count: 3)
        var generator = SeededGenerator(seed: seed)
        return try IndependentComponents(mixture.data, rows: rows, axes: axes, count: 3, generator: &generator)
    }

    func testRecoversEachSourceWithPositiveSign() throws {
        let mixture = makeMixture()
        let ica = try solve(mixture)
        XCTAssertTrue(ica.converged, "\(ica.iterations) iterations")
        let found = ica.sources(of: mixture.data)
        for truth in 0..<3 {
            let column = mixture.sources.map { $0[truth] }
            let best = (0..<3).map { c in correlation(found.map { $0[c] }, column) }.max()!
            XCTAssertGreaterThan(best, 0.98, "source \(truth)")  // positive: the sign follows the skew
        }
    }

    func testSourcesAreWhite() throws {
        let mixture = makeMixture()
        let found = try solve(mixture).sources(of: mixture.data)
        let n = Double(found.count)
        for a in 0..<3 {
            for b in 0..<3 {
                let ma = found.reduce(0) { $0 + $1[a] } / n, mb = found.reduce(0) { $0 + $1[b] } / n
                let covariance = found.reduce(0) { $0 + ($1[a] - ma) * ($1[b] - mb) } / n
                XCTAssertEqual(covariance, a == b ? 1 : 0, accuracy: 1e-4, "covariance \(a), \(b)")
            }
        }
    }

    func testSameSeedSameUnmixing() throws {
        let mixture = makeMixture(rows: 800)
        XCTAssertEqual(try solve(mixture, seed: 3).unmixing, try solve(mixture, seed: 3).unmixing)
    }

    /// Two sparse sources beside two Gaussian ones: W as a whole need not converge (the Gaussian
    /// rows have no preferred direction), but the rows along the sparse sources settle and find them.
    func testSparseSourcesSettleBesideGaussianOnes() throws {
        var generator = SeededGenerator(seed: 11)
        let rows = 3000, features = 6
        let mixing = (0..<features).map { _ in (0..<4).map { _ in Double(generator.nextFloat(in: 0.2, 1)) } }
        var sparse: [[Double]] = []
        let data = Matrix(rows: rows, columns: features)
        for r in 0..<rows {
            let s = (0..<2).map { _ in sparseDraw(&generator) }
            let factors = s + [generator.nextGaussian(), generator.nextGaussian()]
            for f in 0..<features { data[r, f] = Float((0..<4).reduce(0.01 * generator.nextGaussian()) { $0 + mixing[f][$1] * factors[$1] }) }
            sparse.append(s)
        }
        let all = Array(0..<rows)
        var seeded = SeededGenerator(seed: 2)
        let ica = try IndependentComponents(data, rows: all, axes: try PrincipalAxes(data, rows: all, count: 4), count: 4, generator: &seeded)
        let found = ica.sources(of: data)
        for truth in 0..<2 {
            let column = sparse.map { $0[truth] }
            let scores = (0..<4).map { c in correlation(found.map { $0[c] }, column) }
            let best = scores.indices.max { scores[$0] < scores[$1] }!
            XCTAssertGreaterThan(scores[best], 0.98, "sparse source \(truth)")
            XCTAssertTrue(ica.settled[best], "the row along sparse source \(truth) settled")
        }
    }
}
