import XNNLinearAlgebra

extension Adam {
    /// The first and second moments, parameter by parameter, as a checkpoint saves them.
    public var momentValues: (first: [[Float]], second: [[Float]]) {
        (firstMoments.map { $0.toArray() }, secondMoments.map { $0.toArray() })
    }

    /// Puts saved moments and the step count back, so the next update is the one an uninterrupted
    /// run would make; false (and nothing changed) when their sizes do not match the parameters.
    public func restore(step: Int, first: [[Float]], second: [[Float]]) -> Bool {
        func fits(_ saved: [[Float]], _ moments: [Matrix]) -> Bool {
            saved.count == moments.count && zip(saved, moments).allSatisfy { $0.count == $1.count }
        }
        guard step >= 0, fits(first, firstMoments), fits(second, secondMoments) else { return false }
        self.step = step
        for (values, matrix) in zip(first + second, firstMoments + secondMoments) {
            matrix.storage.update(from: values, count: values.count)
        }
        return true
    }
}
