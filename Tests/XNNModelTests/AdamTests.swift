import XCTest
import XNNLinearAlgebra
@testable import XNNModel

final class AdamTests: XCTestCase {
    /// Two steps by hand, following torch.optim.Adam's update with L2 weight decay.
    func testMatchesTorchAdamFormula() {
        let parameter = Parameter(name: "w", rows: 1, columns: 2)
        parameter.value[0, 0] = 1; parameter.value[0, 1] = -2
        let adam = Adam(parameters: [parameter], learningRate: 0.1, weightDecay: 0.01)
        var w: [Double] = [1, -2], m: [Double] = [0, 0], v: [Double] = [0, 0]
        let gradients: [[Double]] = [[0.5, -1], [0.25, 2]]
        for (t, g) in gradients.enumerated() {
            parameter.gradient[0, 0] = Float(g[0]); parameter.gradient[0, 1] = Float(g[1])
            adam.update()
            for i in 0..<2 {
                let gi = g[i] + 0.01 * w[i]
                m[i] = 0.9 * m[i] + 0.1 * gi
                v[i] = 0.999 * v[i] + 0.001 * gi * gi
                let step = Double(t + 1)
                let denominator = (v[i].squareRoot() / (1 - pow(0.999, step)).squareRoot()) + 1e-8
                w[i] -= 0.1 / (1 - pow(0.9, step)) * m[i] / denominator
            }
            XCTAssertEqual(Double(parameter.value[0, 0]), w[0], accuracy: 1e-5)
            XCTAssertEqual(Double(parameter.value[0, 1]), w[1], accuracy: 1e-5)
        }
    }

    /// Split over a pool (the model is above Adam.smallestSharedUpdate), every element gets exactly
    /// the single-threaded update, bit for bit,
    /// including parameters shorter than a SIMD share and pieces that straddle parameters.
    func testPooledUpdateEqualsSingleThreaded() {
        func makeParameters() -> [Parameter] {
            [(3, 5), (1, 37), (300, 230), (1, 1)].enumerated().map { index, shape in
                let parameter = Parameter(name: "p\(index)", rows: shape.0, columns: shape.1)
                for i in 0..<parameter.value.count {
                    parameter.value.storage[i] = Float(sin(Double(i + 7 * index)))
                }
                return parameter
            }
        }
        for threads in [2, 3] {
            let single = makeParameters(), pooled = makeParameters()
            let reference = Adam(parameters: single, learningRate: 0.01, weightDecay: 0.001)
            let adam = Adam(parameters: pooled, learningRate: 0.01, weightDecay: 0.001, pool: WorkerPool(threads: threads))
            let covered = Adam.partition(sizes: pooled.map(\.value.count), workers: threads)
                .flatMap { $0 }.map { $0.elements.count }.reduce(0, +)
            XCTAssertEqual(covered, pooled.map(\.value.count).reduce(0, +))
            for step in 0..<3 {
                for (a, b) in zip(single, pooled) {
                    for i in 0..<a.gradient.count {
                        let g = Float(cos(Double(i * (step + 1))))
                        a.gradient.storage[i] = g; b.gradient.storage[i] = g
                    }
                }
                reference.update(); adam.update()
                for (a, b) in zip(single, pooled) {
                    XCTAssertEqual(Array(UnsafeBufferPointer(start: a.value.storage, count: a.value.count)),
                                   Array(UnsafeBufferPointer(start: b.value.storage, count: b.value.count)))
                }
            }
        }
    }
}
