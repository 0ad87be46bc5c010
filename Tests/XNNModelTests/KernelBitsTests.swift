import XCTest
import XNNKernels

/// The C kernels run as AVX-512, AVX2 or baseline clones, whichever the processor has
/// (XNNKernels.h). Each must give exactly the bits of the plain scalar formula, evaluated here in
/// Swift, which neither vectorises nor contracts it: a training run must not depend on the width.
final class KernelBitsTests: XCTestCase {
    /// Lengths that cover whole vectors, a remainder and less than one vector.
    let lengths = [1, 7, 16, 37, 1000, 4099]

    func values(_ count: Int, seed: Double) -> [Float] {
        (0..<count).map { index -> Float in
            let phase = Double(index) * 0.7 + seed
            return Float(sin(phase) * Double(1 + index % 5))
        }
    }

    func testAdamUpdateEqualsScalarFormula() {
        let (beta1, beta2, decay, stepSize, correction2Inverse, epsilon): (Float, Float, Float, Float, Float, Float) =
            (0.9, 0.999, 1e-4, 1e-3 / 0.271, 1 / 0.00199, 1e-8)
        for count in lengths {
            var w = values(count, seed: 1), m = values(count, seed: 2).map { $0 * 0.1 }
            var v = values(count, seed: 3).map { $0 * $0 * 0.01 }
            let g = values(count, seed: 4)
            var expected = w, expectedM = m, expectedV = v
            for i in 0..<count {
                let gradient = g[i] + decay * w[i]
                expectedM[i] = beta1 * m[i] + (1 - beta1) * gradient
                expectedV[i] = beta2 * v[i] + (1 - beta2) * gradient * gradient
                expected[i] = w[i] - stepSize * expectedM[i] / ((expectedV[i] * correction2Inverse).squareRoot() + epsilon)
            }
            xnn_adam_update(count, &w, g, &m, &v, beta1, beta2, decay, stepSize, correction2Inverse, epsilon)
            XCTAssertEqual(w.map(\.bitPattern), expected.map(\.bitPattern), "weights, \(count) elements")
            XCTAssertEqual(m.map(\.bitPattern), expectedM.map(\.bitPattern), "first moments, \(count) elements")
            XCTAssertEqual(v.map(\.bitPattern), expectedV.map(\.bitPattern), "second moments, \(count) elements")
        }
    }

    func testLayerKernelsEqualScalarLoops() {
        for columns in lengths where columns < 2000 {
            let rows = 3
            let input = values(rows * columns, seed: 5), bias = values(columns, seed: 6), output = values(rows * columns, seed: 7)
            for relu in [0, 1] {
                var activated = input
                xnn_add_bias_activate(rows, columns, &activated, bias, Int32(relu))
                let expected = input.indices.map { i -> Float in
                    let value = input[i] + bias[i % columns]
                    return relu == 1 ? max(value, 0) : value
                }
                XCTAssertEqual(activated.map(\.bitPattern), expected.map(\.bitPattern), "bias + activation, \(columns) columns")

                var gradient = input, biasGradient = [Float](repeating: 0, count: columns)
                xnn_activation_backward_bias_gradient(rows, columns, &gradient, output, &biasGradient, Int32(relu))
                let masked = input.indices.map { relu == 1 && !(output[$0] > 0) ? 0 : input[$0] }
                var sums = [Float](repeating: 0, count: columns)
                for i in masked.indices { sums[i % columns] += masked[i] }
                XCTAssertEqual(gradient.map(\.bitPattern), masked.map(\.bitPattern), "activation backward, \(columns) columns")
                XCTAssertEqual(biasGradient.map(\.bitPattern), sums.map(\.bitPattern), "bias gradient, \(columns) columns")
            }
            var residual = [Float](repeating: 0, count: rows * columns), errors = [Double](repeating: 0, count: columns)
            xnn_residuals_and_column_squares(rows, columns, input, output, &residual, &errors)
            var expectedErrors = [Double](repeating: 0, count: columns)
            let differences = input.indices.map { input[$0] - output[$0] }
            for i in differences.indices { expectedErrors[i % columns] += Double(differences[i] * differences[i]) }
            XCTAssertEqual(residual.map(\.bitPattern), differences.map(\.bitPattern), "residuals, \(columns) columns")
            XCTAssertEqual(errors.map(\.bitPattern), expectedErrors.map(\.bitPattern), "column squares, \(columns) columns")

            var scaled = input
            let factors = values(columns, seed: 8).map(Double.init)
            xnn_scale_columns(rows, columns, &scaled, factors)
            let expectedScaled = input.indices.map { input[$0] * Float(factors[$0 % columns]) }
            XCTAssertEqual(scaled.map(\.bitPattern), expectedScaled.map(\.bitPattern), "scaled columns, \(columns) columns")
        }
    }
}
