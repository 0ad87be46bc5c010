import AllocationCounter
import XCTest
import XNNLinearAlgebra
import XNNModel

/// The training step (forward, every loss and gradient, Adam) allocates nothing once warmed up:
/// the process's malloc family is counted while the steps run.
final class AllocationFreeStepTests: XCTestCase {
    func assertStepsAllocateNothing(weights: LossWeights, dropout: Float, threads: Int, batch: Int = 64,
                                    file: StaticString = #filePath, line: UInt = #line) throws {
        #if DEBUG
        // Unoptimised code calls the standard library's generic entry points, whose coroutine frames
        // are heap-allocated; scripts/test.sh builds the suite optimised, as users run it.
        throw XCTSkip("allocation counts are only meaningful in an optimised build (swift build -c release -Xswiftc -enable-testing)")
        #endif
        // As `xnn train` runs: OpenBLAS on one thread, the products' blocks and Adam on the pool.
        let pool = ComputeThreads.openBLAS.use(threads)
        let architecture = SRAEArchitecture(inputDimension: 512, hiddenWidths: [256, 16], concepts: 5, outputs: 2,
                                            dropout: dropout, outputActivation: .relu)
        // The first layer's products are large enough to be cut into blocks, so the pool really runs them.
        XCTAssertGreaterThan(ProductPartition(m: batch, n: 256, k: 512).blocks, 1)
        let model = SRAE(architecture: architecture)
        model.pool = pool
        var generator = SeededGenerator(seed: 5)
        model.initialize(using: &generator)
        let workspace = SRAEWorkspace(architecture: architecture, capacity: batch)
        let data = Matrix(rows: 3 * batch, columns: 512), scores = Matrix(rows: 3 * batch, columns: 2)
        for i in 0..<data.count { data.storage[i] = max(0, generator.nextFloat(in: -1, 1)) }
        for i in 0..<scores.count { scores.storage[i] = generator.nextFloat(in: -1, 1) }
        // 512·256·2 weights: above Adam.smallestSharedUpdate, so the pool really runs.
        let adam = Adam(parameters: model.parameters, weightDecay: 1e-4, pool: pool)

        // A full batch, then a short last batch, as an epoch ends: both sizes must be allocation-free.
        func step(_ index: Int) {
            let rows = index % 2 == 0 ? batch : batch / 2
            workspace.inputs.setRowCount(rows); workspace.targets.setRowCount(rows)
            workspace.inputs.storage.update(from: data.row(index % 3 * batch), count: rows * 512)
            workspace.targets.storage.update(from: scores.row(index % 3 * batch), count: rows * 2)
            model.computeLossAndGradients(inputs: workspace.inputs, targets: workspace.targets, weights: weights,
                                          workspace: workspace, dropout: .sample, generator: &generator)
            adam.update()
        }
        for index in 0..<4 { step(index) }  // warm-up: OpenBLAS's buffers, the pool's threads
        xnn_allocation_counting_start()
        for index in 0..<6 { step(index) }
        let allocations = xnn_allocation_counting_stop()
        XCTAssertEqual(allocations, 0, "heap allocations in 6 training steps", file: file, line: line)
        // OpenBLAS's threaded GEMM (not used here) mallocs its job table on every call; reported, not ours.
        print("training step: \(allocations) allocations of ours, \(xnn_allocation_counting_blas()) inside OpenBLAS, in 6 steps with \(threads) thread(s)")
    }

    func testDefaultLossAllocatesNothing() throws {
        try assertStepsAllocateNothing(weights: LossWeights(), dropout: 0.02, threads: 2)
    }

    func testSamplesPullAwayWithoutReconstructionAllocatesNothing() throws {
        try assertStepsAllocateNothing(weights: LossWeights(reconstruction: 0, pullAwayMode: .samples), dropout: 0, threads: 1)
    }

    func testMeanSquaredReconstructionAllocatesNothing() throws {
        try assertStepsAllocateNothing(weights: LossWeights(reconstructionPenalty: .meanSquared), dropout: 0.1, threads: 2)
    }

    /// The counter itself works: an allocation is seen.
    func testCounterSeesAnAllocation() {
        xnn_allocation_counting_start()
        let array = [Int](unsafeUninitializedCapacity: 1000) { buffer, count in count = 1000; buffer.initialize(repeating: 1) }
        let allocations = xnn_allocation_counting_stop()
        XCTAssertEqual(array.count, 1000)
        XCTAssertGreaterThan(allocations, 0)
    }
}
