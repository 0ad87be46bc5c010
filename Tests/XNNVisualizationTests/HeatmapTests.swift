import Foundation
import XCTest
import XNNTestSupport
import XNNLinearAlgebra
import XNNModel
import XNNTraining
@testable import XNNVisualization

final class HeatmapTests: FolderTestCase {
    /// x = ReLU(W ẑ + b) with ẑ = (z − μ)/σ: grad-cam has the closed form
    /// M_j(u) = ReLU(Σ_d A(u, d) W_jd / σ_d) where x_j > 0, and 0 where the concept is off.
    func testGradCAMOfAOneLayerEncoderHasItsClosedForm() {
        let model = SRAE(architecture: SRAEArchitecture(inputDimension: 3, hiddenWidths: [], concepts: 2, outputs: 1, dropout: 0))
        let w: [[Float]] = [[0.5, 1, -2], [-1, -1, -1]]  // concept 0 on at this image's z, some locations negative
        for j in 0..<2 { for d in 0..<3 { model.encoder[0].weight.value[j, d] = w[j][d] } }
        model.encoder[0].bias.value[0, 0] = 0.1
        model.encoder[0].bias.value[0, 1] = -5  // concept 1 is off
        let normalization = Normalization(mean: [0.2, 0.1, -0.3], scale: [2, 0.5, 4])
        // 2 × 2 locations × 3 channels.
        let a: [Float] = [1, 0, 2,   0, 3, 1,   2, 1, 0,   0.5, 0.5, 0.5]
        let maps = a.withUnsafeBufferPointer {
            ConceptHeatmaps.compute(.gradCAM, model: model, normalization: normalization, featureMap: $0.baseAddress!, height: 2, width: 2)
        }
        for u in 0..<4 {
            let expected = max(0, (0..<3).reduce(Float(0)) { $0 + a[u * 3 + $1] * w[0][$1] / normalization.scale[$1] })
            XCTAssertEqual(maps[0][u], expected, accuracy: 1e-6, "location \(u)")
            XCTAssertEqual(maps[1][u], 0)
        }
        XCTAssertGreaterThan(maps[0].max()!, 0)
    }

    /// The Jacobian of a deeper encoder against central differences of the encoder itself.
    func testEncoderJacobianMatchesFiniteDifferences() {
        let model = SRAE(architecture: SRAEArchitecture(inputDimension: 5, hiddenWidths: [7, 4], concepts: 3, outputs: 1, dropout: 0))
        var generator = SeededGenerator(seed: 3)
        model.initialize(using: &generator)
        for j in 0..<3 { model.encoder[2].bias.value[0, j] = 0.5 }
        let z = Matrix(rows: 1, columns: 5)
        for d in 0..<5 { z.storage[d] = generator.nextFloat(in: -1, 1) }
        let jacobian = ConceptHeatmaps.encoderJacobian(model, at: z)
        func concepts(_ input: Matrix) -> [Float] { model.infer(input, rows: [0]).concepts.toArray() }
        let h: Float = 1e-3
        for d in 0..<5 {
            let plus = z.copy(), minus = z.copy()
            plus.storage[d] += h; minus.storage[d] -= h
            let up = concepts(plus), down = concepts(minus)
            for j in 0..<3 { XCTAssertEqual(jacobian[j, d], (up[j] - down[j]) / (2 * h), accuracy: 2e-3, "∂x_\(j)/∂z_\(d)") }
        }
    }

