import XCTest
import XNNLinearAlgebra
@testable import XNNModel

/// Every analytic gradient against central finite differences (docs/method.md §3: no autodiff library).
final class GradientCheckTests: XCTestCase {
    struct Problem {
        let model: SRAE
        let workspace: SRAEWorkspace
        let inputs: Matrix
        let targets: Matrix
    }

    func makeProblem(outputs: Int = 2, concepts: Int = 3, dropout: Float = 0, outputActivation: Activation = .relu,
                     hidden: [Int] = [7, 5], batch: Int = 6, seed: UInt64 = 7) -> Problem {
        let architecture = SRAEArchitecture(inputDimension: 6, hiddenWidths: hidden, concepts: concepts,
                                            outputs: outputs, dropout: dropout, outputActivation: outputActivation)
        let model = SRAE(architecture: architecture)
        var generator = SeededGenerator(seed: seed)
        model.initialize(using: &generator)
        // Positive biases on the concept layer keep every concept alive, so every path is exercised.
        let conceptBias = model.encoder.last!.bias.value
        for j in 0..<concepts { conceptBias[0, j] = 0.3 + 0.1 * Float(j) }
        let outputBias = model.decoder.last!.bias.value
        for d in 0..<outputBias.count { outputBias.storage[d] = 0.2 }
        let inputs = Matrix(rows: batch, columns: 6)
        for i in 0..<inputs.count { inputs.storage[i] = max(0, generator.nextFloat(in: -0.5, 1.5)) }
        let targets = Matrix(rows: batch, columns: outputs)
        for i in 0..<targets.count { targets.storage[i] = generator.nextFloat(in: -1, 1) }
        return Problem(model: model, workspace: SRAEWorkspace(architecture: architecture, capacity: batch),
                       inputs: inputs, targets: targets)
    }

    /// ∂loss/∂value[i] by a five-point stencil: truncation error O(h⁴), so h can be large enough
    /// that the Float32 rounding of the loss (~1e-7 relative) stays far below 1e-3 of the gradient.
    /// A stencil that switches any ReLU unit (`pattern` changes) crosses a kink, where finite
    /// differences are invalid: it is retried with a smaller step; nil when every step crosses one.
    func numericDerivative(of loss: () -> Double, at i: Int, of value: Matrix, pattern: () -> [Bool]) -> Double? {
        let original = value.storage[i]
        _ = loss()  // the workspace at the unperturbed point
        let smoothPattern = pattern()
        defer { value.storage[i] = original }
        for relativeStep in [1e-2, 5e-3, 2.5e-3, 1e-3, 5e-4, 2e-4] {
            let step = Float(relativeStep) * max(1, abs(original))
            var smooth = true
            func shifted(_ offset: Float) -> Double {
                value.storage[i] = original + offset * step
                defer { smooth = smooth && pattern() == smoothPattern }
                return loss()
            }
            let estimate = (8 * (shifted(1) - shifted(-1)) - (shifted(2) - shifted(-2))) / (12 * Double(step))
            if smooth { return estimate }
        }
        return nil
    }

