import XNNLinearAlgebra
import XNNModel

/// The NMF baseline of docs/method.md §7: Z ≈ W H with W, H ≥ 0 fitted on the training rows by Lee and
/// Seung's multiplicative updates for the Frobenius norm (scikit-learn's "mu" solver, with its
/// "random" initialisation scaled by √(mean(Z)/k)), then ŷ by least squares on the codes.
public enum NonNegativeFactorization {
    public struct Fit {
        public let basis: Matrix
        /// ‖Z − W H‖_F² / (n·D) on the training rows.
        public let meanSquaredError: Double
    }

    public static func fit(_ data: Matrix, rows: [Int], components k: Int, iterations: Int = 500, seed: UInt64 = 0) throws -> Fit {
        let n = rows.count, d = data.columns
        let z = Matrix(rows: n, columns: d)
        ActivationData.gather(rows: rows[...], from: data, into: z)
        var mean = 0.0
        for i in 0..<z.count {
            guard z.storage[i] >= 0 else {
                throw DataError.negativeForNMF(row: rows[i / d], column: i % d, value: "\(z.storage[i])")
            }
            mean += Double(z.storage[i])
        }
        let scale = Float((mean / Double(max(z.count, 1)) / Double(k)).squareRoot())
        var generator = SeededGenerator(seed: seed, stream: 7)
        let w = Matrix(rows: n, columns: k), h = Matrix(rows: k, columns: d)
        for i in 0..<w.count { w.storage[i] = scale * Float(abs(generator.nextGaussian())) }
        for i in 0..<h.count { h.storage[i] = scale * Float(abs(generator.nextGaussian())) }
        let wtz = Matrix(rows: k, columns: d), wtw = Matrix(rows: k, columns: k), wtwh = Matrix(rows: k, columns: d)
        let zht = Matrix(rows: n, columns: k), hht = Matrix(rows: k, columns: k), whht = Matrix(rows: n, columns: k)
        for _ in 0..<iterations {
            wtz.assignProduct(w, transposeA: true, z)
            wtw.assignProduct(w, transposeA: true, w)
            wtwh.assignProduct(wtw, h)
            for i in 0..<h.count { h.storage[i] *= wtz.storage[i] / (wtwh.storage[i] + 1e-12) }
            zht.assignProduct(z, h, transposeB: true)
            hht.assignProduct(h, h, transposeB: true)
            whht.assignProduct(w, hht)
            for i in 0..<w.count { w.storage[i] *= zht.storage[i] / (whht.storage[i] + 1e-12) }
        }
        let rebuilt = Matrix(rows: n, columns: d)
        rebuilt.assignProduct(w, h)
        var squared = 0.0
        for i in 0..<z.count { squared += Double((z.storage[i] - rebuilt.storage[i]) * (z.storage[i] - rebuilt.storage[i])) }
        return Fit(basis: h, meanSquaredError: squared / Double(max(z.count, 1)))
    }
}