    /// On a constant feature map every location is z itself, so `spatial` is x_j(z) everywhere.
    func testSpatialOnAConstantFeatureMapIsTheConceptValueEverywhere() {
        let model = SRAE(architecture: SRAEArchitecture(inputDimension: 4, hiddenWidths: [6], concepts: 3, outputs: 1, dropout: 0))
        var generator = SeededGenerator(seed: 8)
        model.initialize(using: &generator)
        for j in 0..<3 { model.encoder[1].bias.value[0, j] = 0.3 }
        let normalization = Normalization(mean: [0.1, 0, 0.2, -0.1], scale: [1, 2, 0.5, 1])
        let z: [Float] = [0.3, 1.2, -0.4, 0.8]
        let map = (0..<(3 * 5)).flatMap { _ in z }
        let maps = map.withUnsafeBufferPointer {
            ConceptHeatmaps.compute(.spatial, model: model, normalization: normalization, featureMap: $0.baseAddress!, height: 3, width: 5)
        }
        let normalized = Matrix(rows: 1, columns: 4, values: z)
        normalization.apply(to: normalized)
        let x = model.infer(normalized, rows: [0]).concepts
        for j in 0..<3 {
            XCTAssertEqual(maps[j].count, 15)
            for value in maps[j] { XCTAssertEqual(value, x[0, j], accuracy: 1e-6) }
        }
    }

    /// PyTorch's F.interpolate(2×2 → 4×4, bilinear, align_corners=False) of [[0, 1], [2, 3]].
    func testBilinearUpsamplingMatchesPyTorch() {
        let result = Upsampling.bilinear([0, 1, 2, 3], height: 2, width: 2, toHeight: 4, toWidth: 4)
        let expected: [Float] = [0, 0.25, 0.75, 1,  0.5, 0.75, 1.25, 1.5,  1.5, 1.75, 2.25, 2.5,  2, 2.25, 2.75, 3]
        for (r, e) in zip(result, expected) { XCTAssertEqual(r, e, accuracy: 1e-6) }
        XCTAssertEqual(Upsampling.bilinear([7, 7, 7, 7, 7, 7], height: 2, width: 3, toHeight: 5, toWidth: 9), [Float](repeating: 7, count: 45))
        XCTAssertEqual(Upsampling.bilinear([1, 2, 3, 4], height: 2, width: 2, toHeight: 2, toWidth: 2), [1, 2, 3, 4])
    }

    func testViridisEndpointsAndOverlay() {
        XCTAssertTrue(ColorMap.viridis(0) == (68, 1, 84), "\(ColorMap.viridis(0))")
        XCTAssertTrue(ColorMap.viridis(1) == (253, 231, 37), "\(ColorMap.viridis(1))")
        XCTAssertEqual(ColorMap.viridisTable.count, 256)
        // Zero heat leaves the grey thumbnail as it is; full heat is mostly the colour.
        let pixels = ColorMap.overlay(thumbnail: [10, 200], channels: 1, heat: [0, 1], alpha: 1)
        XCTAssertEqual(Array(pixels[0..<3]), [10, 10, 10])
        XCTAssertEqual(Array(pixels[3..<6]), [253, 231, 37])
    }

    func testPNGRoundTrip() throws {
        let path = path("heatmap.png")
        let pixels: [UInt8] = (0..<(3 * 2 * 3)).map { UInt8($0 * 13 % 256) }
        try PNGImage(width: 3, height: 2, channels: 3, pixels: pixels).write(to: path)
        let back = try PNGImage.read(from: path)
        XCTAssertEqual(back.width, 3)
        XCTAssertEqual(back.height, 2)
        for i in 0..<6 {
            XCTAssertEqual(Array(back.pixels[(i * 4)..<(i * 4 + 3)]), Array(pixels[(i * 3)..<(i * 3 + 3)]))
            XCTAssertEqual(back.pixels[i * 4 + 3], 255)
        }
        XCTAssertThrowsError(try PNGImage(width: 1, height: 1, channels: 3, pixels: [1, 2, 3]).write(to: "/nonexistent/dir/x.png")) {
            XCTAssertTrue("\($0)".contains("/nonexistent/dir/x.png"))
        }
    }
}

final class HistogramTests: XCTestCase {
    /// PCA concepts can be negative: the overview's histogram spans them instead of crashing.
    func testHistogramSpansNegativeValues() {
        let svg = HTML.histogram([-1, -0.5, 0, 2], bins: 4)
        XCTAssertTrue(svg.contains("histogram of x from -1 to 2"), svg)
        XCTAssertEqual(svg.components(separatedBy: "<rect").count - 1, 4)
        XCTAssertTrue(HTML.histogram([0, 1]).contains("from 0 to 1"))
    }
}
