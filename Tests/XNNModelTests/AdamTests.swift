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
}