    /// Relative error ‖analytic − numeric‖ / (‖analytic‖ + ‖numeric‖) for each parameter tensor.
    func checkGradients(_ problem: Problem, weights: LossWeights, dropout: DropoutMode = .off,
                        file: StaticString = #filePath, line: UInt = #line) {
        var generator = SeededGenerator(seed: 99)
        let model = problem.model, ws = problem.workspace
        let firstMode: DropoutMode = dropout == .off ? .off : .sample
        model.computeLossAndGradients(inputs: problem.inputs, targets: problem.targets, weights: weights,
                                      workspace: ws, dropout: firstMode, generator: &generator)
        let analytic = model.parameters.map { $0.gradient.toArray() }
        let replay: DropoutMode = dropout == .off ? .off : .reuseMask
        func loss() -> Double {
            model.computeLossAndGradients(inputs: problem.inputs, targets: problem.targets, weights: weights,
                                          workspace: ws, dropout: replay, generator: &generator).total
        }
        let reluOutputs = (Array(zip(model.encoder, ws.encoderOutputs)) + Array(zip(model.decoder, ws.decoderOutputs)))
            .filter { $0.0.activation == Activation.relu }.map(\.1)
        func reluPattern() -> [Bool] { reluOutputs.flatMap { $0.toArray().map { $0 > 0 } } }
        var checkedNonZero = 0
        for (p, parameter) in model.parameters.enumerated() {
            var difference = 0.0, analyticNorm = 0.0, numericNorm = 0.0, kinked = 0
            for i in 0..<parameter.value.count {
                guard let numeric = numericDerivative(of: loss, at: i, of: parameter.value, pattern: reluPattern) else {
                    kinked += 1
                    continue
                }
                let a = Double(analytic[p][i])
                difference += (a - numeric) * (a - numeric)
                analyticNorm += a * a
                numericNorm += numeric * numeric
            }
            XCTAssertLessThanOrEqual(kinked, max(1, parameter.value.count / 20),
                                     "\(parameter.name): \(kinked) of \(parameter.value.count) entries sit on a ReLU kink",
                                     file: file, line: line)
            // A tensor whose true gradient is ~0 (a term switched off, or the scale-invariant
            // pull-away in V) is judged absolutely; every other one relatively. No tensor is skipped.
            let scale = analyticNorm.squareRoot() + numericNorm.squareRoot()
            if scale < 1e-2 {
                XCTAssertLessThan(difference.squareRoot(), 1e-3, "\(parameter.name): gradient error \(difference.squareRoot())",
                                  file: file, line: line)
                continue
            }
            checkedNonZero += 1
            let relative = difference.squareRoot() / scale
            XCTAssertLessThan(relative, 1e-3, "\(parameter.name): relative gradient error \(relative)", file: file, line: line)
        }
        XCTAssertGreaterThan(checkedNonZero, 0, "no parameter had a gradient", file: file, line: line)
    }

    func testFaithfulnessOnly() {
        checkGradients(makeProblem(), weights: LossWeights(prediction: 1, reconstruction: 0, pullAway: 0))
    }

    func testSparseLogReconstructionOnly() {
        checkGradients(makeProblem(), weights: LossWeights(prediction: 0, reconstruction: 1, pullAway: 0))
    }

    func testMeanSquaredReconstructionOnly() {
        checkGradients(makeProblem(), weights: LossWeights(prediction: 0, reconstruction: 1, pullAway: 0,
                                                           reconstructionPenalty: .meanSquared))
    }

    func testPullAwayFeaturesOnly() {
        checkGradients(makeProblem(), weights: LossWeights(prediction: 0, reconstruction: 0, pullAway: 1, pullAwayMode: .features))
    }

    func testConceptSparsityOnly() {
        var weights = LossWeights(prediction: 0, reconstruction: 0, pullAway: 0)
        weights.conceptSparsity = 1
        checkGradients(makeProblem(), weights: weights)
    }

    func testEveryTermWithConceptSparsity() {
        var weights = LossWeights(prediction: 1, reconstruction: 15, pullAway: 5)
        weights.conceptSparsity = 2
        checkGradients(makeProblem(), weights: weights)
    }

    func testPullAwaySamplesOnly() {
        checkGradients(makeProblem(), weights: LossWeights(prediction: 0, reconstruction: 0, pullAway: 1, pullAwayMode: .samples))
    }

    func testFullLossBothModes() {
        checkGradients(makeProblem(), weights: LossWeights(prediction: 1, reconstruction: 15, pullAway: 5, pullAwayMode: .features))
        checkGradients(makeProblem(), weights: LossWeights(prediction: 1, reconstruction: 10, pullAway: 10, pullAwayMode: .samples))
    }

    func testSingleOutputAndManyConcepts() {
        checkGradients(makeProblem(outputs: 1, concepts: 5), weights: LossWeights())
    }

    func testLinearAndSigmoidDecoderOutputs() {
        checkGradients(makeProblem(outputActivation: .linear), weights: LossWeights(prediction: 1, reconstruction: 3, pullAway: 1))
        checkGradients(makeProblem(outputActivation: .sigmoid), weights: LossWeights(prediction: 1, reconstruction: 3, pullAway: 1))
    }

    func testWithDropoutMaskHeldFixed() {
        checkGradients(makeProblem(dropout: 0.3), weights: LossWeights(), dropout: .sample)
    }

    func testEncoderWithoutHiddenLayers() {
        checkGradients(makeProblem(hidden: []), weights: LossWeights(prediction: 1, reconstruction: 2, pullAway: 1))
    }
}
