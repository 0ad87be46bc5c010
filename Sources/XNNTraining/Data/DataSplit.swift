import XNNLinearAlgebra
import XNNStorage

/// Which rows are held out: the `test_mask` dataset when the configuration names one, else a
/// random share (`test_fraction`) drawn with the run's seed.
enum DataSplit {
    /// One flag per row, true = held out.
    static func testFlags(_ h5: HDF5File, configuration: DataConfiguration, rows n: Int, seed: Int) throws -> [Bool] {
        var isTest = [Bool](repeating: false, count: n)
        if let maskName = configuration.testMask {
            let (mask, shape) = try h5.readInts(maskName)
            guard mask.count == n, shape.count == 1 || (shape.count == 2 && shape[1] == 1) else {
                throw DataError.rowCountMismatch(file: configuration.file, dataset: maskName, expected: n, found: shape.first ?? 0,
                                                 reference: configuration.activations)
            }
            isTest = mask.map { $0 != 0 }
        } else if configuration.testFraction > 0 {
            var order = Array(0..<n)
            var generator = SeededGenerator(seed: UInt64(seed), stream: 1)
            generator.shuffle(&order)
            for r in order.prefix(Int((Double(n) * configuration.testFraction).rounded())) { isTest[r] = true }
        }
        return isTest
    }
}
