import XNNLinearAlgebra

/// Inverted dropout on a buffer in place: kept units are scaled by 1/(1−p) so inference needs no change.
/// The mask is kept for the backward pass.
public final class Dropout {
    public let probability: Float
    public let mask: Matrix

    public init(probability: Float, capacityRows: Int, columns: Int) {
        precondition(probability >= 0 && probability < 1, "dropout probability must be in [0, 1)")
        self.probability = probability
        mask = Matrix(rows: capacityRows, columns: columns)
    }

    public func forward(_ values: Matrix, using generator: inout SeededGenerator) {
        mask.setRowCount(values.rows)
        let keep = 1 / (1 - probability)
        let m = mask.storage, v = values.storage
        for i in 0..<values.count {
            let factor: Float = generator.nextUnitFloat() < probability ? 0 : keep
            m[i] = factor
            v[i] *= factor
        }
    }

    /// Applies the last mask again (finite-difference checks evaluate the same network twice).
    public func reapply(_ values: Matrix) {
        let m = mask.storage, v = values.storage
        for i in 0..<values.count { v[i] *= m[i] }
    }

    public func backward(_ gradient: Matrix) {
        let m = mask.storage, g = gradient.storage
        for i in 0..<gradient.count { g[i] *= m[i] }
    }
}
