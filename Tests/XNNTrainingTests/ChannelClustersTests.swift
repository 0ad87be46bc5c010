import XCTest
import XNNLinearAlgebra
@testable import XNNTraining

/// The channel_clusters baseline (docs/layers.md): planted channel groups found over the rows,
/// shares from the read-out's guided weights, concepts as share-weighted group means.
final class ChannelClustersTests: XCTestCase {
    /// 3 sources s_g ≥ 0; channels 0–14 follow source (channel mod 3) with their own gain and
    /// noise; channels 15–17 are noise the read-out does not use. y = s_0 + s_1 + s_2, so every
    /// planted channel carries about a fifteenth of the read-out: above 0.9 × the uniform share.
    func plantedLayer(rows: Int = 600) -> (inputs: Matrix, targets: Matrix) {
        var generator = SeededGenerator(seed: 9)
        let inputs = Matrix(rows: rows, columns: 18), targets = Matrix(rows: rows, columns: 1)
        for i in 0..<rows {
            let sources = (0..<3).map { _ in max(0, generator.nextFloat(in: -0.5, 1.5)) }
            for k in 0..<18 {
                let noise = 0.02 * Float(generator.nextGaussian())
                inputs[i, k] = k < 15 ? max(0, (0.8 + 0.4 * Float(k) / 15) * sources[k % 3] + noise) : max(0, 0.3 + noise)
            }
            targets[i, 0] = sources[0] + sources[1] + sources[2]
        }
        return (inputs, targets)
    }

    func testPlantedChannelGroupsBecomeTheConcepts() throws {
        let layer = plantedLayer(), rows = Array(0..<600)
        let fit = try ChannelClusters.fit(inputs: layer.inputs, targets: layer.targets, rows: rows, concepts: 3, seed: 2)
        let truth = (0..<3).map { g in Set(stride(from: g, to: 15, by: 3)) }
        XCTAssertEqual(Set(fit.groups.map(Set.init)), Set(truth))
        XCTAssertEqual(fit.shares.reduce(0, +), 100, accuracy: 1e-9)
        XCTAssertLessThan(fit.shares[15...].max() ?? 100, 0.9 * 100 / 18, "noise channels fall below the threshold")
        // The concepts are share-weighted means of their groups; the least-squares decoder rebuilds z.
        let model = try ChannelClusters.model(fit, inputs: layer.inputs, rows: rows, outputs: 1)
        let x = Matrix(rows: 600, columns: 3), y = Matrix(rows: 600, columns: 1), rebuilt = Matrix(rows: 600, columns: 18)
        model.infer(layer.inputs, rows: rows, concepts: x, predictions: y, reconstructions: rebuilt)
        for (j, group) in fit.groups.enumerated() {
            let total = group.reduce(0) { $0 + fit.shares[$1] }
            let expected = group.reduce(0.0) { $0 + fit.shares[$1] / total * Double(layer.inputs[7, $1]) }
            XCTAssertEqual(Double(x[7, j]), expected, accuracy: 1e-5)
        }
        var error = 0.0, variance = 0.0
        for k in 0..<15 {
            let mean = rows.reduce(0.0) { $0 + Double(layer.inputs[$1, k]) } / 600
            for i in rows {
                error += pow(Double(rebuilt[i, k] - layer.inputs[i, k]), 2)
                variance += pow(Double(layer.inputs[i, k]) - mean, 2)
            }
        }
        XCTAssertLessThan(error / variance, 0.01, "the planted channels are rebuilt from their groups")
    }

    func testTheSameSeedGivesTheSameGroups() throws {
        let layer = plantedLayer(rows: 300), rows = Array(0..<300)
        let a = try ChannelClusters.fit(inputs: layer.inputs, targets: layer.targets, rows: rows, concepts: 4, seed: 5)
        let b = try ChannelClusters.fit(inputs: layer.inputs, targets: layer.targets, rows: rows, concepts: 4, seed: 5)
        XCTAssertEqual(a.groups, b.groups)
        XCTAssertEqual(a.groups.count, 4)
    }
}
