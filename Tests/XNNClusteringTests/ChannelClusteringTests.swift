import XCTest
import XNNLinearAlgebra
@testable import XNNClustering

/// The layer pipeline on synthetic maps with planted channel groups, and t-SNE's determinism.
final class ChannelClusteringTests: XCTestCase {
    /// Groups of channels (`sizes`) on a 7×7 grid: each group's maps are one blob at its own place
    /// times a random amplitude plus small noise, weights in [1, 2]; `light` extra channels with tiny weights.
    func plantedMaps(sizes: [Int] = [8, 8, 8], light: Int = 6, seed: UInt64 = 5) -> (maps: Matrix, weights: [Double], group: [Int]) {
        var generator = SeededGenerator(seed: seed)
        let side = 7, planted = sizes.reduce(0, +), channels = planted + light
        let maps = Matrix(rows: channels, columns: side * side)
        var weights: [Double] = [], group: [Int] = []
        let owner = sizes.enumerated().flatMap { g, size in [Int](repeating: g, count: size) }
        for k in 0..<channels {
            let g = k < planted ? owner[k] : -1
            let (cx, cy) = g >= 0 ? (Double(1 + 2 * g), Double(g % 2 == 0 ? 1 : 5)) : (3.0, 3.0)
            let amplitude = 0.5 + generator.nextUnitFloat()
            for y in 0..<side {
                for x in 0..<side {
                    let blob = exp(-((Double(x) - cx) * (Double(x) - cx) + (Double(y) - cy) * (Double(y) - cy)) / 2)
                    maps[k, y * side + x] = Float(Double(amplitude) * blob + 0.02 * generator.nextGaussian())
                }
            }
            weights.append(g >= 0 ? 1 + Double(generator.nextUnitFloat()) : 0.01)
            group.append(g)
        }
        return (maps, weights, group)
    }

    func testPlantedChannelGroupsAreRecoveredExactly() throws {
        let planted = plantedMaps()
        let result = try ChannelClustering(seed: 1).cluster(maps: planted.maps, weights: planted.weights)
        XCTAssertEqual(result.keptChannels, planted.group.indices.filter { planted.group[$0] >= 0 })
        let found = (result.clusters + result.droppedClusters).map { Set($0.channels) }
        let truth = (0..<3).map { g in Set(planted.group.indices.filter { planted.group[$0] == g }) }
        XCTAssertEqual(Set(found), Set(truth))
        XCTAssertEqual(result.silhouettes.first?.clusters, 3)
        XCTAssertEqual(result.silhouettes.max { $0.score < $1.score }?.clusters, 3)
        for cluster in result.clusters {
            XCTAssertEqual(cluster.map.max() ?? 0, 1, accuracy: 1e-12)
            XCTAssertEqual(cluster.map.min() ?? 1, 0, accuracy: 1e-12)
        }
    }

    /// Clusters lighter than max(max W / 3, mean W / 2) are dropped; the shares sum to 100.
    func testLightClustersAreDropped() throws {
        var planted = plantedMaps(sizes: [10, 10, 3])
        // The third group's channels pass the channel threshold (0.9 × 100/29 %), but as a cluster
        // (about 11 %) it is below half the mean cluster weight (about 17 %).
        for k in 20..<23 { planted.weights[k] = 1.2 }
        let result = try ChannelClustering(seed: 1).cluster(maps: planted.maps, weights: planted.weights)
        XCTAssertEqual(planted.weights.indices.reduce(0) { $0 + result.shares[$1] }, 100, accuracy: 1e-9)
        XCTAssertEqual(result.keptChannels, Array(0..<23))
        XCTAssertEqual(result.clusters.map { Set($0.channels) }.sorted { $0.min()! < $1.min()! }, [Set(0..<10), Set(10..<20)])
        XCTAssertEqual(result.droppedClusters.map { Set($0.channels) }, [Set(20..<23)])
    }

    func testTSNEIsDeterministicAndLowersItsDivergence() {
        let planted = plantedMaps()
        let points = (0..<planted.maps.rows).map { r in (0..<planted.maps.columns).map { Double(planted.maps[r, $0]) } }
        var tsne = TSNE(seed: 3)
        tsne.iterations = 400
        let a = tsne.embed(points), b = tsne.embed(points)
        XCTAssertEqual(a.points, b.points)
        XCTAssertLessThan(a.finalDivergence, 0.75 * a.initialDivergence)
        XCTAssertEqual(a.perplexity, Double(points.count - 1) / 3)
        tsne.seed = 4
        XCTAssertNotEqual(tsne.embed(points).points, a.points)
    }

    /// The bisection meets the perplexity: each conditional row's entropy is log(perplexity).
    func testAffinitiesMeetThePerplexity() {
        let points = (0..<20).map { i in [Double(i), Double(i * i % 7)] }
        let p = TSNE.jointAffinities(DistanceMatrix(points: points), perplexity: 5)
        XCTAssertEqual(p.reduce(0, +), 1, accuracy: 1e-9)
        for i in 0..<20 { for j in 0..<20 { XCTAssertEqual(p[i * 20 + j], i == j ? 0 : p[j * 20 + i], accuracy: 1e-15) } }
    }
}
